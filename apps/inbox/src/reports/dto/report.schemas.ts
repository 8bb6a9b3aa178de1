import { z } from 'zod';

const MAX_RANGE_MS = 366 * 24 * 3600 * 1000;

export const reportSummaryQuerySchema = z
  .object({
    /** start of the period (inclusive); default: 7 days before `to` */
    from: z.string().datetime({ offset: true }).optional(),
    /** end of the period (exclusive); default: now */
    to: z.string().datetime({ offset: true }).optional(),
    groupBy: z.enum(['operator', 'team', 'inbox', 'channel']).optional(),
  })
  .transform((query) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * 24 * 3600 * 1000);
    return { from, to, groupBy: query.groupBy ?? null };
  })
  .superRefine((query, ctx) => {
    if (query.from.getTime() >= query.to.getTime()) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: 'must be before to' });
    else if (query.to.getTime() - query.from.getTime() > MAX_RANGE_MS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['from'], message: 'the period is at most 366 days' });
  });
export type ReportSummaryQuery = z.output<typeof reportSummaryQuerySchema>;
export type ReportGroupBy = NonNullable<ReportSummaryQuery['groupBy']>;
