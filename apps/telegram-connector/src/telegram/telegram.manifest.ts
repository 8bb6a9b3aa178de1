import { z } from 'zod';
import type { ConnectorManifest } from '@switchboard/connector-sdk';

/** What the Bot API lets a bot download with getFile (https://core.telegram.org/bots/api#getfile). */
export const TELEGRAM_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/**
 * Non-secret settings of a telegram inbox (API.md: `{botToken, mode}`; botToken is the secret).
 * - mode: `webhook` (Telegram POSTs to `${PUBLIC_URL}/telegram/<inboxId>/webhook`) or `polling`
 *   (long polling with getUpdates; for machines without a public URL);
 * - allowGroups: also serve group and supergroup chats (default: private chats only);
 * - apiRoot: a self-hosted Bot API server (default: the connector's TELEGRAM_API_ROOT).
 */
export const telegramSettingsSchema = z
  .object({
    mode: z.enum(['webhook', 'polling']),
    allowGroups: z.boolean().optional(),
    apiRoot: z
      .string()
      .url()
      .refine((value) => /^https?:\/\//.test(value) && !value.endsWith('/'), 'apiRoot must be an http(s) URL without a trailing slash')
      .optional(),
  })
  .strict();
export type TelegramSettings = z.infer<typeof telegramSettingsSchema>;

export const TELEGRAM_SECRET_NAMES = ['botToken'] as const;

export const telegramManifest: ConnectorManifest<TelegramSettings> = {
  id: 'telegram-bot',
  channelType: 'telegram',
  displayName: 'Telegram bot',
  capabilities: ['text', 'attachments', 'typing', 'edits', 'reply-to'],
  settingsSchema: telegramSettingsSchema,
  secretNames: TELEGRAM_SECRET_NAMES,
  limits: { maxAttachmentBytes: TELEGRAM_MAX_DOWNLOAD_BYTES },
};
