import { z } from 'zod';
import { inboxBotSettingsFields } from './inbox-bot-settings.schemas';

const uuid = z.string().uuid();
const role = z.enum(['admin', 'supervisor', 'operator']);

export const listQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .passthrough();

export const createOperatorSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().email().max(320),
    password: z.string().min(8).max(1024),
    role,
    teamIds: z.array(uuid).max(100).optional(),
    languages: z.array(z.string().min(2).max(20)).max(50).optional(),
    skills: z.array(z.string().min(1).max(100)).max(100).optional(),
    capacity: z.number().int().min(0).max(1000).optional(),
  })
  .passthrough();

export const updateOperatorSchema = createOperatorSchema.partial().passthrough();

export const createTeamSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    routing: z.enum(['balanced', 'round_robin', 'manual']).optional(),
    memberIds: z.array(uuid).max(1000).optional(),
  })
  .passthrough();

export const updateTeamSchema = createTeamSchema.partial().passthrough();

export const createInboxSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    channel: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'must be a channel type (lower-case letters, digits, dashes)'),
    config: z.record(z.unknown()).optional(),
    teamId: uuid.nullable().optional(),
    botId: uuid.nullable().optional(),
    ...inboxBotSettingsFields,
  })
  .passthrough();

export const updateInboxSchema = createInboxSchema.partial().passthrough();

export const createBotSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    webhookUrl: z.string().url().max(2000).optional(),
    inboxIds: z.array(uuid).max(1000).optional(),
  })
  .passthrough();

export const auditLogQuerySchema = listQuerySchema;

export const availabilitySchema = z.object({ status: z.enum(['online', 'away', 'offline']) });
