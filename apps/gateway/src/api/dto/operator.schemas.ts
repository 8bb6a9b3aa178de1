import { z } from 'zod';
import { createOperatorSchema as baseCreateOperatorSchema } from './admin.schemas';

/** "HH:MM", 00:00–23:59, wall-clock time in the operator's timezone */
const shiftTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" between 00:00 and 23:59')
  .describe('"HH:MM" (00:00–23:59) in the operator\'s timezone');

const shift = z
  .object({
    weekday: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    start: shiftTime,
    end: shiftTime.describe('"HH:MM"; at or before `start` = the shift runs past midnight into the next day'),
  })
  .strict();

const timezone = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      return true;
    } catch {
      return false;
    }
  }, 'unknown timezone (an IANA name such as "Europe/Berlin")')
  .describe('IANA timezone of the shifts (default UTC)');

const dayOff = z
  .string()
  .max(10)
  .refine((day) => {
    if (!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(day)) return false;
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'must be a calendar date "YYYY-MM-DD" (years 1900–2999)');

const schedule = {
  timezone: timezone.optional(),
  shifts: z
    .array(shift)
    .max(100)
    .optional()
    .describe('weekly shifts; routing gives work only to operators on shift; none = always on shift; on PATCH the list replaces the whole schedule'),
  daysOff: z
    .array(dayOff)
    .max(400)
    .optional()
    .describe('dated days off ("YYYY-MM-DD" in the operator\'s timezone): off shift all day; on PATCH the list replaces the whole set'),
};

/** POST /api/v1/operators: the administration fields plus the schedule (timezone, weekly shifts, days off) */
export const createOperatorSchema = baseCreateOperatorSchema.extend(schedule);

/** PATCH /api/v1/operators/{id}: any subset; `shifts` and `daysOff` each replace the whole list */
export const updateOperatorSchema = createOperatorSchema.partial().passthrough();
