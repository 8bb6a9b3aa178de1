import type { OutboundMessage } from '@switchboard/common';
import type { InboxContext, InboxSession, SendResult } from '@switchboard/connector-sdk';
import type { ConnectorError } from '@switchboard/connector-sdk';
import type { ImapMailboxWatcher } from './imap-mailbox.watcher';
import type { OutboundEmailMapper } from './outbound-email.mapper';
import type { SmtpMailSender } from './smtp-mail.sender';

/** One running email inbox: its IMAP watcher (inbound) and its pooled SMTP sender (outbound). */
export class EmailInboxSession implements InboxSession {
  constructor(
    private readonly context: InboxContext,
    private readonly watcher: ImapMailboxWatcher,
    private readonly outbound: OutboundEmailMapper,
    private readonly sender: SmtpMailSender,
    private readonly classify: (error: unknown) => ConnectorError,
  ) {}

  async start(): Promise<void> {
    await this.watcher.start();
  }

  /** sends one message; the externalId is the Message-ID we generated */
  async send(message: OutboundMessage): Promise<SendResult> {
    const email = await this.outbound.map(message, this.context.blobs).catch((error: unknown) => {
      throw this.classify(error);
    });
    try {
      const result = await this.sender.send(email);
      this.context.logger.info('email sent', { messageId: message.messageId, externalId: email.messageId, response: result.response.slice(0, 200) });
      return { externalId: email.messageId };
    } catch (error) {
      throw this.classify(error);
    } finally {
      for (const attachment of email.attachments) attachment.content.destroy();
    }
  }

  async stop(): Promise<void> {
    try {
      await this.watcher.stop();
    } finally {
      this.sender.close();
    }
  }
}
