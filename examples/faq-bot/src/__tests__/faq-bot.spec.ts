import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaqBot } from '../faq-bot';

const SECRET = 'whsec-unit-test';
const TOKEN = 'sbb_unit-test-token';

interface ApiCall {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** a stand-in for Switchboard's REST API that records what the bot calls */
class FakeSwitchboard {
  readonly calls: ApiCall[] = [];
  status = 201;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.calls.push({
          path: req.url ?? '',
          authorization: req.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
        res.writeHead(this.status, { 'Content-Type': 'application/json' });
        res.end(
          this.status < 300
            ? '{}'
            : JSON.stringify({ error: { code: 'CONVERSATION_NOT_WITH_BOT', message: 'no' } }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function delivery(conversationId: string, text: string | null, overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    event: text === null ? 'conversation.handed_back' : 'message.created',
    conversation: { id: conversationId, status: 'bot', language: null },
    message:
      text === null
        ? null
        : { id: randomUUID(), direction: 'inbound', senderType: 'contact', kind: 'message', text },
    ...overrides,
  };
}

function signature(secret: string, raw: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;
}

describe(FaqBot.name, () => {
  let api: FakeSwitchboard;
  let sut: FaqBot;
  let url: string;
  const logs: Array<Record<string, unknown>> = [];

  beforeEach(async () => {
    api = new FakeSwitchboard();
    const apiUrl = await api.start();
    logs.length = 0;
    sut = new FaqBot({
      switchboardUrl: apiUrl,
      botToken: TOKEN,
      webhookSecret: SECRET,
      log: (entry) => logs.push(entry),
    });
    url = `http://127.0.0.1:${await sut.listen(0, '127.0.0.1')}/webhook`;
  });

  afterEach(async () => {
    await sut.close();
    await api.close();
  });

  /** null: no signature header at all */
  const post = (raw: string, header: string | null = signature(SECRET, raw)) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(header ? { 'X-Switchboard-Signature': header } : {}),
      },
      body: raw,
    });

  it('answers a signed delivery with 200 and replies through the API with its token', async () => {
    const conversationId = randomUUID();
    const response = await post(JSON.stringify(delivery(conversationId, 'What are your opening hours?')));
    expect(response.status).toBe(200);
    await sut.idle();
    expect(api.calls).toEqual([
      {
        path: `/api/v1/conversations/${conversationId}/messages`,
        authorization: `Bearer ${TOKEN}`,
        body: { text: expect.stringMatching(/Monday to Friday/) },
      },
    ]);
    expect(sut.deliveries).toEqual([
      expect.objectContaining({ event: 'message.created', conversationId, duplicate: false }),
    ]);
  });

  it('acknowledges a retried delivery (same id) without answering twice', async () => {
    const raw = JSON.stringify(delivery(randomUUID(), 'How long does delivery take?'));
    expect((await post(raw)).status).toBe(200);
    const retry = await post(raw);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ received: true, duplicate: true });
    await sut.idle();
    expect(api.calls).toHaveLength(1);
    expect(sut.deliveries.map((d) => d.duplicate)).toEqual([false, true]);
  });

  type Forgery = (raw: string) => [body: string, header: string | null];
  const forgeries: Array<[string, Forgery, string]> = [
    [
      'a tampered body',
      (raw) => [raw.replace('hours', 'HOURS'), signature(SECRET, raw)],
      'INVALID_SIGNATURE',
    ],
    ['another secret', (raw) => [raw, signature('not-the-secret', raw)], 'INVALID_SIGNATURE'],
    [
      'a timestamp over 5 minutes old',
      (raw) => [raw, signature(SECRET, raw, Math.floor(Date.now() / 1000) - 301)],
      'SIGNATURE_EXPIRED',
    ],
    ['no signature', (raw) => [raw, null], 'INVALID_SIGNATURE'],
  ];
  it.each(forgeries)('refuses %s with 401 and does nothing', async (_case, forge, code) => {
    const [raw, header] = forge(JSON.stringify(delivery(randomUUID(), 'opening hours?')));
    const response = await post(raw, header);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code } });
    await sut.idle();
    expect(api.calls).toEqual([]);
    expect(sut.deliveries).toEqual([]);
  });

  it('refuses a signed body that is not a delivery with 400 naming the field', async () => {
    const bad = await post(JSON.stringify({ ...delivery(randomUUID(), 'hi'), message: { text: 42 } }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'INVALID_PAYLOAD', details: { field: 'message.text' } },
    });
    const notJson = await post('{"id":');
    expect(notJson.status).toBe(400);
    await sut.idle();
    expect(api.calls).toEqual([]);
  });

  it('collects name and order number, then replies and hands off', async () => {
    const conversationId = randomUUID();
    for (const text of ['Моя посылка пришла повреждённой', 'Вера', 'A-1234']) {
      expect((await post(JSON.stringify(delivery(conversationId, text)))).status).toBe(200);
      await sut.idle();
    }
    expect(api.calls.map((call) => call.path.split('/').pop())).toEqual([
      'messages',
      'messages',
      'messages',
      'handoff',
    ]);
    expect(api.calls[3].body).toEqual({
      summary: expect.stringContaining('Вера'),
      intent: 'order_problem',
      collected: { name: 'Вера', orderNumber: 'A-1234' },
      reason: 'needs_human',
      language: 'ru',
      priority: 1,
    });
  });

  it('greets again on conversation.handed_back', async () => {
    const conversationId = randomUUID();
    await post(JSON.stringify(delivery(conversationId, null)));
    await sut.idle();
    expect(api.calls).toEqual([
      expect.objectContaining({ body: { text: expect.stringMatching(/^Hello again/) } }),
    ]);
  });

  it('ignores messages that are not the customer’s and conversations humans have', async () => {
    const conversationId = randomUUID();
    const operatorMessage = delivery(conversationId, 'opening hours?');
    (operatorMessage.message as Record<string, unknown>).senderType = 'operator';
    await post(JSON.stringify(operatorMessage));
    await post(
      JSON.stringify(
        delivery(conversationId, 'opening hours?', { conversation: { id: conversationId, status: 'open' } }),
      ),
    );
    await post(JSON.stringify(delivery(conversationId, 'x', { event: 'something.new' })));
    await sut.idle();
    expect(api.calls).toEqual([]);
  });

  it('logs a failed API call without the message text, and stops before handing off', async () => {
    api.status = 422;
    const conversationId = randomUUID();
    await post(JSON.stringify(delivery(conversationId, 'Do you sell gift cards?')));
    await sut.idle();
    expect(api.calls.map((call) => call.path.split('/').pop())).toEqual(['messages']);
    const failure = logs.find((entry) => entry.level === 'error');
    expect(failure).toMatchObject({
      conversationId,
      error: expect.stringContaining('422 CONVERSATION_NOT_WITH_BOT'),
    });
    expect(JSON.stringify(logs)).not.toContain('gift cards');
  });

  it('serves a health check and nothing else', async () => {
    const base = url.replace('/webhook', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
  });
});
