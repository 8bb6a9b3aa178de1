import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboxRuntimeConfig } from '@switchboard/connector-sdk';
import { emailSettingsSchema, type EmailSettings, type EmailSettingsInput } from '../email-settings.schema';
import type { RawEmail } from '../email.types';

/** Recorded raw MIME messages (apps/email-connector/src/__tests__/fixtures/*.eml). */
export const FIXTURE_DIR = join(__dirname, '../../__tests__/fixtures');

export type FixtureName =
  | 'english-gmail-reply'
  | 'russian-windows-1251'
  | 'russian-koi8r-qp'
  | 'iso-8859-5-base64'
  | 'persian-reply'
  | 'quoted-printable-outlook'
  | 'base64-html-no-message-id'
  | 'multipart-attachments'
  | 'auto-reply'
  | 'malformed-no-headers';

export function fixtureSource(name: FixtureName): Buffer {
  return readFileSync(join(FIXTURE_DIR, `${name}.eml`));
}

export function fixture(name: FixtureName): RawEmail {
  return { source: fixtureSource(name) };
}

export function fixtureNames(): FixtureName[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.eml'))
    .map((file) => file.slice(0, -4) as FixtureName)
    .sort();
}

/** the reply token the fixtures' plus-addresses carry (same shape as ReplyTokenService makes) */
export const FIXTURE_TOKEN = 'r4kfz7m2nq3xw5y6a7b8c9d2e3f4';

export function settings(overrides: Partial<EmailSettingsInput> = {}): EmailSettings {
  return emailSettingsSchema.parse({
    imap: { host: '127.0.0.1', port: 9, secure: false, user: 'support@acme.test', mailbox: 'INBOX' },
    smtp: { host: '127.0.0.1', port: 9, secure: false },
    address: 'support@acme.test',
    fromName: 'Acme Support',
    maxAttachmentBytes: 32 * 1024,
    ...overrides,
  });
}

export function runtimeConfig(overrides: Partial<EmailSettingsInput> = {}, secrets: Record<string, string> = {}): InboxRuntimeConfig<EmailSettings> {
  return {
    inboxId: '5d0c1f2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f',
    name: 'Acme support mail',
    version: 1,
    settings: settings(overrides),
    secrets: { 'imap.password': 'imap-Pa55-secret-value', 'smtp.password': 'smtp-Pa55-secret-value', ...secrets },
  };
}
