import { z } from 'zod';

const uuid = z.string().uuid();

export const contactIdParamsSchema = z.object({ id: uuid });

export const listContactsQuerySchema = z.object({
  /** words of the name, email, phone (digits), or an identity's external id / username */
  q: z.string().max(500).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListContactsQuery = z.output<typeof listContactsQuerySchema>;

export const updateContactSchema = z
  .object({
    name: z.string().trim().min(1).max(300).nullable().optional(),
    email: z.string().trim().email().max(320).nullable().optional(),
    phone: z
      .string()
      .trim()
      .max(50)
      .regex(/^[+\d][\d\s().-]*$/, 'must be a phone number')
      .nullable()
      .optional(),
    language: z.string().min(2).max(20).nullable().optional(),
    /** merged into the stored attributes; a key set to null is removed */
    attributes: z.record(z.unknown()).optional(),
  })
  .strict();
export type UpdateContactBody = z.output<typeof updateContactSchema>;

export const mergeContactSchema = z.object({ otherContactId: uuid });
