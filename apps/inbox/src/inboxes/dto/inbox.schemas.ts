import { channelTypeSchema } from '@switchboard/common';
import { z } from 'zod';

const uuid = z.string().uuid();
const positive = z.number().int().positive().max(10_000_000).nullable();

const inboxFields = {
  name: z.string().trim().min(1).max(200),
  channel: channelTypeSchema,
  /** channel settings; secrets inside (password, token, secret, …) are encrypted and never returned */
  config: z.record(z.unknown()),
  teamId: uuid.nullable(),
  botId: uuid.nullable(),
  enabled: z.boolean(),
  memberIds: z.array(uuid).max(1000),
  routing: z.enum(['balanced', 'round_robin', 'manual']),
  sticky: z.boolean(),
  newConversationAfterDays: positive,
  unansweredTimeoutSeconds: positive,
  firstResponseSlaSeconds: positive,
  resolutionSlaSeconds: positive,
  /** a customer message the bot has not answered within this many seconds hands the conversation off */
  botTimeoutSeconds: z.number().int().min(1).max(86_400),
  /** words that mean "I want a human" (case-insensitive, whole words); null: the defaults; []: none */
  handoffKeywords: z.array(z.string().trim().min(1).max(100)).max(100).nullable(),
};

export const createInboxSchema = z
  .object(inboxFields)
  .partial()
  .required({ name: true, channel: true })
  .strict();

export const updateInboxSchema = z.object(inboxFields).partial().strict();

export type CreateInboxBody = z.output<typeof createInboxSchema>;
export type UpdateInboxBody = z.output<typeof updateInboxSchema>;
