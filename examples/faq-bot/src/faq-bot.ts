import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  initialState,
  respond,
  welcomeBack,
  type DialogueState,
  type Language,
  type Turn,
} from './faq-dialogue';
import { SwitchboardClient } from './switchboard-client';
import { checkWebhookSignature } from './webhook-signature';

export interface FaqBotOptions {
  /** where Switchboard's gateway answers, e.g. http://localhost:3000 */
  switchboardUrl: string;
  /** the bot token from POST /api/v1/bots */
  botToken: string;
  /** the webhook secret from POST /api/v1/bots */
  webhookSecret: string;
  /** where log lines go (default: one JSON line per entry on stdout); never given message texts */
  log?: (entry: Record<string, unknown>) => void;
}

/** A webhook delivery the bot accepted (signature valid), as kept for inspection. */
export interface ReceivedDelivery {
  id: string;
  event: string;
  conversationId: string;
  receivedAt: Date;
  /** a retry of a delivery the bot already had: acknowledged, not acted on again */
  duplicate: boolean;
}

/** The body Switchboard POSTs (see README.md, "The webhook contract"). */
interface WebhookDelivery {
  id: string;
  event: string;
  conversation: { id: string; status?: string; language?: string | null };
  message: { direction?: string; senderType?: string; kind?: string; text: string } | null;
}

const WEBHOOK_PATH = '/webhook';
const MAX_BODY_BYTES = 1024 * 1024;
/** delivery ids remembered for de-duplication (Switchboard retries within minutes, not days) */
const REMEMBERED_DELIVERIES = 10_000;
const KEPT_DELIVERY_RECORDS = 1_000;

/**
 * The FAQ bot's webhook server. Each POST /webhook is checked (signature, timestamp, shape),
 * acknowledged with 200 at once, and acted on afterwards — one conversation's events one after the
 * other. Switchboard retries a delivery it got no 2xx for, with the same id: the bot remembers ids
 * and acknowledges a repeat without answering twice.
 *
 * Conversation state lives in memory, keyed by conversation id: a restart forgets where each
 * conversation was. A real bot would keep it (and the seen delivery ids) in a database or Redis.
 */
export class FaqBot {
  private readonly client: SwitchboardClient;
  private readonly log: (entry: Record<string, unknown>) => void;
  private readonly states = new Map<string, DialogueState>();
  private readonly seenDeliveries = new Set<string>();
  private readonly received: ReceivedDelivery[] = [];
  /** per conversation, the tail of its chain of pending work */
  private readonly work = new Map<string, Promise<void>>();
  private server?: Server;

  constructor(private readonly options: FaqBotOptions) {
    this.client = new SwitchboardClient(options.switchboardUrl, options.botToken);
    this.log =
      options.log ?? ((entry) => console.log(JSON.stringify({ time: new Date().toISOString(), ...entry })));
  }

  /** the deliveries accepted lately, oldest first */
  get deliveries(): readonly ReceivedDelivery[] {
    return this.received;
  }

  /** starts listening; resolves with the port (pass 0 for any free one) */
  async listen(port: number, host?: string): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.log({ level: 'error', msg: 'request failed', error: describe(error) });
        if (!res.headersSent) reply(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  /** resolves once every accepted delivery has been acted on */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.all(this.work.values());
  }

  /** stops taking deliveries and finishes the ones already accepted */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.idle();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://bot').pathname;
    if (path === '/healthz' && req.method === 'GET') return reply(res, 200, { status: 'ok' });
    if (path !== WEBHOOK_PATH)
      return reply(res, 404, { error: { code: 'NOT_FOUND', message: 'no such route' } });
    if (req.method !== 'POST')
      return reply(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST the webhook' } });

    const body = await readBody(req, MAX_BODY_BYTES);
    if (!body) {
      res.setHeader('Connection', 'close');
      return reply(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'body over 1 MiB' } });
    }

    // 1. the signature, over the raw bytes, before anything else looks at them
    const signature = checkWebhookSignature(
      this.options.webhookSecret,
      body,
      header(req, 'x-switchboard-signature'),
    );
    if (!signature.valid) {
      this.log({ level: 'warn', msg: 'webhook refused', reason: signature.reason });
      const code = signature.reason === 'expired' ? 'SIGNATURE_EXPIRED' : 'INVALID_SIGNATURE';
      return reply(res, 401, { error: { code, message: `signature ${signature.reason}` } });
    }

    // 2. the shape
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(res, 400, { error: { code: 'INVALID_JSON', message: 'the body is not JSON' } });
    }
    const problem = shapeProblem(parsed);
    if (problem)
      return reply(res, 400, {
        error: { code: 'INVALID_PAYLOAD', message: problem.message, details: { field: problem.field } },
      });
    const delivery = parsed as WebhookDelivery;

    // 3. once per delivery id: a retry is acknowledged, not answered again
    const duplicate = this.seenDeliveries.has(delivery.id);
    this.record({
      id: delivery.id,
      event: delivery.event,
      conversationId: delivery.conversation.id,
      receivedAt: new Date(),
      duplicate,
    });
    this.log({
      level: 'info',
      msg: 'webhook received',
      deliveryId: delivery.id,
      event: delivery.event,
      conversationId: delivery.conversation.id,
      duplicate,
    });
    if (duplicate) return reply(res, 200, { received: true, duplicate: true });
    this.remember(delivery.id);

    // 4. acknowledge now, act afterwards (in order within the conversation)
    reply(res, 200, { received: true });
    this.enqueue(delivery.conversation.id, () => this.process(delivery));
  }

  private async process(delivery: WebhookDelivery): Promise<void> {
    const conversationId = delivery.conversation.id;
    let turn: Turn;
    if (delivery.event === 'conversation.handed_back') {
      turn = welcomeBack(this.states.get(conversationId), asLanguage(delivery.conversation.language));
    } else if (delivery.event === 'message.created') {
      const message = delivery.message;
      const fromCustomer =
        message &&
        message.direction !== 'outbound' &&
        (message.senderType ?? 'contact') === 'contact' &&
        (message.kind ?? 'message') === 'message';
      if (!fromCustomer || (delivery.conversation.status && delivery.conversation.status !== 'bot')) return;
      const state =
        this.states.get(conversationId) ?? initialState(asLanguage(delivery.conversation.language));
      turn = respond(state, message.text);
    } else {
      return; // an event this bot does not know: acknowledged and ignored, so new event types break nothing
    }
    this.states.set(conversationId, turn.state);
    if (turn.reply) await this.client.sendMessage(conversationId, turn.reply);
    if (turn.handoff) {
      await this.client.handoff(conversationId, turn.handoff);
      this.log({ level: 'info', msg: 'handed off', conversationId, intent: turn.handoff.intent });
    }
  }

  private enqueue(conversationId: string, task: () => Promise<void>): void {
    const next = (this.work.get(conversationId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => {
        // The customer is not stranded: Switchboard hands a conversation to humans when the bot stays silent.
        this.log({
          level: 'error',
          msg: 'acting on a delivery failed',
          conversationId,
          error: describe(error),
        });
      })
      .finally(() => {
        if (this.work.get(conversationId) === next) this.work.delete(conversationId);
      });
    this.work.set(conversationId, next);
  }

  private remember(deliveryId: string): void {
    this.seenDeliveries.add(deliveryId);
    if (this.seenDeliveries.size > REMEMBERED_DELIVERIES) {
      const oldest = this.seenDeliveries.values().next().value;
      if (oldest !== undefined) this.seenDeliveries.delete(oldest);
    }
  }

  private record(delivery: ReceivedDelivery): void {
    this.received.push(delivery);
    if (this.received.length > KEPT_DELIVERY_RECORDS) this.received.shift();
  }
}

/** what is wrong with a parsed body, naming the field; undefined when it is a usable delivery */
function shapeProblem(body: unknown): { field: string; message: string } | undefined {
  const value = body as Partial<WebhookDelivery> | null;
  if (typeof value !== 'object' || value === null)
    return { field: '', message: 'the body must be an object' };
  if (typeof value.id !== 'string' || value.id === '') return { field: 'id', message: 'id must be a string' };
  if (typeof value.event !== 'string') return { field: 'event', message: 'event must be a string' };
  if (
    typeof value.conversation !== 'object' ||
    value.conversation === null ||
    typeof value.conversation.id !== 'string'
  )
    return { field: 'conversation.id', message: 'conversation.id must be a string' };
  if (
    value.event === 'message.created' &&
    (typeof value.message !== 'object' || value.message === null || typeof value.message.text !== 'string')
  )
    return { field: 'message.text', message: 'message.text must be a string' };
  return undefined;
}

function asLanguage(value: string | null | undefined): Language | undefined {
  return value === 'ru' || value === 'en' ? value : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** the raw body, or undefined when it is larger than the limit */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
