import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A customer's web site on its own origin, embedding the widget from the gateway. */
export class HostPage {
  private server!: Server;
  url = '';

  /** where the widget comes from (may be set after start) */
  constructor(public gatewayUrl = '') {}

  async start(host = 'localhost'): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://page');
      const inboxKey = url.searchParams.get('inboxKey') ?? '';
      const locale = url.searchParams.get('locale') ?? 'en';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>The shop</h1>
<script src="${this.gatewayUrl}/widget.js"></script>
<script>Switchboard.init(${JSON.stringify({ inboxKey, locale })});</script>
</body></html>`);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get origin(): string {
    return new URL(this.url).origin;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
