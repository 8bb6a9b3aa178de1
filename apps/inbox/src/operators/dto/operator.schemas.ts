import { daysOffSchema, shiftSchema, shiftsSchema, timezoneSchema } from '@switchboard/common/api/operator-schedule.schema';
import { z } from 'zod';

const uuid = z.string().uuid();

export const operatorRoleSchema = z.enum(['admin', 'supervisor', 'operator']);

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
