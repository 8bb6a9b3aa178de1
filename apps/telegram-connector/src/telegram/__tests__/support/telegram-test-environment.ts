import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CHANNEL_CONFIG_TYPE,
  channelConfigSchema,
  DELIVERY_RECEIPT_TYPE,
  FsBlobStore,
  INBOUND_MESSAGE_EDITED_TYPE,
  INBOUND_MESSAGE_TYPE,
  newEvent,
  OutboundMessage,
  OutboundMessageInput,
  SecretBox,
  Topics,
} from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { BusProbe, outboundMessage, ProbedRecord, publishOutbound, publishTyping } from '@switchboard/connector-sdk/testing';
import { FakeBotApi } from '@switchboard/testing/fakes/telegram';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import type { TelegramSettings } from '../../telegram.manifest';

/** a TCP port nothing listens on right now (the webhook URL must be known before the server starts) */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * What an integration test of the Telegram connector shares: the fake Bot API, real Kafka under a
 * topic prefix of its own, a probe on the topics the connector writes, the blob directory and the
 * SECRETS_KEY the inbox would use to publish channel configs.
 */
export class TelegramTestEnvironment {
  readonly secretsKey = Buffer.alloc(32, 7);
  private readonly secretBox = new SecretBox(this.secretsKey);

  private constructor(
    readonly api: FakeBotApi,
    readonly topicPrefix: string,
    readonly bus: KafkaBus,
    readonly probe: BusProbe,
    readonly blobDir: string,
    readonly blobs: FsBlobStore,
  ) {}

  /** `topicPrefix`: share the topics of another service under test (e.g. the inbox harness's) */
  static async start(name: string, options: { topicPrefix?: string } = {}): Promise<TelegramTestEnvironment> {
    const api = await FakeBotApi.start();
    const topicPrefix = options.topicPrefix ?? `${uniqueName(name)}.`;
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: `${name}-test`, topicPrefix, defaultPartitions: 3 });
    const probe = await BusProbe.start(bus, [Topics.inbound, Topics.delivery, Topics.dlq, Topics.connectorOffsets]);
    const blobDir = await mkdtemp(join(tmpdir(), `${name}-blobs-`));
    return new TelegramTestEnvironment(api, topicPrefix, bus, probe, blobDir, new FsBlobStore(blobDir));
  }

  /** publishes an inbox's config as the inbox service does (secrets encrypted with SECRETS_KEY) */
  async publishInbox(inboxId: string, version: number, settings: TelegramSettings, botToken: string, extra: { enabled?: boolean; deleted?: boolean } = {}): Promise<void> {
    const config = channelConfigSchema.parse({
      inboxId,
      channelType: 'telegram',
      name: `Telegram ${inboxId.slice(0, 8)}`,
      enabled: extra.enabled ?? true,
      deleted: extra.deleted ?? false,
      version,
      settings,
      secrets: { botToken: this.secretBox.encrypt(botToken) },
      updatedAt: new Date().toISOString(),
    });
    await this.bus.publish(Topics.channels, [{ key: inboxId, value: newEvent(CHANNEL_CONFIG_TYPE, 'inbox', config) }]);
  }

  async sendOutbound(input: Partial<OutboundMessageInput> & Pick<OutboundMessageInput, 'inboxId'>): Promise<OutboundMessage> {
    const message = outboundMessage({ channelType: 'telegram', ...input });
    await publishOutbound(this.bus, message);
    return message;
  }

  async sendTyping(inboxId: string, chatId: string, conversationId: string): Promise<void> {
    await publishTyping(this.bus, { inboxId, channelType: 'telegram', conversationId, recipient: { externalId: chatId } });
  }

  /** inbound message events of an inbox (optionally of one externalId) */
  inbound(inboxId: string, externalId?: string): ProbedRecord[] {
    return this.probe
      .of(Topics.inbound, INBOUND_MESSAGE_TYPE)
      .filter((r) => {
        const data = r.event?.data as { inboxId?: string; externalId?: string };
        return data.inboxId === inboxId && (externalId === undefined || data.externalId === externalId);
      });
  }

  edits(inboxId: string): ProbedRecord[] {
    return this.probe.of(Topics.inbound, INBOUND_MESSAGE_EDITED_TYPE).filter((r) => (r.event?.data as { inboxId?: string }).inboxId === inboxId);
  }

  async waitForInbound(inboxId: string, externalId: string, count = 1, timeoutMs = 30_000): Promise<ProbedRecord[]> {
    return this.probe.waitFor(
      `${count} inbound event(s) ${externalId} of inbox ${inboxId}`,
      (r) => r.event?.type === INBOUND_MESSAGE_TYPE && (r.event.data as { inboxId?: string; externalId?: string }).inboxId === inboxId && (r.event.data as { externalId?: string }).externalId === externalId,
      { count, timeoutMs },
    );
  }

  async waitForReceipt(messageId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const [record] = await this.probe.waitFor(
      `the delivery receipt of ${messageId}`,
      (r) => r.event?.type === DELIVERY_RECEIPT_TYPE && (r.event.data as { messageId?: string }).messageId === messageId,
      { timeoutMs },
    );
    return record.event?.data as Record<string, unknown>;
  }

  async stop(): Promise<void> {
    await this.probe.stop();
    await this.bus.close();
    await this.api.close();
    await rm(this.blobDir, { recursive: true, force: true });
  }
}
