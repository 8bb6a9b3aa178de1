import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  INBOUND_MESSAGE_TYPE,
  newEvent,
  OUTBOUND_MESSAGE_TYPE,
  outboundTopic,
  Topics,
  type BusMessage,
  type InboundMessage,
} from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import type { Browser } from 'playwright-core';
import { publishWebchatChannel } from './support/webchat-channel';
import { launchChromium } from './support/browser';
import { FakeInbox } from './support/fake-inbox.server';
import {
  gatewayTestConfig,
  RunningGateway,
  startGateway,
  TEST_INTERNAL_TOKEN,
} from './support/gateway-harness';
import { HostPage } from './support/host-page.server';
import { eventually, untilReady } from './support/socket-client';

/**
 * The widget in Debian's Chromium on a shop page of another origin: open, send, receive the reply.
 * The inbox is faked here (its outbound record is published by the test); the end-to-end spec
 * runs the same path through the real inbox.
 */
describe('web chat widget in Chromium, embedded on another origin', () => {
  const prefix = `${uniqueName('gw-widget')}.`;
  const inboxId = randomUUID();
  const inboxKey = `pk_${randomBytes(6).toString('hex')}`;
  let inbox: FakeInbox;
  let gateway: RunningGateway;
  let page: HostPage;
  let browser: Browser;
  let bus: KafkaBus;
  const inbound: InboundMessage[] = [];

  beforeAll(async () => {
    inbox = await new FakeInbox(TEST_INTERNAL_TOKEN).start();
    inbox.on((r) =>
      r.path === '/internal/v1/webchat/messages' ? { status: 200, body: { items: [] } } : undefined,
    );
    const config = gatewayTestConfig({
      INBOX_URL: inbox.url,
      KAFKA_TOPIC_PREFIX: prefix,
      BLOB_DIR: mkdtempSync(join(tmpdir(), 'gw-widget-')),
    });
    gateway = await startGateway(config);
    page = await new HostPage(gateway.url).start('localhost');
    bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'gw-widget-test', topicPrefix: prefix });
    await bus.subscribe({
      groupId: uniqueName('widget-probe'),
      topics: [Topics.inbound],
      fromBeginning: true,
      eachMessage: async (message: BusMessage) => {
        const event = JSON.parse(message.value.toString('utf8')) as { type: string; data: InboundMessage };
        if (event.type === INBOUND_MESSAGE_TYPE) inbound.push(event.data);
      },
    });
    await publishWebchatChannel(bus, inboxId, { allowedOrigins: [page.origin], inboxKey });
    await untilReady(gateway.url);
    await eventually(
      async () =>
        (
          await fetch(`${gateway.url}/webchat/v1/config?inboxKey=${inboxKey}`, {
            headers: { Origin: page.origin },
          })
        ).status === 200,
      60_000,
      'the inbox to be served',
    );
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await page?.stop();
    await gateway?.close();
    await bus?.close();
    await inbox?.stop();
  });

  it('opens, sends a message, and shows the operator’s reply', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(`${page.url}/?inboxKey=${inboxKey}&locale=en`);
    expect(new URL(tab.url()).origin).not.toBe(new URL(gateway.url).origin);

    await tab.click('[data-switchboard] .launcher');
    await tab.waitForSelector('[data-switchboard] .panel.open');
    await tab.fill('[data-switchboard] textarea', 'Hello from the shop page');
    await tab.click('[data-switchboard] .send');
    await tab.waitForSelector(
      '[data-switchboard] .msg.in:not(.pending):has-text("Hello from the shop page")',
    );

    await eventually(
      () => inbound.some((m) => m.text === 'Hello from the shop page'),
      30_000,
      'the message on inbox.inbound.v1',
    );
    const sent = inbound.find((m) => m.text === 'Hello from the shop page') as InboundMessage;
    expect(sent).toMatchObject({ inboxId, channelType: 'webchat' });

    // what the inbox publishes when the operator answers
    const reply = {
      messageId: randomUUID(),
      conversationId: randomUUID(),
      inboxId,
      channelType: 'webchat',
      recipient: { externalId: sent.sender.externalId },
      threadKey: sent.threadKey,
      text: 'Hi! Your order ships today.',
      attachments: [],
      references: [],
      sender: { type: 'operator', id: randomUUID(), name: 'Olga' },
      createdAt: new Date().toISOString(),
    };
    await bus.publish(outboundTopic('webchat'), [
      { key: reply.conversationId, value: newEvent(OUTBOUND_MESSAGE_TYPE, 'test/inbox', reply) },
    ]);
    const shown = await tab.waitForSelector(
      '[data-switchboard] .msg.out:has-text("Your order ships today")',
      { timeout: 30_000 },
    );
    expect(await shown.textContent()).toContain('Olga');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('speaks Persian right to left, and Russian', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${page.url}/?inboxKey=${inboxKey}&locale=fa`);
    const wrapper = tab.locator('[data-switchboard] div[dir]').first();
    expect(await wrapper.getAttribute('dir')).toBe('rtl');
    expect(await tab.getAttribute('[data-switchboard] textarea', 'placeholder')).toBe('پیام خود را بنویسید…');
    await tab.goto(`${page.url}/?inboxKey=${inboxKey}&locale=ru`);
    expect(await tab.locator('[data-switchboard] div[dir]').first().getAttribute('dir')).toBe('ltr');
    expect(await tab.getAttribute('[data-switchboard] textarea', 'placeholder')).toBe('Введите сообщение…');
    await context.close();
  }, 60_000);
});
