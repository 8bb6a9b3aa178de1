import { z } from 'zod';

/**
 * An inbox's automatic-handoff settings (create / PATCH; GET returns them): the bot's reply time limit
 * and the customer's "I want a human" keywords.
 */
export const inboxBotSettingsFields = {
  botTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe('A customer message the bot leaves unanswered this long hands the conversation to humans (default 120).'),
  handoffKeywords: z
    .array(z.string().trim().min(1).max(100))
    .max(100)
    .nullable()
    .optional()
    .describe(
      'Words meaning "I want a human" (case-insensitive, whole words, short endings allowed). null: the defaults ' +
        '(en human, agent, operator, person; ru оператор, человек, живой; fa اپراتور, انسان, پشتیبان); []: none.',
    ),
};
