import { DELIVERY_RECEIPT_TYPE, INBOUND_MESSAGE_TYPE, inboundMessageSchema } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import { ConnectorHost } from '../host/connector-host';
import { outboundMessage, publishOutbound } from '../testing/channel-fixtures';
import { HostHarness } from './support/host-harness';

jest.setTimeout(120_000);

describe(`${ConnectorHost.name} on Kafka`, () => {
  let harness: HostHarness;

  beforeAll(async () => {
    const bus = new KafkaBus({
      brokers: kafkaBrokers(),
      clientId: 'connector-host-int',
      topicPrefix: `${uniqueName('connector-host')}.`,
      defaultPartitions: 3,
    });
    harness = await HostHarness.create(bus);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('runs an inbox from its config, publishes inbound, sends outbound with a receipt, and keeps offsets across hosts', async () => {
    const realWaits = { sleep: undefined, outboundRetry: { maxAttempts: 20, initialMs: 100, maxMs: 1000 } };
    const first = await harness.startHost(realWaits);
    const config = harness.config();
    await harness.publishConfig(config);
    const session = await harness.running(first, config);

    await session.receive({
      update_id: 1,
      message: {
        message_id: 77,
        chat: { id: 42 },
        from: { id: 7 },
        date: 1_735_000_000,
        text: 'Hi on Kafka',
      },
    });
    const [inbound] = await harness.probe.waitFor(
      'inbound event',
      (r) => r.event?.type === INBOUND_MESSAGE_TYPE,
      { timeoutMs: 60_000 },
    );
    expect(inbound.key).toBe(`${config.inboxId}:42`);
    expect(inboundMessageSchema.parse(inbound.event?.data)).toMatchObject({
      inboxId: config.inboxId,
      externalId: '42:77',
      text: 'Hi on Kafka',
    });

    const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });
    await publishOutbound(harness.bus, message);
    const [receipt] = await harness.probe.waitFor(
      'sent receipt',
      (r) =>
        r.event?.type === DELIVERY_RECEIPT_TYPE &&
        (r.event.data as { messageId: string }).messageId === message.messageId,
      { timeoutMs: 60_000 },
    );
    expect(receipt.key).toBe(message.conversationId);
    expect(receipt.event?.data).toMatchObject({ status: 'sent', externalId: `echo-1-${message.messageId}` });
    expect(session.sent.map((m) => m.messageId)).toEqual([message.messageId]);

    expect(await session.context.readOffset()).toBeNull();
    await session.context.commitOffset({ updateId: 1 });
    await first.stop();
    expect(session.stopped).toBe(true);

    const second = await harness.startHost(realWaits);
    const resumed = await harness.running(second, config);
    expect(await resumed.context.readOffset()).toEqual({ updateId: 1 });
    // the offsets reader's barriers landed where Kafka's partitioner puts them
    expect(harness.logger.lines.filter((line) => line.message.includes('barriers'))).toEqual([]);
    expect(second.ready).toBe(true);
  });
});
