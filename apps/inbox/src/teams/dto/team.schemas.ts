import { z } from 'zod';

export const createTeamSchema = z.object({
  name: z.string().trim().min(1).max(200),
  routing: z.enum(['balanced', 'round_robin', 'manual']).default('balanced'),
  memberIds: z.array(z.string().uuid()).max(1000).default([]),
});

export const updateTeamSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    routing: z.enum(['balanced', 'round_robin', 'manual']),
    memberIds: z.array(z.string().uuid()).max(1000),
  })
  .partial()
  .strict();

export type CreateTeamBody = z.output<typeof createTeamSchema>;
export type UpdateTeamBody = z.output<typeof updateTeamSchema>;
