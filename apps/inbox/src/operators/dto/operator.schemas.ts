import { z } from 'zod';

const uuid = z.string().uuid();

export const operatorRoleSchema = z.enum(['admin', 'supervisor', 'operator']);

/** "HH:MM", 00:00–23:59 (wall-clock time in the operator's timezone) */
export const shiftTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" between 00:00 and 23:59');

/**
 * One weekly shift: weekday 0 = Sunday … 6 = Saturday; `end` at or before `start` runs past midnight
 * into the next day (22:00–06:00), equal times = 24 hours.
 */
export const shiftSchema = z.object({ weekday: z.number().int().min(0).max(6), start: shiftTimeSchema, end: shiftTimeSchema }).strict();

/**
 * An IANA timezone name the runtime knows (the service also checks it against Postgres' tz database,
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
  }, 'unknown timezone (an IANA name such as "Europe/Berlin")');

/** an operator without shifts is always on shift; a given list replaces the whole schedule */
export const shiftsSchema = z.array(shiftSchema).max(100);

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
export const daysOffSchema = z.array(dayOffSchema).max(400);

export const createOperatorSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(8).max(1024),
  role: operatorRoleSchema,
  teamIds: z.array(uuid).max(100).default([]),
  inboxIds: z.array(uuid).max(1000).default([]),
  languages: z.array(z.string().min(2).max(20)).max(50).default([]),
  skills: z.array(z.string().min(1).max(100)).max(100).default([]),
  capacity: z.number().int().min(0).max(1000).default(5),
  timezone: timezoneSchema.default('UTC'),
  shifts: shiftsSchema.default([]),
  daysOff: daysOffSchema.default([]),
});

export const updateOperatorSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().toLowerCase().email().max(320),
    password: z.string().min(8).max(1024),
    role: operatorRoleSchema,
    teamIds: z.array(uuid).max(100),
    inboxIds: z.array(uuid).max(1000),
    languages: z.array(z.string().min(2).max(20)).max(50),
    skills: z.array(z.string().min(1).max(100)).max(100),
    capacity: z.number().int().min(0).max(1000),
    timezone: timezoneSchema,
    shifts: shiftsSchema,
    daysOff: daysOffSchema,
  })
  .partial()
  .strict();

export const listOperatorsQuerySchema = z.object({
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const availabilitySchema = z.object({ status: z.enum(['online', 'away', 'offline']) });

export type Shift = z.output<typeof shiftSchema>;
export type CreateOperatorBody = z.output<typeof createOperatorSchema>;
export type UpdateOperatorBody = z.output<typeof updateOperatorSchema>;
