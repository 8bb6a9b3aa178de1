import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_BOT_WEBHOOK_OPTIONS } from '../bot-webhook-options';
import { BotWebhookSender, type WebhookPost } from '../bot-webhook.sender';

describe('BotWebhookSender (a real HTTP server on this host)', () => {
  let server: Server;
  let port = 0;
  const received: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = req.url === '/fails' ? 503 : req.url === '/moved' ? 302 : 200;
        res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {}).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const post = (url: string, body = '{"id":"d-1","event":"message.created"}'): WebhookPost => ({ url, secret: 's3cret', deliveryId: 'd-1', event: 'message.created', body });
  const senders: BotWebhookSender[] = [];
  const sender = (allowPrivateNetworks: boolean): BotWebhookSender => {
    const created = new BotWebhookSender({ ...DEFAULT_BOT_WEBHOOK_OPTIONS, requestTimeoutMs: 2000, allowPrivateNetworks });
    senders.push(created);
    return created;
  };
  afterAll(() => senders.forEach((created) => created.onModuleDestroy()));

  it('posts the signed body when private networks are allowed; only 2xx is success; redirects are not followed', async () => {
    const allowed = sender(true);
    expect(await allowed.post(post(`http://127.0.0.1:${port}/hook`, '{"text":"Привет"}'))).toEqual({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/hook', body: '{"text":"Привет"}' });
    expect(received[0].headers).toMatchObject({ 'x-switchboard-event': 'message.created', 'x-switchboard-delivery': 'd-1', 'content-type': 'application/json' });
    expect(String(received[0].headers['x-switchboard-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await allowed.post(post(`http://localhost:${port}/fails`))).toEqual({ ok: false, error: 'HTTP 503' });
    expect(await allowed.post(post(`http://127.0.0.1:${port}/moved`))).toEqual({ ok: false, error: 'HTTP 302' });
    expect(received.map((r) => r.path)).toEqual(['/hook', '/fails', '/moved']);
  });

  it('by default refuses this host, by address and by a name that resolves to it, before anything is sent', async () => {
    const strict = sender(false);
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://[::1]:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`, 'http://169.254.169.254/latest/meta-data']) {
      const outcome = await strict.post(post(url));

      expect(outcome).toMatchObject({ ok: false });
      expect((outcome as { error: string }).error).toMatch(/is not a public address \(refused\)$/);
    }
    const byName = await strict.post(post(`http://localhost:${port}/hook`));
    expect(byName).toMatchObject({ ok: false });
    expect((byName as { error: string }).error).toMatch(/^localhost resolves to .* not a public address \(refused\)$/);
    expect(received).toEqual([]);
  });

  it('refuses what is not an http(s) URL', async () => {
    expect(await sender(true).post(post('ftp://example.com/hook'))).toEqual({ ok: false, error: 'unsupported scheme ftp:' });
    expect(await sender(true).post(post('not a url'))).toEqual({ ok: false, error: 'not a URL' });
  });
});
