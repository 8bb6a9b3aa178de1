import { z } from 'zod';

const hostSchema = z.string().trim().min(1).max(253);
const portSchema = z.number().int().min(1).max(65_535);

/** 25 MB: what most mail providers accept per message. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/**
 * The non-secret settings of an email inbox (API.md: `{imap:{host,port,secure,user,mailbox},
 * smtp:{host,port,secure,user}, address, fromName}` plus limits). The passwords are secrets, see
 * EmailSecretNames.
 */
export const emailSettingsSchema = z.object({
  imap: z.object({
    host: hostSchema,
    port: portSchema.default(993),
    /** TLS from the first byte (993); false = plain with opportunistic STARTTLS */
    secure: z.boolean().default(true),
    user: z.string().min(1).max(320),
    mailbox: z.string().min(1).max(200).default('INBOX'),
  }),
  smtp: z.object({
    host: hostSchema,
    port: portSchema.default(587),
    secure: z.boolean().default(false),
    /** defaults to imap.user */
    user: z.string().min(1).max(320).optional(),
  }),
  /** the inbox's public address; replies go to its plus-address `local+<token>@domain` */
  address: z.string().trim().email().max(254),
  fromName: z.string().trim().max(200).optional(),
  /** larger attachments are refused (listed in refusedAttachments with the reason) */
  maxAttachmentBytes: z.number().int().positive().max(200 * 1024 * 1024).default(DEFAULT_MAX_ATTACHMENT_BYTES),
  /**
   * on the very first start (no cursor yet) the mail of this many past days is imported; 0 = only
   * mail that arrives from now on
   */
  backfillDays: z.number().int().min(0).max(3650).default(7),
});

export type EmailSettings = z.output<typeof emailSettingsSchema>;
export type EmailSettingsInput = z.input<typeof emailSettingsSchema>;

/**
 * Secrets of an email inbox. Naming scheme (flat): a secret's name is the dot-path of the field in
 * the inbox config the API accepts — `imap.password` is `config.imap.password`. The inbox moves
 * those fields out of `settings`, encrypts them, and the host hands them back decrypted in
 * `InboxRuntimeConfig.secrets['imap.password']`. Without `smtp.password` the connector sends
 * without SMTP AUTH (a local relay).
 */
export const EmailSecretNames = {
  imapPassword: 'imap.password',
  smtpPassword: 'smtp.password',
} as const;
