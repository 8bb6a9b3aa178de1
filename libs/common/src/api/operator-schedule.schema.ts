import { z } from 'zod';

/**
 * An operator's schedule as the public API and the inbox's internal API both accept it (one definition,
 * so the two never disagree on what a shift is).
 */

/** "HH:MM", 00:00–23:59 (wall-clock time in the operator's timezone) */
export const shiftTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" between 00:00 and 23:59')
  .describe('"HH:MM" (00:00–23:59) in the operator\'s timezone');

/**
 * One weekly shift: weekday 0 = Sunday … 6 = Saturday; `end` at or before `start` runs past midnight
 * into the next day (22:00–06:00), equal times = 24 hours.
 */
export const shiftSchema = z
  .object({
    weekday: z.number().int().min(0).max(6).describe('0 = Sunday … 6 = Saturday'),
    start: shiftTimeSchema,
    end: shiftTimeSchema.describe(
      '"HH:MM"; at or before `start` = the shift runs past midnight into the next day',
    ),
  })
  .strict();

/**
 * An IANA timezone name the runtime knows (the inbox also checks it against Postgres' tz database,
 * which evaluates the shifts).
 */
export const timezoneSchema = z
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

/** an operator without shifts is always on shift; a given list replaces the whole schedule */
export const shiftsSchema = z
  .array(shiftSchema)
  .max(100)
  .describe(
    'weekly shifts; routing gives work only to operators on shift; none = always on shift; on PATCH the list replaces the whole schedule',
  );

/** a calendar date "YYYY-MM-DD" that exists */
export const dayOffSchema = z
  .string()
  .max(10)
  .refine((day) => {
    if (!/^(19|2\d)\d{2}-\d{2}-\d{2}$/.test(day)) return false;
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'must be a calendar date "YYYY-MM-DD" (years 1900–2999)');

/** dated days off (local dates in the operator's timezone): off shift all day; a given list replaces the whole set */
export const daysOffSchema = z
  .array(dayOffSchema)
  .max(400)
  .describe(
    'dated days off ("YYYY-MM-DD" in the operator\'s timezone): off shift all day; on PATCH the list replaces the whole set',
  );
