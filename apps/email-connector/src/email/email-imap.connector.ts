import type { BlobStore, InboundMessageInput } from '@switchboard/common';
import { ConnectorError, type ChannelConnector, type InboxContext, type InboxRuntimeConfig, type InboxSession } from '@switchboard/connector-sdk';
import { EmailErrorClassifier } from './email-error.classifier';
import { EmailInboxSession } from './email-inbox.session';
import { EmailSecretNames, type EmailSettings } from './email-settings.schema';
import { emailManifest } from './email.manifest';
import type { RawEmail } from './email.types';
import { DEFAULT_WATCHER_OPTIONS, ImapMailboxWatcher, type MailboxWatcherOptions } from './imap-mailbox.watcher';
import { InboundEmailMapper } from './inbound-email.mapper';
import { OutboundEmailMapper } from './outbound-email.mapper';
import { SmtpMailSender } from './smtp-mail.sender';

/**
 * The email channel (manifest id `email-imap`, channel type `email`): IMAP with IDLE in, pooled
 * SMTP out. One session per inbox; see ImapMailboxWatcher (cursor, backfill, reconnects),
 * InboundEmailMapper (parsing) and OutboundEmailMapper (headers of what we send).
 */
export class EmailImapConnector implements ChannelConnector<EmailSettings, RawEmail> {
  readonly manifest = emailManifest;
  private readonly classifier = new EmailErrorClassifier();
  private readonly inbound = new InboundEmailMapper();
  private readonly watcherOptions: MailboxWatcherOptions;

  constructor(options: Partial<MailboxWatcherOptions> = {}) {
    this.watcherOptions = { ...DEFAULT_WATCHER_OPTIONS, ...options };
  }

  async start(config: InboxRuntimeConfig<EmailSettings>, context: InboxContext): Promise<InboxSession> {
    const { settings, secrets } = config;
    const imapPassword = secrets[EmailSecretNames.imapPassword];
    if (!imapPassword) throw new ConnectorError('AUTH_INVALID', `no IMAP password configured (secret ${EmailSecretNames.imapPassword})`);
    const watcher = new ImapMailboxWatcher({
      settings,
      password: imapPassword,
      context,
      normalize: async (raw) => this.inbound.map(raw, { inboxId: config.inboxId, settings, blobs: context.blobs }),
      classify: (error) => this.classifyError(error),
      options: this.watcherOptions,
    });
    const sender = new SmtpMailSender(
      settings.smtp,
      { user: settings.smtp.user ?? settings.imap.user, password: secrets[EmailSecretNames.smtpPassword] || undefined },
      settings.address.slice(settings.address.lastIndexOf('@') + 1),
    );
    const session = new EmailInboxSession(context, watcher, new OutboundEmailMapper(settings), sender, (error) => this.classifyError(error));
    try {
      await session.start();
    } catch (error) {
      sender.close();
      throw this.classifyError(error);
    }
    return session;
  }

  async normalize(raw: RawEmail, config: InboxRuntimeConfig<EmailSettings>, blobs: BlobStore): Promise<InboundMessageInput[]> {
    try {
      return [await this.inbound.map(raw, { inboxId: config.inboxId, settings: config.settings, blobs })];
    } catch (error) {
      // malformed mail is INVALID_PAYLOAD already; anything else (the blob store failing) is classified
      throw this.classifyError(error);
    }
  }

  classifyError(error: unknown): ConnectorError {
    return this.classifier.classify(error);
  }
}
