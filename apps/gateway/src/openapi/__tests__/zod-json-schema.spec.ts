import { z } from 'zod';
import { zodToJsonSchema } from '../zod-json-schema';

describe('zodToJsonSchema', () => {
  it('describes objects, required fields, formats, enums, arrays, defaults and refinements', () => {
    const schema = z
      .object({
        id: z.string().uuid(),
        email: z.string().email().max(320),
        status: z.enum(['open', 'resolved']),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        labels: z.array(z.string()).max(10).optional(),
        note: z.string().nullable().optional(),
      })
      .refine(() => true);
    expect(zodToJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        email: { type: 'string', format: 'email', maxLength: 320 },
        status: { type: 'string', enum: ['open', 'resolved'] },
        limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        labels: { type: 'array', items: { type: 'string' }, maxItems: 10 },
        note: { type: 'string', nullable: true },
      },
      required: ['id', 'email', 'status'],
    });
  });
});
