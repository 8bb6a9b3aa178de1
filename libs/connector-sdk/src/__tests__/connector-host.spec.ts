import {
  CHANNEL_STATUS_TYPE,
  ContextHeaders,
  DELIVERY_RECEIPT_TYPE,
  DlqHeaders,
  INBOUND_MESSAGE_EDITED_TYPE,
  INBOUND_MESSAGE_TYPE,
  inboundMessageSchema,
  Topics,
} from '@switchboard/common';
import { ConnectorError, ConnectorErrorCode } from '../errors';
import { ConnectorHost } from '../host/connector-host';
import { ConnectorDlqHeaders } from '../host/host-inbox-context';
import { ProbedRecord } from '../testing/bus-probe';
import { outboundMessage, publishOutbound, publishTyping } from '../testing/channel-fixtures';
import { waitFor } from '../testing/wait-for';
import { EchoTransportError } from './example/echo-transport-error';
import { ECHO_TOKEN, HostHarness } from './support/host-harness';

type Data = Record<string, unknown>;
const data = (record: ProbedRecord): Data => record.event?.data as Data;

function update(messageId: number, chat = 42, text = 'Hi there') {
  return {
    update_id: 1000 + messageId,
    message: {
      message_id: messageId,
      chat: { id: chat },
      from: { id: 7, first_name: 'Ann' },
      date: 1_735_000_000,
      text,
    },
  };
}

describe(ConnectorHost.name, () => {
  let harness: HostHarness;

  beforeEach(async () => {
    harness = await HostHarness.create();
  });

  afterEach(async () => {
    await harness.close();
  });

  const statuses = (inboxId: string) =>
    harness.probe
      .of(Topics.delivery, CHANNEL_STATUS_TYPE)
      .filter((r) => r.key === inboxId)
      .map((r) => data(r).state);
  const receiptsOf = (messageId: string) =>
    harness.probe.of(Topics.delivery, DELIVERY_RECEIPT_TYPE).filter((r) => data(r).messageId === messageId);
  const receiptOf = async (messageId: string) =>
    (
      await harness.probe.waitFor(
        `receipt of ${messageId}`,
        (r) => r.event?.type === DELIVERY_RECEIPT_TYPE && data(r).messageId === messageId,
      )
    )[0];

  describe('channel configs', () => {
    it('starts a session when its config arrives, restarts it on a newer version and ignores older ones', async () => {
      const sut = await harness.startHost();
      const v1 = harness.config({ version: 1, settings: { greeting: 'first' } });
      await harness.publishConfig(v1);
      const first = await harness.running(sut, v1);
      expect(first.config.settings.greeting).toBe('first');
      expect(first.config.secrets).toEqual({ apiToken: ECHO_TOKEN });

      const v3 = { ...v1, version: 3, settings: { greeting: 'third' } };
      await harness.publishConfig(v3);
      const third = await harness.running(sut, v3);
      expect(first.stopped).toBe(true);
      expect(first.context.signal.aborted).toBe(true);
      expect(third.config.settings.greeting).toBe('third');

      await harness.publishConfig({ ...v1, version: 2, settings: { greeting: 'stale' } });
      const marker = harness.config({ version: 1 }); // a later record, to know the stale one was handled
      await harness.publishConfig(marker);
      await harness.running(sut, marker);
      expect(harness.connector.starts.filter((c) => c.inboxId === v1.inboxId).map((c) => c.version)).toEqual([
        1, 3,
      ]);
      expect(sut.inbox(v1.inboxId)).toMatchObject({ state: 'running', version: 3 });
      await waitFor('two running statuses', () => statuses(v1.inboxId).length === 2);
      expect(statuses(v1.inboxId)).toEqual(['running', 'running']);
    });

    it('stops the session when the inbox is disabled (reporting stopped) and when it is deleted', async () => {
      const sut = await harness.startHost();
      const kept = harness.config();
      const removed = harness.config();
      await harness.publishConfig(kept);
      await harness.publishConfig(removed);
      const keptSession = await harness.running(sut, kept);
      const removedSession = await harness.running(sut, removed);

      await harness.publishConfig({ ...kept, version: 2, enabled: false });
      await harness.publishConfig({ ...removed, version: 2, deleted: true });
      await waitFor('both stopped', () => keptSession.stopped && removedSession.stopped);
      await sut.settled();

      expect(sut.inbox(kept.inboxId)).toMatchObject({ state: 'stopped', version: 2 });
      expect(sut.inbox(removed.inboxId)).toMatchObject({ state: 'stopped', version: 2 });
      await waitFor('stopped status', () => statuses(kept.inboxId).includes('stopped'));
      expect(statuses(kept.inboxId)).toEqual(['running', 'stopped']);
      expect(statuses(removed.inboxId)).toEqual(['running']);

      await harness.publishConfig({ ...kept, version: 3, enabled: true });
      await harness.running(sut, { ...kept, version: 3 });
    });

    it('replays every config on each start, even when the instance keeps its instanceId', async () => {
      const config = harness.config();
      await harness.publishConfig(config);
      const first = await harness.startHost({ instanceId: 'pod-0' });
      await harness.running(first, config);
      await first.stop();

      const second = await harness.startHost({ instanceId: 'pod-0' });

      await harness.running(second, config);
      expect(second.runId).not.toBe(first.runId);
      expect(harness.connector.starts).toHaveLength(2);
    });

    it('leaves configs of other channel types alone', async () => {
      const sut = await harness.startHost();
      const other = harness.config({ channelType: 'sms' });
      const mine = harness.config();
      await harness.publishConfig(other);
      await harness.publishConfig(mine);
      await harness.running(sut, mine);
      expect(sut.inbox(other.inboxId)).toBeUndefined();
      expect(harness.connector.starts.map((c) => c.inboxId)).toEqual([mine.inboxId]);
    });

    it('reports error for settings the manifest rejects, without crashing, and starts once they are fixed', async () => {
      const sut = await harness.startHost();
      const broken = harness.config({ settings: { greeting: '' } });
      await harness.publishConfig(broken);
      await waitFor('error state', () => sut.inbox(broken.inboxId)?.state === 'error');
      expect(sut.inbox(broken.inboxId)?.reason).toMatch(/invalid settings: greeting/);
      await waitFor('error status', () => statuses(broken.inboxId).includes('error'));
      expect(harness.connector.starts).toHaveLength(0);

      const fixed = { ...broken, version: 2, settings: { greeting: 'fixed' } };
      await harness.publishConfig(fixed);
      const session = await harness.running(sut, fixed);
      expect(session.config.settings).toEqual({ greeting: 'fixed', maxAttachmentBytes: 1024 * 1024 });
    });

    it('reports error when a secret cannot be decrypted', async () => {
      const sut = await harness.startHost();
      const config = harness.config();
      config.secrets.apiToken = { ...config.secrets.apiToken, tag: 'tampered' };
      await harness.publishConfig(config);
      await waitFor('error state', () => sut.inbox(config.inboxId)?.state === 'error');
      expect(sut.inbox(config.inboxId)?.reason).toMatch(/secret apiToken cannot be decrypted/);
      expect(harness.connector.starts).toHaveLength(0);
    });

    it('marks the inbox needs_credentials when start fails with AUTH_INVALID, without retrying', async () => {
      harness.connector.startHook = () => {
        throw new EchoTransportError('401 Unauthorized', { status: 401 });
      };
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      await waitFor('needs_credentials status', () => statuses(config.inboxId).includes('needs_credentials'));
      await sut.settled();
      expect(sut.inbox(config.inboxId)?.state).toBe('needs_credentials');
      expect(harness.connector.starts).toHaveLength(1);
      expect(harness.sleeps).toEqual([]);
    });

    it('retries a start that fails with TEMPORARY until it succeeds', async () => {
      let failures = 2;
      harness.connector.startHook = () => {
        if (failures-- > 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      };
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      await harness.running(sut, config);
      expect(harness.connector.starts).toHaveLength(3);
      expect(harness.sleeps).toEqual([100, 200]);
      await waitFor('running status', () => statuses(config.inboxId).includes('running'));
      expect(statuses(config.inboxId)).toEqual(['error', 'running']);
    });
  });

  describe('inbound', () => {
    it('publishes what a session emits as an inbound CloudEvent keyed <inboxId>:<threadKey>, after the broker acknowledged it', async () => {
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const session = await harness.running(sut, config);

      await session.receive(update(5, 42));

      const [record] = await harness.probe.waitFor(
        'inbound event',
        (r) => r.event?.type === INBOUND_MESSAGE_TYPE,
      );
      expect(record.key).toBe(`${config.inboxId}:42`);
      expect(record.event).toMatchObject({
        type: INBOUND_MESSAGE_TYPE,
        source: 'connector/echo',
        subject: '42:5',
      });
      const message = inboundMessageSchema.parse(record.event?.data);
      expect(message).toMatchObject({
        inboxId: config.inboxId,
        channelType: 'echo',
        externalId: '42:5',
        threadKey: '42',
        text: 'Hi there',
      });
      expect(
        await harness.registry.getSingleMetricAsString('switchboard_connector_inbound_messages_total'),
      ).toContain(`switchboard_connector_inbound_messages_total{connector="echo",channel_type="echo"} 1`);
    });

    it('fills in inboxId and channelType, and rejects a message that names another inbox', async () => {
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const { context } = await harness.running(sut, config);
      const message = {
        externalId: 'x1',
        threadKey: 't1',
        sender: { externalId: 's1' },
        sentAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      };

      await context.emit([message]);
      await expect(context.emit([{ ...message, inboxId: harness.config().inboxId }])).rejects.toMatchObject({
        code: 'INVALID_PAYLOAD',
      });

      const [record] = await harness.probe.waitFor(
        'inbound event',
        (r) => r.event?.type === INBOUND_MESSAGE_TYPE,
      );
      expect(data(record)).toMatchObject({ inboxId: config.inboxId, channelType: 'echo', externalId: 'x1' });
    });

    it('rejects an invalid batch with INVALID_PAYLOAD and publishes none of it', async () => {
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const { context } = await harness.running(sut, config);
      const good = {
        externalId: 'ok',
        threadKey: 't',
        sender: { externalId: 's' },
        sentAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
      };

      const rejected = context.emit([good, { ...good, externalId: '', sentAt: 'yesterday' }]);

      await expect(rejected).rejects.toBeInstanceOf(ConnectorError);
      await expect(rejected).rejects.toMatchObject({
        code: 'INVALID_PAYLOAD',
        message: expect.stringMatching(/message 1 is invalid: externalId/),
      });
      await context.emitEdit({
        externalId: 'ok',
        threadKey: 't',
        editedAt: new Date().toISOString(),
        text: 'edited',
      });
      const [edit] = await harness.probe.waitFor(
        'edit event',
        (r) => r.event?.type === INBOUND_MESSAGE_EDITED_TYPE,
      );
      expect(edit.key).toBe(`${config.inboxId}:t`);
      expect(harness.probe.of(Topics.inbound, INBOUND_MESSAGE_TYPE)).toHaveLength(0);
    });

    it('dead-letters raw input that does not normalize, with the reason in the headers', async () => {
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const session = await harness.running(sut, config);

      await session.receive({ update_id: 1, message: { text: 'no chat' } });

      const [record] = await harness.probe.waitFor(
        'dead letter',
        (r) => r.headers[ConnectorDlqHeaders.connector] === 'echo',
      );
      expect(record.key).toBe(config.inboxId);
      expect(record.json).toEqual({ update_id: 1, message: { text: 'no chat' } });
      expect(record.headers).toMatchObject({
        [ConnectorDlqHeaders.code]: 'INVALID_PAYLOAD',
        [ConnectorDlqHeaders.inboxId]: config.inboxId,
        [DlqHeaders.errorName]: 'ConnectorError',
        [DlqHeaders.error]: expect.stringMatching(/not an echo update/),
      });
    });
  });

  describe('outbound', () => {
    async function runningInbox() {
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const session = await harness.running(sut, config);
      return { sut, config, session };
    }

    it('sends an outbound message through the session and publishes a sent receipt keyed by conversationId', async () => {
      const { config, session } = await runningInbox();
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message, { [ContextHeaders.correlationId]: 'corr-1' });

      const receipt = await receiptOf(message.messageId);
      expect(receipt.key).toBe(message.conversationId);
      expect(receipt.headers[ContextHeaders.correlationId]).toBe('corr-1');
      expect(receipt.event?.source).toBe('connector/echo');
      expect(data(receipt)).toMatchObject({
        status: 'sent',
        messageId: message.messageId,
        conversationId: message.conversationId,
        inboxId: config.inboxId,
        channelType: 'echo',
        externalId: `echo-1-${message.messageId}`,
      });
      expect(session.sent.map((m) => m.messageId)).toEqual([message.messageId]);
    });

    it('sends a duplicate messageId once and repeats its receipt', async () => {
      const { config, session } = await runningInbox();
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);
      await publishOutbound(harness.bus, message);

      const receipts = await harness.probe.waitFor(
        'two receipts',
        (r) => r.event?.type === DELIVERY_RECEIPT_TYPE && data(r).messageId === message.messageId,
        { count: 2 },
      );
      expect(receipts.map((r) => data(r).externalId)).toEqual([
        `echo-1-${message.messageId}`,
        `echo-1-${message.messageId}`,
      ]);
      expect(session.sent).toHaveLength(1);
      expect(session.sendAttempts).toBe(1);
    });

    it('retries TEMPORARY with backoff, then sends', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(
        new EchoTransportError('502 Bad Gateway', { status: 502 }),
        Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      );
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({ status: 'sent' });
      expect(session.sendAttempts).toBe(3);
      expect(harness.sleeps).toEqual([100, 200]);
    });

    it('gives up TEMPORARY after maxAttempts with a non-permanent failed receipt', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(
        ...[1, 2, 3].map(() => new EchoTransportError('503 Service Unavailable', { status: 503 })),
      );
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({
        status: 'failed',
        code: 'TEMPORARY',
        permanent: false,
        reason: '503 Service Unavailable (after 3 attempts)',
      });
      expect(session.sent).toHaveLength(0);
    });

    it('waits retryAfter on RATE_LIMITED', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(
        new EchoTransportError('429 Too Many Requests', { status: 429, retryAfterSeconds: 7 }),
      );
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({ status: 'sent' });
      expect(harness.sleeps).toEqual([7000]);
    });

    it('fails at once when retryAfter is longer than the host waits', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(new ConnectorError('RATE_LIMITED', 'flood wait', { retryAfterMs: 3_600_000 }));
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({
        status: 'failed',
        code: 'RATE_LIMITED',
        permanent: false,
      });
      expect(harness.sleeps).toEqual([]);
    });

    it('reports needs_credentials on AUTH_INVALID and fails the message without retrying', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(new EchoTransportError('401 Unauthorized', { status: 401 }));
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({
        status: 'failed',
        code: 'AUTH_INVALID',
        permanent: false,
      });
      await waitFor('needs_credentials', () => statuses(config.inboxId).includes('needs_credentials'));
      expect(session.sendAttempts).toBe(1);
      expect(harness.sleeps).toEqual([]);
    });

    it.each<[ConnectorErrorCode, unknown]>([
      ['PERMISSION', new EchoTransportError('403 Forbidden: bot was blocked by the user', { status: 403 })],
      ['NOT_FOUND', new EchoTransportError('404 chat not found', { status: 404 })],
      ['UNSUPPORTED', new ConnectorError('UNSUPPORTED', 'stickers are not supported')],
    ])('fails %s permanently with the reason, without retrying', async (code, error) => {
      const { config, session } = await runningInbox();
      session.failNextSends(error);
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({
        status: 'failed',
        code,
        permanent: true,
        reason: (error as Error).message,
      });
      expect(session.sendAttempts).toBe(1);
      expect(
        await harness.registry.getSingleMetricAsString('switchboard_connector_outbound_failed_total'),
      ).toContain(`code="${code}"`);
    });

    it('sends INVALID_PAYLOAD to the DLQ with the reason, plus a failed receipt', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(
        new EchoTransportError('400 Bad Request: message text is empty', { status: 400 }),
      );
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId))).toMatchObject({
        status: 'failed',
        code: 'INVALID_PAYLOAD',
        permanent: true,
      });
      const [dead] = await harness.probe.waitFor(
        'dead letter',
        (r) => r.headers[ConnectorDlqHeaders.code] === 'INVALID_PAYLOAD',
      );
      expect(dead.key).toBe(message.conversationId);
      expect((dead.json as { data: { messageId: string } }).data.messageId).toBe(message.messageId);
      expect(dead.headers[DlqHeaders.error]).toBe('400 Bad Request: message text is empty');
      expect(dead.headers[DlqHeaders.originalTopic]).toMatch(/channel\.echo\.outbound\.v1$/);
    });

    it('retries while the inbox is not running here, then fails the message non-permanently', async () => {
      await harness.startHost();
      const message = outboundMessage({ inboxId: harness.config().inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      const receipt = data(await receiptOf(message.messageId));
      expect(receipt).toMatchObject({ status: 'failed', code: 'TEMPORARY', permanent: false });
      expect(receipt.reason).toMatch(/is not running in connector echo/);
      expect(harness.sleeps).toEqual([100, 200]);
    });

    it('fails messages of an inbox that needs credentials, is misconfigured or is disabled at once', async () => {
      harness.connector.startHook = (inbox) => {
        if (inbox.settings.greeting === 'locked')
          throw new EchoTransportError('401 Unauthorized', { status: 401 });
      };
      const sut = await harness.startHost();
      const locked = harness.config({ settings: { greeting: 'locked' } });
      const broken = harness.config({ settings: { greeting: '' } });
      const disabled = harness.config({ enabled: true });
      for (const config of [locked, broken, disabled]) await harness.publishConfig(config);
      await harness.running(sut, disabled);
      await harness.publishConfig({ ...disabled, version: 2, enabled: false });
      await waitFor(
        'settled states',
        () =>
          sut.inbox(locked.inboxId)?.state === 'needs_credentials' &&
          sut.inbox(broken.inboxId)?.state === 'error' &&
          sut.inbox(disabled.inboxId)?.state === 'stopped',
      );
      const messages = [locked, broken, disabled].map((config) =>
        outboundMessage({ inboxId: config.inboxId, channelType: 'echo' }),
      );

      for (const message of messages) await publishOutbound(harness.bus, message);

      const receipts = await Promise.all(
        messages.map(async (message) => data(await receiptOf(message.messageId))),
      );
      expect(receipts.map((r) => [r.code, r.permanent])).toEqual([
        ['AUTH_INVALID', false],
        ['UNSUPPORTED', true],
        ['PERMISSION', true],
      ]);
      expect(receipts[1].reason).toMatch(/invalid settings: greeting/);
      expect(harness.sleeps).toEqual([]);
      expect(statuses(locked.inboxId)).toEqual(['needs_credentials']);
    });

    it('dead-letters a record that is not an outbound event, and carries on', async () => {
      const { config, session } = await runningInbox();
      await harness.bus.publish('channel.echo.outbound.v1', [{ key: 'k', value: { hello: 'world' } }]);
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });
      await publishOutbound(harness.bus, message);

      await receiptOf(message.messageId);
      const [dead] = await harness.probe.waitFor('dead letter', (r) => r.key === 'k');
      expect(dead.headers[DlqHeaders.errorName]).toBe('NonRetryableError');
      expect(session.sent).toHaveLength(1);
    });

    it('forwards typing events to the session', async () => {
      const { config, session } = await runningInbox();
      const typing = {
        conversationId: harness.config().inboxId,
        inboxId: config.inboxId,
        channelType: 'echo',
        recipient: { externalId: '42' },
      };

      await publishTyping(harness.bus, typing);

      await waitFor('typing', () => session.typings.length === 1);
      expect(session.typings[0]).toEqual(typing);
    });

    it('masks secrets in failure reasons', async () => {
      const { config, session } = await runningInbox();
      session.failNextSends(
        new EchoTransportError(`403 for https://echo.test/bot${ECHO_TOKEN}/send`, { status: 403 }),
      );
      const message = outboundMessage({ inboxId: config.inboxId, channelType: 'echo' });

      await publishOutbound(harness.bus, message);

      expect(data(await receiptOf(message.messageId)).reason).toBe('403 for https://echo.test/bot***/send');
    });
  });

  describe('offsets', () => {
    it('returns null before the first commit, and the committed position to the next host', async () => {
      const first = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const session = await harness.running(first, config);
      expect(await session.context.readOffset()).toBeNull();

      await session.context.commitOffset({ updateId: 1 });
      await session.context.commitOffset({ updateId: 2, note: 'latest' });
      expect(await session.context.readOffset()).toEqual({ updateId: 2, note: 'latest' });
      await first.stop();

      const second = await harness.startHost();
      const resumed = await harness.running(second, config);
      expect(resumed).not.toBe(session);
      expect(await resumed.context.readOffset()).toEqual({ updateId: 2, note: 'latest' });
      expect(second.ready).toBe(true);
    });

    it('keeps the offsets of each inbox apart', async () => {
      const sut = await harness.startHost();
      const a = harness.config();
      const b = harness.config();
      await harness.publishConfig(a);
      await harness.publishConfig(b);
      const sessionA = await harness.running(sut, a);
      const sessionB = await harness.running(sut, b);

      await sessionA.context.commitOffset({ updateId: 10 });

      expect(await sessionA.context.readOffset()).toEqual({ updateId: 10 });
      expect(await sessionB.context.readOffset()).toBeNull();
    });
  });

  describe('secrets and shutdown', () => {
    it('masks every decrypted secret in what the host and the connector log', async () => {
      const sut = await harness.startHost();
      const config = harness.config();
      await harness.publishConfig(config);
      const session = await harness.running(sut, config);
      session.context.logger.warn(`token is ${ECHO_TOKEN}`, {
        nested: { list: [ECHO_TOKEN], error: new Error(`bad ${encodeURIComponent(ECHO_TOKEN)}`) },
      });

      const text = harness.logger.text();
      expect(text).toContain('https://echo.test/bot***/connect');
      expect(text).toContain('token is ***');
      expect(text).not.toContain(ECHO_TOKEN);
      expect(text).not.toContain(encodeURIComponent(ECHO_TOKEN));
    });

    it('stops every session and the consumers on stop(), leaving later records to the next host', async () => {
      const sut = await harness.startHost();
      const a = harness.config();
      const b = harness.config();
      await harness.publishConfig(a);
      await harness.publishConfig(b);
      const sessions = [await harness.running(sut, a), await harness.running(sut, b)];

      await sut.stop();

      expect(sessions.map((s) => s.stopped)).toEqual([true, true]);
      expect(sessions.map((s) => s.context.signal.aborted)).toEqual([true, true]);
      expect(sut.ready).toBe(false);
      const later = outboundMessage({ inboxId: a.inboxId, channelType: 'echo' });
      await publishOutbound(harness.bus, later);
      // real waits this time: the record may arrive before the new host runs the inbox
      const next = await harness.startHost({
        sleep: undefined,
        outboundRetry: { maxAttempts: 100, initialMs: 20, maxMs: 200 },
      });
      const resumed = await harness.running(next, a);
      expect(data(await receiptOf(later.messageId))).toMatchObject({ status: 'sent' });
      expect(resumed.sent.map((m) => m.messageId)).toEqual([later.messageId]);
      expect(receiptsOf(later.messageId)).toHaveLength(1);
    });
  });
});
