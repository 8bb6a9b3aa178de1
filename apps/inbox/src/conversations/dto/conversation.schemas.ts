import { blobRefSchema, conversationStatusSchema, conversationTypeSchema } from '@switchboard/common';
import { z } from 'zod';

const uuid = z.string().uuid();

export const conversationIdParamsSchema = z.object({ id: uuid });

export const listConversationsQuerySchema = z.object({
  view: z.enum(['mine', 'unassigned', 'team', 'all']).default('all'),
  /** one status or several, comma-separated */
  status: z
    .string()
    .max(100)
    .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(conversationStatusSchema))
    .optional(),
  inboxId: uuid.optional(),
  channel: z.string().max(50).optional(),
  label: z.string().max(100).optional(),
  type: conversationTypeSchema.optional(),
  contactId: uuid.optional(),
  q: z.string().max(500).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const listMessagesQuerySchema = z.object({
  /** a message id: the page ends just before it */
  before: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const listEventsQuerySchema = z.object({
  cursor: z.string().max(100).regex(/^\d+$/, 'must be an event id').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const sendMessageSchema = z
  .object({
    text: z.string().max(100_000).default(''),
    html: z.string().max(500_000).optional(),
    attachments: z.array(blobRefSchema).max(20).default([]),
    private: z.boolean().default(false),
    afterMessageId: uuid.optional(),
    force: z.boolean().default(false),
  })
  .refine((body) => body.text.trim().length > 0 || body.attachments.length > 0 || !!body.html, {
    message: 'text (or html or an attachment) is required',
    path: ['text'],
  });

export const startConversationSchema = z
  .object({
    inboxId: uuid,
    contactId: uuid.optional(),
    to: z.string().trim().min(1).max(320).optional(),
    subject: z.string().max(998).optional(),
    text: z.string().trim().min(1).max(100_000),
    html: z.string().max(500_000).optional(),
  })
  .refine((body) => !!body.contactId !== !!body.to, { message: 'give exactly one of contactId or to', path: ['contactId'] });

export const assignSchema = z
  .object({ operatorId: uuid.nullable().optional(), teamId: uuid.nullable().optional(), force: z.boolean().default(false) })
  .refine((body) => body.operatorId !== undefined || body.teamId !== undefined, { message: 'operatorId or teamId is required', path: ['operatorId'] });

export const transferSchema = z
  .object({
    operatorId: uuid.optional(),
    teamId: uuid.optional(),
    summary: z.string({ required_error: 'a transfer needs a summary' }).trim().min(1, 'a transfer needs a summary').max(10_000),
    force: z.boolean().default(false),
  })
  .refine((body) => body.operatorId !== undefined || body.teamId !== undefined, { message: 'operatorId or teamId is required', path: ['operatorId'] });

export const statusSchema = z
  .object({ status: z.enum(['open', 'pending', 'snoozed', 'resolved']), until: z.string().datetime({ offset: true }).optional() })
  .refine((body) => body.status !== 'snoozed' || body.until !== undefined, { message: 'until is required to snooze', path: ['until'] });

export const updateConversationSchema = z
  .object({
    priority: z.number().int().min(-100).max(100).optional(),
    type: conversationTypeSchema.nullable().optional(),
    labels: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    attributes: z.record(z.unknown()).optional(),
    requiredSkills: z.array(z.string().min(1).max(100)).max(50).optional(),
    language: z.string().min(2).max(20).nullable().optional(),
  })
  .strict();

export const handoffSchema = z.object({
  summary: z.string().trim().min(1).max(10_000),
  intent: z.string().max(200).optional(),
  collected: z.record(z.unknown()).default({}),
  reason: z.string().max(1000).optional(),
  language: z.string().min(2).max(20).optional(),
  priority: z.number().int().min(-100).max(100).optional(),
  teamId: uuid.optional(),
});

/** an operator gives the conversation back to the inbox's bot; the note lands in the audit trail */
export const handbackSchema = z.object({
  note: z.string().trim().max(10_000).optional(),
});

export const mergeConversationSchema = z.object({ intoConversationId: uuid });

export type ListConversationsQuery = z.output<typeof listConversationsQuerySchema>;
export type SendMessageBody = z.output<typeof sendMessageSchema>;
export type StartConversationBody = z.output<typeof startConversationSchema>;
export type AssignBody = z.output<typeof assignSchema>;
export type TransferBody = z.output<typeof transferSchema>;
export type StatusBody = z.output<typeof statusSchema>;
export type UpdateConversationBody = z.output<typeof updateConversationSchema>;
export type HandoffBody = z.output<typeof handoffSchema>;
export type HandbackBody = z.output<typeof handbackSchema>;
