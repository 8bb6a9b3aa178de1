import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelConfig, FsBlobStore, INBOUND_MESSAGE_TYPE, InboundMessage, inboundMessageSchema, MessageBus, Topics } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ConnectorHost, ConnectorHostOptions } from '@switchboard/connector-sdk';
import { BusProbe, CapturingLogger, channelConfig, fakeDecrypt, publishChannelConfig, waitFor } from '@switchboard/connector-sdk/testing';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import { PrivateDovecot, SmtpSink } from '@switchboard/testing/fakes/mail';
import { EmailImapConnector } from '../../email-imap.connector';
import type { EmailSettings, EmailSettingsInput } from '../../email-settings.schema';
import type { MailboxWatcherOptions } from '../../imap-mailbox.watcher';

export const SMTP_USER = 'relay@acme.test';
export const SMTP_PASSWORD = 'smtp-relay-Pa55-NEVER-LOG';

/** One mailbox + inbox of the test: its address is the login, every inbox gets its own. */
export interface TestInbox {
  address: string;
  password: string;
  config: ChannelConfig;
}

/**
 * A private Dovecot, an SMTP sink, a Kafka bus with a unique topic prefix, a probe of what the
 * connector publishes, and ConnectorHosts running the real EmailImapConnector.
 */
export class EmailHarness {
  readonly logger = new CapturingLogger();
  private readonly hosts: Array<ConnectorHost<EmailSettings>> = [];
  private counter = 0;

  private constructor(
    readonly dovecot: PrivateDovecot,
    readonly sink: SmtpSink,
    readonly bus: MessageBus,
    readonly probe: BusProbe,
    readonly blobs: FsBlobStore,
    private readonly blobDir: string,
    readonly prefix: string,
  ) {}

  /** `prefix`: the topic prefix to share (e.g. with an inbox service under test); default: a unique one */
  static async create(name: string, options: { prefix?: string } = {}): Promise<EmailHarness> {
    const [dovecot, sink] = await Promise.all([PrivateDovecot.start({ users: [] }), SmtpSink.start({ users: { [SMTP_USER]: SMTP_PASSWORD } })]);
    const prefix = options.prefix ?? `${uniqueName(name)}.`;
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: name, topicPrefix: prefix, defaultPartitions: 3 });
    const probe = await BusProbe.start(bus, [Topics.inbound, Topics.delivery, Topics.dlq, Topics.connectorOffsets]);
    const blobDir = await mkdtemp(join(tmpdir(), 'switchboard-email-blobs-'));
    return new EmailHarness(dovecot, sink, bus, probe, new FsBlobStore(blobDir), blobDir, prefix);
  }

  /** a started host running the email connector */
  async startHost(watcher: Partial<MailboxWatcherOptions> = {}, overrides: Partial<ConnectorHostOptions<EmailSettings>> = {}): Promise<ConnectorHost<EmailSettings>> {
    const host = new ConnectorHost<EmailSettings>({
      connector: new EmailImapConnector({ pollIntervalMs: 10 * 60_000, reconnectInitialMs: 200, reconnectMaxMs: 2_000, ...watcher }),
      bus: this.bus,
      blobs: this.blobs,
      decrypt: fakeDecrypt,
      logger: this.logger,
      instanceId: randomUUID(),
      outboundRetry: { maxAttempts: 3, initialMs: 100, maxMs: 500 },
      startRetry: { initialMs: 200, maxMs: 2_000 },
      ...overrides,
    });
    this.hosts.push(host);
    await host.start();
    return host;
  }

  /** a new mailbox user and the channel config of its inbox (not published yet) */
  async newInbox(settings: Partial<EmailSettingsInput> = {}, options: { imapPassword?: string; inboxId?: string } = {}): Promise<TestInbox> {
    const address = `support${++this.counter}@acme.test`;
    const password = `imap-${randomUUID()}`;
    await this.dovecot.addUser({ address, password });
    const config = channelConfig({
      ...(options.inboxId ? { inboxId: options.inboxId } : {}),
      channelType: 'email',
      version: 1,
      name: `Support ${this.counter}`,
      settings: {
        imap: { host: this.dovecot.host, port: this.dovecot.imapPort, secure: false, user: address, mailbox: 'INBOX' },
        smtp: { host: this.sink.host, port: this.sink.port, secure: false, user: SMTP_USER },
        address,
        fromName: 'Acme Support',
        maxAttachmentBytes: 32 * 1024,
        backfillDays: 1,
        ...settings,
      },
      secrets: { 'imap.password': options.imapPassword ?? password, 'smtp.password': SMTP_PASSWORD },
    });
    return { address, password, config };
  }

  async publish(config: ChannelConfig): Promise<void> {
    await publishChannelConfig(this.bus, config);
  }

  /** waits until `host` runs the inbox */
  async running(host: ConnectorHost<EmailSettings>, inbox: TestInbox): Promise<void> {
    await waitFor(
      `inbox ${inbox.address} running`,
      () => {
        const status = host.inbox(inbox.config.inboxId);
        return status?.state === 'running' && status.version === inbox.config.version;
      },
      { timeoutMs: 60_000 },
    );
  }

  /** the inbound messages of an inbox seen so far */
  inbound(inbox: TestInbox): InboundMessage[] {
    return this.probe
      .of(Topics.inbound, INBOUND_MESSAGE_TYPE)
      .map((record) => inboundMessageSchema.parse(record.event?.data))
      .filter((message) => message.inboxId === inbox.config.inboxId);
  }

  /** waits for an inbound message of the inbox that matches */
  async inboundWhere(inbox: TestInbox, match: (message: InboundMessage) => boolean, description: string): Promise<InboundMessage> {
    return waitFor(description, () => this.inbound(inbox).find(match), { timeoutMs: 60_000 });
  }

  async close(): Promise<void> {
    for (const host of this.hosts) await host.stop().catch(() => undefined);
    await this.probe.stop().catch(() => undefined);
    await this.bus.close().catch(() => undefined);
    await Promise.all([this.dovecot.stop(), this.sink.stop()]);
    await rm(this.blobDir, { recursive: true, force: true });
  }
}

export interface MailInput {
  from: string;
  to: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  body: string;
  extraHeaders?: string[];
}

/** a plain RFC 5322 message as a customer's client would send it */
export function mail(input: MailInput): Buffer {
  const headers = [
    `From: ${input.from}`,
    `To: ${input.to}`,
    `Subject: ${input.subject}`,
    `Date: ${new Date().toUTCString()}`,
    ...(input.messageId ? [`Message-ID: ${input.messageId}`] : []),
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`] : []),
    ...(input.references?.length ? [`References: ${input.references.join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    ...(input.extraHeaders ?? []),
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${input.body.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
}
