import { z } from 'zod';

const uuid = z.string().uuid();

export const cannedResponseIdParamsSchema = z.object({ id: uuid });

const shortcut = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\p{L}\p{N}_./-]+$/u, 'letters, digits, _ . / - only (no spaces)');
const inboxIds = z
  .array(uuid)
  .max(1000)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an inbox');

export const createCannedResponseSchema = z
  .object({
    shortcut,
    title: z.string().trim().min(1).max(300),
    body: z.string().min(1).max(20_000),
    language: z.string().trim().min(2).max(20).nullable().optional(),
    /** empty or absent: every inbox */
    inboxIds: inboxIds.optional(),
  })
  .strict();
export type CreateCannedResponseBody = z.output<typeof createCannedResponseSchema>;

export const updateCannedResponseSchema = createCannedResponseSchema
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change', path: [] });
export type UpdateCannedResponseBody = z.output<typeof updateCannedResponseSchema>;

export const listCannedResponsesQuerySchema = z.object({
  /** shortcut prefix or words of the title */
  q: z.string().max(200).optional(),
  /** scripts for this inbox (its own and those for every inbox) */
  inboxId: uuid.optional(),
  /** scripts in this language and those without one */
  language: z.string().max(20).optional(),
  /** render every script for this conversation (`rendered` on each item) */
  conversationId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ListCannedResponsesQuery = z.output<typeof listCannedResponsesQuerySchema>;

export const renderCannedResponseSchema = z.object({ conversationId: uuid }).strict();
