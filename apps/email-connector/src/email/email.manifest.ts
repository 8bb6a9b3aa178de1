import type { ConnectorManifest } from '@switchboard/connector-sdk';
import { DEFAULT_MAX_ATTACHMENT_BYTES, EmailSecretNames, EmailSettings, emailSettingsSchema } from './email-settings.schema';

/** The email connector: IMAP (IDLE) in, SMTP out. */
export const emailManifest: ConnectorManifest<EmailSettings> = {
  id: 'email-imap',
  channelType: 'email',
  displayName: 'Email (IMAP + SMTP)',
  capabilities: ['text', 'html', 'attachments', 'reply-to', 'outbound-start'],
  settingsSchema: emailSettingsSchema,
  secretNames: [EmailSecretNames.imapPassword, EmailSecretNames.smtpPassword],
  limits: { maxAttachmentBytes: DEFAULT_MAX_ATTACHMENT_BYTES },
};
