import { z } from 'zod';

export const verifyCredentialsSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  userAgent: z.string().max(512).optional(),
  ip: z.string().max(64).optional(),
});

export const refreshSchema = z.object({
  refreshToken: z.string().min(1).max(512),
  userAgent: z.string().max(512).optional(),
  ip: z.string().max(64).optional(),
});

export const logoutSchema = z
  .object({
    sessionId: z.string().uuid().optional(),
    refreshToken: z.string().min(1).max(512).optional(),
    operatorId: z.string().uuid().optional(),
  })
  .refine((body) => body.sessionId || body.refreshToken, {
    message: 'sessionId or refreshToken is required',
    path: ['sessionId'],
  });

export const botTokenSchema = z.object({ token: z.string().min(16).max(512) });

export const actorScopeParamsSchema = z.object({
  role: z.enum(['admin', 'supervisor', 'operator', 'bot']),
  id: z.string().uuid(),
});

export const webchatHistoryQuerySchema = z.object({
  inboxId: z.string().uuid(),
  threadKey: z.string().min(1).max(200),
  before: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const conversationIdParamsSchema = z.object({ id: z.string().uuid() });

export const threadQuerySchema = z.object({
  inboxId: z.string().uuid(),
  threadKey: z.string().min(1).max(200),
});

/** GET /internal/v1/auth/revoked-sessions?since=<ISO 8601> */
export const revokedSessionsQuerySchema = z.object({
  since: z.string().datetime({ offset: true }).transform((value) => new Date(value)),
});
