import { z } from 'zod';

const uuid = z.string().uuid();
const blobRef = z
  .object({
    key: z.string().min(1),
    name: z.string().min(1).max(255),
    size: z.number().int().nonnegative(),
    contentType: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .passthrough();

export const listConversationsQuerySchema = z
  .object({
    view: z.enum(['mine', 'unassigned', 'team', 'all']).optional(),
    status: z.string().max(100).optional(),
    inboxId: uuid.optional(),
    channel: z.string().max(50).optional(),
    label: z.string().max(100).optional(),
    type: z.enum(['question', 'complaint', 'claim', 'request']).optional(),
    q: z.string().max(500).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .passthrough();

export const listMessagesQuerySchema = z
  .object({
    before: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .passthrough();

export const sendMessageSchema = z
  .object({
    text: z.string().max(100_000).default(''),
    html: z.string().max(500_000).optional(),
    attachments: z.array(blobRef).max(20).optional(),
    private: z.boolean().optional(),
    afterMessageId: uuid.optional(),
    force: z.boolean().optional(),
  })
  .passthrough()
  .refine((body) => body.text.trim().length > 0 || (body.attachments?.length ?? 0) > 0 || !!body.html, {
    message: 'text (or html or an attachment) is required',
    path: ['text'],
  });

export const startConversationSchema = z
  .object({
    inboxId: uuid,
    contactId: uuid.optional(),
    to: z.string().min(1).max(320).optional(),
    subject: z.string().max(998).optional(),
    text: z.string().min(1).max(100_000),
  })
  .passthrough()
  .refine((body) => !!body.contactId !== !!body.to, {
    message: 'give exactly one of contactId or to',
    path: ['contactId'],
  });

export const assignSchema = z
  .object({ operatorId: uuid.nullable().optional(), teamId: uuid.nullable().optional() })
  .passthrough()
  .refine((body) => body.operatorId !== undefined || body.teamId !== undefined, {
    message: 'operatorId or teamId is required',
    path: ['operatorId'],
  });

export const transferSchema = z
  .object({
    operatorId: uuid.optional(),
    teamId: uuid.optional(),
    summary: z.string().trim().min(1).max(10_000),
  })
  .passthrough()
  .refine((body) => body.operatorId !== undefined || body.teamId !== undefined, {
    message: 'operatorId or teamId is required',
    path: ['operatorId'],
  });

export const statusSchema = z
  .object({
    status: z.enum(['open', 'pending', 'snoozed', 'resolved']),
    until: z.string().datetime({ offset: true }).optional(),
  })
  .passthrough()
  .refine((body) => body.status !== 'snoozed' || body.until !== undefined, {
    message: 'until is required to snooze',
    path: ['until'],
  });

export const updateConversationSchema = z
  .object({
    priority: z.number().int().min(-100).max(100).optional(),
    type: z.enum(['question', 'complaint', 'claim', 'request']).nullable().optional(),
    labels: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    attributes: z.record(z.unknown()).optional(),
  })
  .passthrough();

export const handoffSchema = z
  .object({
    summary: z.string().trim().min(1).max(10_000),
    intent: z.string().max(200).optional(),
    collected: z.record(z.unknown()).optional(),
    reason: z.string().max(1000).optional(),
    language: z.string().min(2).max(20).optional(),
    priority: z.number().int().min(-100).max(100).optional(),
    teamId: uuid.optional(),
  })
  .passthrough();

export const handbackSchema = z
  .object({
    note: z.string().trim().max(10_000).optional().describe('Why, for the audit trail'),
  })
  .passthrough();

export const mergeConversationSchema = z.object({ intoConversationId: uuid }).passthrough();
