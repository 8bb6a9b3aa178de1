import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchChromium } from './support/browser';
import { eventually } from './support/socket-client';
import { WebchatStack } from './support/webchat-stack';

const ORIGIN = 'https://shop.example';
const PASSWORD = 'operator-password-123';

/**
 * The operator console (apps/gateway/public) in Debian's Chromium against the real gateway and inbox:
 * a conversation a bot handed off shows the handoff as a card (summary, intent, collected fields), a
 * colleague's @mention arrives in the notifications list, and the operator hands the conversation
 * back to the bot with one button.
 */
describe('operator console in Chromium: the handoff card, mentions, hand back', () => {
  let stack: WebchatStack;
  let browser: Browser;
  let page: Page;
  let botToken: string;

  beforeAll(async () => {
    stack = await WebchatStack.start({
      name: 'e2e-console',
      allowedOrigins: [ORIGIN],
      password: PASSWORD,
      operators: [
        { email: 'ann@shop.example', name: 'Ann Lee' },
        { email: 'boss@shop.example', name: 'Bella Boss', role: 'admin', availability: 'offline' },
      ],
    });
    const admin = await stack.login('boss@shop.example');
    const bot = await request(stack.url)
      .post('/api/v1/bots')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'Console test bot', inboxIds: [stack.inboxId] })
      .expect(201);
    botToken = bot.body.token as string;
    browser = await launchChromium();
    page = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the bot’s handoff as a card, lists a mention, and hands the conversation back to the bot', async () => {
    // a visitor writes: the conversation starts with the bot, which hands it off with what it collected
    const session = (await request(stack.url).post('/webchat/v1/sessions').set('Origin', ORIGIN).send({ inboxKey: stack.inboxKey, name: 'Vera' }).expect(201)).body;
    const question = `My parcel ${randomUUID().slice(0, 6)} arrived broken`;
    await request(stack.url).post('/webchat/v1/messages').set('Origin', ORIGIN).set('Authorization', `Bearer ${session.visitorToken}`).send({ text: question }).expect(201);
    // the bot sees the conversation (web chat's session id is the visitor's thread, not the conversation id)
    let conversationId = '';
    await eventually(
      async () => {
        const list = await request(stack.url).get(`/api/v1/conversations?view=all&inboxId=${stack.inboxId}`).set('Authorization', `Bearer ${botToken}`);
        const found = (list.body.items ?? []).find((c: { status: string; lastMessage?: { text?: string } }) => c.lastMessage?.text === question);
        conversationId = found?.status === 'bot' ? (found.id as string) : '';
        return conversationId !== '';
      },
      60_000,
      'the conversation with the bot',
    );
    await request(stack.url)
      .post(`/api/v1/conversations/${conversationId}/handoff`)
      .set('Authorization', `Bearer ${botToken}`)
      .send({ summary: 'Parcel arrived broken, wants a replacement', intent: 'order_problem', collected: { name: 'Vera', orderNumber: 'A-2048' }, reason: 'needs_human', language: 'en' })
      .expect(200);

    // Ann logs in to the console and opens it
    await page.goto(stack.url);
    await page.fill('input[name=email]', 'ann@shop.example');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#live.on', { timeout: 30_000 });
    await page.selectOption('#view', 'all');
    await page.locator('#conversations li', { hasText: 'Vera' }).first().click({ timeout: 30_000 });

    const card = page.locator('#handoff');
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await card.locator('.summary').textContent()).toBe('Parcel arrived broken, wants a replacement');
    const facts = await card.locator('dl').innerText();
    expect(facts).toContain('order_problem');
    expect(facts).toContain('A-2048');
    expect(facts).toContain('needs_human');
    await page.locator('#messages li', { hasText: question }).waitFor({ timeout: 30_000 });

    // a colleague mentions Ann in a note: it arrives in her notifications list
    const admin = await stack.login('boss@shop.example');
    await request(stack.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ text: '@ann please call the customer back', private: true })
      .expect(201);
    await page.locator('#notifications li.mention', { hasText: 'please call the customer back' }).waitFor({ state: 'attached', timeout: 30_000 });
    expect(await page.locator('#notification-count').textContent()).not.toBe('0');

    // Ann hands it back to the bot
    await page.click('#handback');
    await eventually(
      async () => (await request(stack.url).get(`/api/v1/conversations/${conversationId}`).set('Authorization', `Bearer ${admin}`)).body.status === 'bot',
      30_000,
      'the conversation back with the bot',
    );
    await page.locator('#handback').waitFor({ state: 'hidden', timeout: 30_000 });
    expect(await page.locator('#reply-error').textContent()).toBe('');
  }, 180_000);
});
