import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseBotApiRequest } from './bot-api-request';
import { FakeBot, FakeBotOptions } from './fake-bot';

/**
 * A local HTTP server that behaves like api.telegram.org for the bots it knows
 * (`/bot<token>/<method>` and `/file/bot<token>/<file_path>`); unknown tokens get 401 like the
 * real API. Point grammY at it with `new Bot(token, { client: { apiRoot: api.apiRoot } })`.
 *
 *   const api = await FakeBotApi.start();
 *   const bot = api.createBot();
 *   const user = bot.user({ first_name: 'Ann', username: 'ann' });
 *   bot.sendText(user, 'hello');                 // queued for getUpdates / POSTed to the webhook
 *   bot.failNext('sendMessage', { status: 429, retryAfter: 1 });
 *   bot.block(user.id);                          // 403 "Forbidden: bot was blocked by the user"
 *   bot.callsTo('sendMessage')                   // what the connector sent
 */
export class FakeBotApi {
  private readonly bots = new Map<string, FakeBot>();
  private readonly sockets = new Set<Socket>();
  private readonly requests = new Set<AbortController>();

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: { port?: number; host?: string } = {}): Promise<FakeBotApi> {
    const host = options.host ?? '127.0.0.1';
    const holder: { api?: FakeBotApi } = {};
    const server = createServer((request, response) => {
      void (holder.api as FakeBotApi).handle(request, response);
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    holder.api = new FakeBotApi(server, `http://${host}:${port}`);
    return holder.api;
  }

  /** a new bot with its own token (random unless given) */
  createBot(options: FakeBotOptions = {}): FakeBot {
    const bot = new FakeBot(options);
    this.bots.set(bot.token, bot);
    return bot;
  }

  bot(token: string): FakeBot | undefined {
    return this.bots.get(token);
  }

  /** the token stops working (401), e.g. revoked in @BotFather */
  revoke(token: string): void {
    this.bots.delete(token);
  }

  async close(): Promise<void> {
    await Promise.all([...this.bots.values()].map((bot) => bot.close()));
    for (const controller of this.requests) controller.abort();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const controller = new AbortController();
    this.requests.add(controller);
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
      this.requests.delete(controller);
    });
    try {
      const url = new URL(request.url ?? '/', 'http://fake-telegram');
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file) {
        this.serveFile(decodeURIComponent(file[1]), decodeURIComponent(file[2]), response);
        return;
      }
      const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!call) {
        this.json(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
        return;
      }
      const bot = this.bots.get(decodeURIComponent(call[1]));
      if (!bot) {
        this.json(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        return;
      }
      const { params, files } = await parseBotApiRequest(request, url);
      const answer = await bot.call(call[2], params, files, controller.signal);
      if (response.destroyed) return;
      this.json(response, answer.ok ? 200 : answer.error_code, answer);
    } catch (error) {
      if (!response.headersSent && !response.destroyed) {
        this.json(response, 400, { ok: false, error_code: 400, description: `Bad Request: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }

  private serveFile(token: string, filePath: string, response: ServerResponse): void {
    const bot = this.bots.get(token);
    if (!bot) {
      this.json(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const data = bot.fileByPath(filePath);
    if (!data) {
      this.json(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    response.end(data);
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }
}
