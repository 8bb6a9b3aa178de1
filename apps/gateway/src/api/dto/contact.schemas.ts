import { z } from 'zod';

export const listContactsQuerySchema = z
  .object({
    q: z.string().max(500).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .passthrough();

export const updateContactSchema = z
  .object({
    name: z.string().max(300).nullable().optional(),
    email: z.string().email().max(320).nullable().optional(),
    phone: z.string().max(50).nullable().optional(),
    language: z.string().max(20).nullable().optional(),
    attributes: z.record(z.unknown()).optional(),
  })
  .passthrough();

export const mergeContactSchema = z.object({ otherContactId: z.string().uuid() }).passthrough();

export const cannedResponseSchema = z
  .object({
    shortcut: z.string().trim().min(1).max(100),
    title: z.string().trim().min(1).max(300),
    body: z.string().min(1).max(20_000),
    language: z.string().min(2).max(20).optional(),
    inboxIds: z.array(z.string().uuid()).max(1000).optional(),
  })
  .passthrough();

export const updateCannedResponseSchema = cannedResponseSchema.partial().passthrough();

export const listCannedQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    inboxId: z.string().uuid().optional(),
    language: z.string().max(20).optional(),
    conversationId: z.string().uuid().optional(),
  })
  .passthrough();

export const renderCannedResponseSchema = z.object({ conversationId: z.string().uuid() }).strict();

export const reportSummaryQuerySchema = z
  .object({
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    groupBy: z.enum(['operator', 'team', 'inbox', 'channel']).optional(),
  })
  .passthrough();
