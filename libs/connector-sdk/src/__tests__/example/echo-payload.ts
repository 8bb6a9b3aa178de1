import { z } from 'zod';

/** What the echo "vendor" sends: a Telegram-like update. */
export const echoUpdateSchema = z.object({
  update_id: z.number().int(),
  message: z.object({
    message_id: z.number().int(),
    chat: z.object({ id: z.union([z.number().int(), z.string().min(1)]) }),
    from: z.object({
      id: z.number().int(),
      first_name: z.string().optional(),
      username: z.string().optional(),
    }),
    date: z.number().int().positive(),
    text: z.string().optional(),
    reply_to_message_id: z.number().int().optional(),
    attachment: z
      .object({ name: z.string().min(1), content_type: z.string().min(1), base64: z.string() })
      .optional(),
  }),
});
export type EchoUpdate = z.infer<typeof echoUpdateSchema>;

export const echoSettingsSchema = z.object({
  greeting: z.string().min(1),
  maxAttachmentBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
});
export type EchoSettings = z.infer<typeof echoSettingsSchema>;
