import { z } from 'zod';

export const createSessionSchema = z.object({
  inboxKey: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().email().max(320).optional(),
  identifier: z.string().min(1).max(200).optional(),
  identifierHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex HMAC-SHA256 of identifier')
    .optional(),
});

export const historyQuerySchema = z.object({
  before: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const sendVisitorMessageSchema = z
  .object({
    text: z.string().max(10_000).default(''),
    /** the client's id of the message: a retry with the same id is the same message */
    clientMessageId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')
      .optional(),
    /** upload tokens from POST /webchat/v1/attachments */
    attachments: z.array(z.string().min(10).max(4000)).max(10).default([]),
    pageUrl: z.string().max(2000).optional(),
    language: z.string().max(20).optional(),
  })
  .refine((body) => body.text.trim().length > 0 || body.attachments.length > 0, {
    message: 'text or an attachment is required',
    path: ['text'],
  });

export const configQuerySchema = z.object({ inboxKey: z.string().min(1).max(200) });

export const fileQuerySchema = z.object({
  inbox: z.string().uuid(),
  thread: z.string().uuid(),
  key: z.string().min(1).max(500),
  sig: z.string().min(10).max(200),
});

export const uploadQuerySchema = z.object({ name: z.string().trim().min(1).max(255).optional() });
