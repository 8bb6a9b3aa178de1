import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { signWebhook } from '@switchboard/common/crypto';
import { isPublicAddress, publicOnlyLookup, unbracketed } from '@switchboard/common/net/public-address';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { BOT_WEBHOOK_OPTIONS, type BotWebhookOptions } from './bot-webhook-options';

export type WebhookPostOutcome = { ok: true } | { ok: false; error: string };

export interface WebhookPost {
  url: string;
  secret: string;
  deliveryId: string;
  event: string;
  /** the raw body (signed as is) */
  body: string;
}

/**
 * One signed POST to a bot's webhook (API.md, "Bots"): `X-Switchboard-Signature: t=<unix>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>">`, the event and the delivery id in headers. 2xx is success; anything
 * else, a connection error or the time limit is a failure described without the body or the secret.
 * Redirects are not followed. Unless BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS is on, the webhook must be a
 * public address: this host, private networks and cloud metadata services are refused, checked on
 * the address actually connected to. Connections are pooled per sender (never in Node's global agent,
 * where a connection opened without the check could be reused).
 */
@Injectable()
export class BotWebhookSender implements OnModuleDestroy {
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(@Inject(BOT_WEBHOOK_OPTIONS) private readonly options: BotWebhookOptions) {}

  onModuleDestroy(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async post(request: WebhookPost): Promise<WebhookPostOutcome> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { ok: false, error: 'not a URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `unsupported scheme ${url.protocol}` };
    const host = unbracketed(url.hostname);
    const publicOnly = !this.options.allowPrivateNetworks;
    if (publicOnly && isIP(host) && !isPublicAddress(host)) return { ok: false, error: `${host} is not a public address (refused)` };
    try {
      const status = await this.send(url, request, publicOnly);
      return status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}` };
    } catch (error) {
      return { ok: false, error: describe(error, this.options.requestTimeoutMs) };
    }
  }

  private send(url: URL, request: WebhookPost, publicOnly: boolean): Promise<number> {
    const body = Buffer.from(request.body, 'utf8');
    const options: RequestOptions = {
      method: 'POST',
      agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        'user-agent': 'Switchboard-Webhooks/1',
        'x-switchboard-signature': signWebhook(request.secret, request.body),
        'x-switchboard-event': request.event,
        'x-switchboard-delivery': request.deliveryId,
      },
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      ...(publicOnly ? { lookup: publicOnlyLookup } : {}),
    };
    return new Promise<number>((resolve, reject) => {
      const onResponse = (response: IncomingMessage): void => {
        // the bot's answer is not read beyond its status
        response.resume();
        resolve(response.statusCode ?? 0);
      };
      const outgoing = url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (err.code === 'EADDRNOTPUBLIC') return `${err.message ?? 'not a public address'} (refused)`.slice(0, 500);
  if (err.code ?? err.cause?.code) return `connection failed (${err.code ?? err.cause?.code})`;
  return `request failed (${err.cause?.message ?? err.message ?? 'unknown error'})`.slice(0, 500);
}
