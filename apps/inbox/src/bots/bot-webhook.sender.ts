import { Inject, Injectable } from '@nestjs/common';
import { signWebhook } from '@switchboard/common/crypto';
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
 */
@Injectable()
export class BotWebhookSender {
  constructor(@Inject(BOT_WEBHOOK_OPTIONS) private readonly options: BotWebhookOptions) {}

  async post(request: WebhookPost): Promise<WebhookPostOutcome> {
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'x-switchboard-signature': signWebhook(request.secret, request.body),
          'x-switchboard-event': request.event,
          'x-switchboard-delivery': request.deliveryId,
        },
        body: request.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      // the bot's answer is not read beyond its status
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, error: describe(error, this.options.requestTimeoutMs) };
    }
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (err.cause?.code) return `connection failed (${err.cause.code})`;
  return `request failed (${err.cause?.message ?? err.message ?? 'unknown error'})`.slice(0, 500);
}
