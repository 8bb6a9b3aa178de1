import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Chat, File, Message, MessageEntity, PhotoSize, Update, User, UserFromGetMe } from 'grammy/types';
import type { UploadedFile } from './bot-api-request';
import { parseTelegramHtml, TelegramHtmlError } from './telegram-html';

/** The JSON a Bot API method answers (`ok` true with a result, or the error shape). */
export type BotApiResponse =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };

/** One answer a test programs the fake to give instead of the real one. */
export interface FakeFailure {
  status: number;
  description?: string;
  /** seconds, sent as parameters.retry_after (429) */
  retryAfter?: number;
}

/** A Bot API call as the fake received it (tests assert on these). */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  /** HTTP status the fake answered with */
  status: number;
  at: number;
}

/** One attempt to POST an update to the webhook. */
export interface WebhookDelivery {
  updateId: number;
  /** HTTP status the webhook answered, or null when the request failed (connection refused / reset) */
  status: number | null;
  error?: string;
  at: number;
}

export interface WebhookState {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates?: string[];
  setAt: number;
}

interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  data: Buffer;
}

interface LongPollWaiter {
  wake: (reason: 'updates' | 'conflict' | 'closed') => void;
}

export interface FakeBotOptions {
  token?: string;
  id?: number;
  username?: string;
  firstName?: string;
  /** delay before a failed webhook delivery is tried again (Telegram backs off; tests want it short) */
  webhookRetryDelayMs?: number;
}

/** a message a user sends (never a channel post) */
type UserMessage = NonNullable<Update['message']>;

const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const MESSAGE_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendChatAction']);

function ok(result: unknown): BotApiResponse {
  return { ok: true, result };
}

function fail(status: number, description: string, retryAfter?: number): BotApiResponse {
  return retryAfter === undefined
    ? { ok: false, error_code: status, description }
    : { ok: false, error_code: status, description, parameters: { retry_after: retryAfter } };
}

function defaultDescription(status: number, retryAfter?: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${status}`;
  }
}

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function toBool(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** POSTs a JSON body like Telegram does (keep-alive connections); resolves with the HTTP status */
function postJson(agent: Agent, url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, ...(target.protocol === 'https:' ? {} : { agent }), timeout: timeoutMs },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fileIdFor(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/**
 * The state of one bot in the fake Bot API: its identity, its queue of updates (confirmed by
 * getUpdates' offset or a 2xx webhook answer), its webhook, the chats it knows, the files it
 * serves, the calls it received and the failures a test asked for.
 */
export class FakeBot {
  readonly token: string;
  readonly info: UserFromGetMe;
  readonly calls: RecordedCall[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  webhook: WebhookState | null = null;

  private readonly pending: Update[] = [];
  private readonly inFlight = new Set<Update>();
  private readonly retryAt = new Map<Update, number>();
  private readonly chats = new Map<number, Chat>();
  private readonly blocked = new Map<number, string>();
  private readonly messageIds = new Map<number, number>();
  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private readonly failures: { method: string; remaining: number; failure: FakeFailure }[] = [];
  private readonly webhookRetryDelayMs: number;
  private nextUpdateId = 100_000_000 + Math.floor(Math.random() * 1_000_000);
  private nextUserId = 700_000_000 + Math.floor(Math.random() * 1_000_000);
  private waiter: LongPollWaiter | null = null;
  private deliveryLoop: Promise<void> | null = null;
  private deliveryWake: (() => void) | null = null;
  private lastWebhookError: { date: number; message: string } | null = null;
  private readonly webhookAgent = new Agent({ keepAlive: true, maxSockets: 100 });
  private closed = false;

  constructor(options: FakeBotOptions = {}) {
    const id = options.id ?? 6_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
    this.token = options.token ?? `${id}:AA${randomBytes(24).toString('base64url').slice(0, 33)}`;
    this.info = {
      id,
      is_bot: true,
      first_name: options.firstName ?? 'Switchboard Test',
      username: options.username ?? `switchboard_${id}_bot`,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as UserFromGetMe;
    this.webhookRetryDelayMs = options.webhookRetryDelayMs ?? 200;
  }

  // ─── test-facing API ──────────────────────────────────────────────────────────────────────────

  /** a Telegram user who has a private chat with the bot */
  user(profile: Partial<Omit<User, 'is_bot'>> = {}): User {
    const user: User = {
      id: profile.id ?? this.nextUserId++,
      is_bot: false,
      first_name: profile.first_name ?? 'Test',
      ...(profile.last_name !== undefined ? { last_name: profile.last_name } : {}),
      ...(profile.username !== undefined ? { username: profile.username } : {}),
      language_code: profile.language_code ?? 'en',
    };
    this.knowChat({ id: user.id, type: 'private', first_name: user.first_name, last_name: user.last_name, username: user.username } as Chat);
    return user;
  }

  /** makes a chat known (sendMessage to an unknown chat is 400 "chat not found", as on Telegram) */
  knowChat(chat: Chat): void {
    this.chats.set(chat.id, chat);
  }

  /** the user blocked the bot: every send to the chat answers 403 */
  block(chatId: number, description = 'Forbidden: bot was blocked by the user'): void {
    this.blocked.set(chatId, description);
  }

  /** the next `times` calls of `method` ('*' = any method) answer with `failure` instead */
  failNext(method: string, failure: FakeFailure, times = 1): void {
    this.failures.push({ method, remaining: times, failure });
  }

  /** stores bytes the bot can fetch with getFile + /file/bot<token>/<file_path>; returns its ids */
  addFile(data: Buffer, options: { fileId?: string; fileUniqueId?: string; filePath?: string; prefix?: string } = {}): File {
    const fileId = options.fileId ?? fileIdFor(options.prefix ?? 'BQACAgIAAxkBAAI');
    const fileUniqueId = options.fileUniqueId ?? `AgAD${randomBytes(6).toString('base64url')}`;
    const filePath = options.filePath ?? `documents/file_${this.files.size + 1}.bin`;
    const stored: StoredFile = { fileId, fileUniqueId, filePath, data };
    this.files.set(fileId, stored);
    this.filesByPath.set(filePath, stored);
    return { file_id: fileId, file_unique_id: fileUniqueId, file_size: data.length, file_path: filePath };
  }

  fileByPath(filePath: string): Buffer | undefined {
    return this.filesByPath.get(filePath)?.data;
  }

  /** the next message id in a chat (private chats number messages per chat, both directions) */
  nextMessageId(chatId: number): number {
    const next = (this.messageIds.get(chatId) ?? 0) + 1;
    this.messageIds.set(chatId, next);
    return next;
  }

  /**
   * Queues an update for getUpdates / the webhook. An update without `update_id` gets the next
   * one; a message without `message_id` gets the chat's next one; its chat becomes known.
   */
  enqueue(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const message = update.message ?? update.edited_message;
    if (message) {
      this.knowChat(message.chat);
      if (message.message_id === undefined) (message as { message_id: number }).message_id = this.nextMessageId(message.chat.id);
      else this.messageIds.set(message.chat.id, Math.max(this.messageIds.get(message.chat.id) ?? 0, message.message_id));
    }
    const updateId = update.update_id !== undefined && update.update_id >= this.nextUpdateId ? update.update_id : this.nextUpdateId;
    this.nextUpdateId = updateId + 1;
    const full = { ...update, update_id: updateId } as Update;
    this.pending.push(full);
    this.notify();
    return full;
  }

  /** Telegram sometimes delivers an update again (e.g. the 200 got lost): queue the same update once more */
  deliverAgain(update: Update): void {
    this.pending.push(structuredClone(update));
    this.notify();
  }

  /** a private text message from `user` (entities optional) */
  sendText(user: User, text: string, extra: Partial<Message> = {}): Update {
    return this.enqueue({ message: { ...this.messageBase(user), text, ...extra } as UserMessage });
  }

  /** a private photo (one stored file served in three sizes) from `user` */
  sendPhoto(user: User, data: Buffer, extra: Partial<Message> = {}): Update {
    const file = this.addFile(data, { prefix: 'AgACAgIAAxkBAAI', filePath: `photos/file_${this.files.size + 1}.jpg` });
    const sizes: PhotoSize[] = [
      { file_id: fileIdFor('AgACAgIAAxkBAAI'), file_unique_id: `AQAD${randomBytes(6).toString('base64url')}`, width: 90, height: 60, file_size: Math.max(1, Math.floor(data.length / 20)) },
      { file_id: fileIdFor('AgACAgIAAxkBAAI'), file_unique_id: `AQAD${randomBytes(6).toString('base64url')}`, width: 320, height: 213, file_size: Math.max(1, Math.floor(data.length / 4)) },
      { file_id: file.file_id, file_unique_id: file.file_unique_id, width: 1280, height: 853, file_size: data.length },
    ];
    return this.enqueue({ message: { ...this.messageBase(user), photo: sizes, ...extra } as UserMessage });
  }

  /** a private document from `user` */
  sendDocument(user: User, data: Buffer, fileName: string, mimeType: string, extra: Partial<Message> = {}): Update {
    const file = this.addFile(data, { filePath: `documents/file_${this.files.size + 1}${fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.')) : ''}` });
    return this.enqueue({
      message: {
        ...this.messageBase(user),
        document: { file_id: file.file_id, file_unique_id: file.file_unique_id, file_name: fileName, mime_type: mimeType, file_size: data.length },
        ...extra,
      } as UserMessage,
    });
  }

  /** the user edits a text message they sent earlier */
  editText(original: Message, text: string): Update {
    return this.enqueue({ edited_message: { ...original, text, edit_date: Math.floor(Date.now() / 1000) } as NonNullable<Update['edited_message']> });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** updates not yet confirmed (neither by a getUpdates offset nor by a 2xx webhook answer) */
  get pendingUpdates(): readonly Update[] {
    return this.pending;
  }

  /** resolves when `predicate` holds (checked every 20 ms), rejects after `timeoutMs` */
  async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(20);
    }
  }

  // ─── the Bot API ─────────────────────────────────────────────────────────────────────────────

  async call(method: string, params: Record<string, unknown>, files: Record<string, UploadedFile>, signal: AbortSignal): Promise<BotApiResponse> {
    const response = await this.answer(method, params, files, signal);
    this.calls.push({ method, params, files, status: response.ok ? 200 : response.error_code, at: Date.now() });
    return response;
  }

  private async answer(method: string, params: Record<string, unknown>, files: Record<string, UploadedFile>, signal: AbortSignal): Promise<BotApiResponse> {
    const programmed = this.takeFailure(method);
    if (programmed) {
      return fail(programmed.status, programmed.description ?? defaultDescription(programmed.status, programmed.retryAfter), programmed.retryAfter);
    }
    if (MESSAGE_METHODS.has(method)) {
      const chatId = toInt(params.chat_id);
      if (chatId === undefined) return fail(400, 'Bad Request: chat_id is empty');
      const blocked = this.blocked.get(chatId);
      if (blocked) return fail(403, blocked);
      if (!this.chats.has(chatId)) return fail(400, 'Bad Request: chat not found');
    }
    switch (method) {
      case 'getMe':
        return ok(this.info);
      case 'logOut':
      case 'close':
        return ok(true);
      case 'getUpdates':
        return this.getUpdates(params, signal);
      case 'setWebhook':
        return this.setWebhook(params);
      case 'deleteWebhook':
        this.webhook = null;
        if (toBool(params.drop_pending_updates)) this.pending.splice(0, this.pending.length);
        return ok(true);
      case 'getWebhookInfo':
        return ok({
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.pending.length,
          ...(this.webhook ? { max_connections: this.webhook.maxConnections } : {}),
          ...(this.lastWebhookError ? { last_error_date: this.lastWebhookError.date, last_error_message: this.lastWebhookError.message } : {}),
        });
      case 'sendMessage':
        return this.sendMessage(params);
      case 'sendPhoto':
        return this.sendMedia('photo', params, files);
      case 'sendDocument':
        return this.sendMedia('document', params, files);
      case 'sendChatAction':
        return typeof params.action === 'string' && params.action.length > 0 ? ok(true) : fail(400, 'Bad Request: wrong parameter action in request');
      case 'getFile':
        return this.getFile(params);
      default:
        return fail(404, 'Not Found');
    }
  }

  private takeFailure(method: string): FakeFailure | undefined {
    const index = this.failures.findIndex((entry) => entry.remaining > 0 && (entry.method === method || entry.method === '*'));
    if (index < 0) return undefined;
    const entry = this.failures[index];
    entry.remaining -= 1;
    if (entry.remaining === 0) this.failures.splice(index, 1);
    return entry.failure;
  }

  private async getUpdates(params: Record<string, unknown>, signal: AbortSignal): Promise<BotApiResponse> {
    if (this.webhook) {
      return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = toInt(params.offset);
    const limit = Math.min(100, Math.max(1, toInt(params.limit) ?? 100));
    const timeoutSeconds = Math.max(0, toInt(params.timeout) ?? 0);
    const allowed = Array.isArray(params.allowed_updates) && params.allowed_updates.length > 0 ? new Set(params.allowed_updates.map(String)) : null;
    if (offset !== undefined && offset > 0) this.confirmBelow(offset);
    if (offset !== undefined && offset < 0) this.pending.splice(0, Math.max(0, this.pending.length + offset));
    // a newer getUpdates terminates the one waiting (only one poller per bot)
    this.waiter?.wake('conflict');
    this.waiter = null;
    const select = (): Update[] =>
      this.pending.filter((update) => !allowed || Object.keys(update).some((key) => key !== 'update_id' && allowed.has(key))).slice(0, limit);
    let updates = select();
    if (updates.length === 0 && timeoutSeconds > 0 && !this.closed) {
      const reason = await new Promise<'updates' | 'conflict' | 'closed' | 'timeout'>((resolve) => {
        const timer = setTimeout(() => finish('timeout'), timeoutSeconds * 1000);
        const onAbort = (): void => finish('closed');
        const waiter: LongPollWaiter = { wake: (why) => finish(why) };
        function finish(why: 'updates' | 'conflict' | 'closed' | 'timeout'): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(why);
        }
        signal.addEventListener('abort', onAbort);
        this.waiter = waiter;
      });
      if (this.waiter && reason !== 'conflict') this.waiter = null;
      if (reason === 'conflict') {
        return fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
      }
      if (this.webhook) {
        return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      updates = select();
    }
    return ok(updates);
  }

  /** getUpdates' offset: every update with update_id < offset is confirmed and forgotten */
  private confirmBelow(offset: number): void {
    for (let index = this.pending.length - 1; index >= 0; index--) {
      if (this.pending[index].update_id < offset) this.pending.splice(index, 1);
    }
  }

  private setWebhook(params: Record<string, unknown>): BotApiResponse {
    const url = typeof params.url === 'string' ? params.url : '';
    if (url === '') {
      this.webhook = null;
      return ok(true);
    }
    if (!/^https?:\/\//.test(url)) return fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secret = params.secret_token;
    if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
      return fail(400, 'Bad Request: secret token contains unallowed characters');
    }
    if (toBool(params.drop_pending_updates)) this.pending.splice(0, this.pending.length);
    this.webhook = {
      url,
      secretToken: typeof secret === 'string' ? secret : undefined,
      maxConnections: Math.min(100, Math.max(1, toInt(params.max_connections) ?? 40)),
      allowedUpdates: Array.isArray(params.allowed_updates) ? params.allowed_updates.map(String) : undefined,
      setAt: Date.now(),
    };
    this.waiter?.wake('conflict');
    this.waiter = null;
    this.startDelivery();
    return ok(true);
  }

  private sendMessage(params: Record<string, unknown>): BotApiResponse {
    const chatId = toInt(params.chat_id) as number;
    const rendered = this.render(params.text, params.parse_mode);
    if ('error' in rendered) return rendered.error;
    if (rendered.text.trim().length === 0) return fail(400, 'Bad Request: message text is empty');
    if (rendered.text.length > 4096) return fail(400, 'Bad Request: message is too long');
    const reply = this.replyTo(chatId, params);
    if (reply && 'error' in reply) return reply.error;
    return ok({
      ...this.botMessageBase(chatId),
      text: rendered.text,
      ...(rendered.entities.length > 0 ? { entities: rendered.entities } : {}),
      ...(reply ? { reply_to_message: reply.message } : {}),
    });
  }

  private sendMedia(kind: 'photo' | 'document', params: Record<string, unknown>, files: Record<string, UploadedFile>): BotApiResponse {
    const chatId = toInt(params.chat_id) as number;
    const source = params[kind];
    let data: Buffer;
    let filename = kind === 'photo' ? 'photo.jpg' : 'document.dat';
    if (typeof source === 'string' && source.startsWith('attach://')) {
      const upload = files[source.slice('attach://'.length)];
      if (!upload) return fail(400, `Bad Request: wrong file identifier/HTTP URL specified`);
      data = upload.data;
      filename = upload.filename;
    } else if (typeof source === 'string' && this.files.has(source)) {
      data = (this.files.get(source) as StoredFile).data;
    } else if (files[kind]) {
      data = files[kind].data;
      filename = files[kind].filename;
    } else {
      return fail(400, `Bad Request: there is no ${kind} in the request`);
    }
    if (data.length === 0) return fail(400, 'Bad Request: file must be non-empty');
    if (kind === 'photo' && data.length > 10 * 1024 * 1024) return fail(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS');
    const caption = this.render(params.caption ?? '', params.parse_mode);
    if ('error' in caption) return caption.error;
    if (caption.text.length > 1024) return fail(400, 'Bad Request: message caption is too long');
    const reply = this.replyTo(chatId, params);
    if (reply && 'error' in reply) return reply.error;
    const stored = this.addFile(data, { filePath: `${kind === 'photo' ? 'photos' : 'documents'}/file_${this.files.size + 1}_${filename.replace(/[^A-Za-z0-9._-]/g, '_')}` });
    const media =
      kind === 'photo'
        ? { photo: [{ file_id: stored.file_id, file_unique_id: stored.file_unique_id, width: 800, height: 600, file_size: data.length }] }
        : {
            document: {
              file_id: stored.file_id,
              file_unique_id: stored.file_unique_id,
              file_name: filename,
              mime_type: 'application/octet-stream',
              file_size: data.length,
            },
          };
    return ok({
      ...this.botMessageBase(chatId),
      ...media,
      ...(caption.text.length > 0 ? { caption: caption.text } : {}),
      ...(caption.entities.length > 0 ? { caption_entities: caption.entities } : {}),
      ...(reply ? { reply_to_message: reply.message } : {}),
    });
  }

  private getFile(params: Record<string, unknown>): BotApiResponse {
    const fileId = typeof params.file_id === 'string' ? params.file_id : '';
    const stored = this.files.get(fileId);
    if (!stored) return fail(400, 'Bad Request: invalid file_id');
    if (stored.data.length > MAX_DOWNLOAD_BYTES) return fail(400, 'Bad Request: file is too big');
    return ok({ file_id: stored.fileId, file_unique_id: stored.fileUniqueId, file_size: stored.data.length, file_path: stored.filePath });
  }

  private render(value: unknown, parseMode: unknown): { text: string; entities: MessageEntity[] } | { error: BotApiResponse } {
    const text = typeof value === 'string' ? value : String(value ?? '');
    if (parseMode === undefined || parseMode === null || parseMode === '') return { text, entities: [] };
    if (parseMode !== 'HTML') return { error: fail(400, `Bad Request: unsupported parse_mode in the fake: ${String(parseMode)}`) };
    try {
      return parseTelegramHtml(text);
    } catch (error) {
      if (error instanceof TelegramHtmlError) return { error: fail(400, `Bad Request: ${error.message}`) };
      throw error;
    }
  }

  /** reply_parameters.message_id (current API) or reply_to_message_id (older clients) */
  private replyTo(chatId: number, params: Record<string, unknown>): { message: Partial<Message> } | { error: BotApiResponse } | undefined {
    const replyParameters = params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    const messageId = toInt(replyParameters?.message_id) ?? toInt(params.reply_to_message_id);
    if (messageId === undefined) return undefined;
    if (messageId > (this.messageIds.get(chatId) ?? 0)) {
      if (toBool(replyParameters?.allow_sending_without_reply) || toBool(params.allow_sending_without_reply)) return undefined;
      return { error: fail(400, 'Bad Request: message to be replied not found') };
    }
    return { message: { message_id: messageId, chat: this.chats.get(chatId) as Chat, date: Math.floor(Date.now() / 1000) } };
  }

  private messageBase(user: User): Pick<Message, 'from' | 'chat' | 'date'> {
    this.knowChat({ id: user.id, type: 'private', first_name: user.first_name, last_name: user.last_name, username: user.username } as Chat);
    return {
      from: user,
      chat: { id: user.id, type: 'private', first_name: user.first_name, ...(user.last_name ? { last_name: user.last_name } : {}), ...(user.username ? { username: user.username } : {}) } as Chat.PrivateChat,
      date: Math.floor(Date.now() / 1000),
    };
  }

  private botMessageBase(chatId: number): Pick<Message, 'message_id' | 'from' | 'chat' | 'date'> {
    return { message_id: this.nextMessageId(chatId), from: this.info, chat: this.chats.get(chatId) as Chat, date: Math.floor(Date.now() / 1000) };
  }

  // ─── webhook delivery (as Telegram does it: POST, retry until a 2xx) ─────────────────────────

  private notify(): void {
    if (this.waiter && !this.webhook) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter.wake('updates');
    }
    this.deliveryWake?.();
  }

  private startDelivery(): void {
    if (this.deliveryLoop) {
      this.deliveryWake?.();
      return;
    }
    this.deliveryLoop = this.deliver().finally(() => {
      this.deliveryLoop = null;
    });
  }

  private async deliver(): Promise<void> {
    const running = new Set<Promise<void>>();
    while (!this.closed && this.webhook) {
      const webhook = this.webhook;
      const now = Date.now();
      const next = this.pending.find(
        (update) =>
          !this.inFlight.has(update) &&
          (this.retryAt.get(update) ?? 0) <= now &&
          (!webhook.allowedUpdates || webhook.allowedUpdates.length === 0 || Object.keys(update).some((key) => webhook.allowedUpdates?.includes(key))),
      );
      if (next && running.size < webhook.maxConnections) {
        this.inFlight.add(next);
        const attempt = this.post(webhook, next).finally(() => {
          this.inFlight.delete(next);
          running.delete(attempt);
          this.deliveryWake?.();
        });
        running.add(attempt);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 50);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.deliveryWake = done;
      });
      this.deliveryWake = null;
    }
    await Promise.allSettled([...running]);
  }

  private async post(webhook: WebhookState, update: Update): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (webhook.secretToken) headers['x-telegram-bot-api-secret-token'] = webhook.secretToken;
    let status: number | null = null;
    let error: string | undefined;
    try {
      status = await postJson(this.webhookAgent, webhook.url, headers, JSON.stringify(update), 60_000);
    } catch (failure) {
      error = failure instanceof Error ? `${failure.message}${failure.cause instanceof Error ? `: ${failure.cause.message}` : ''}` : String(failure);
    }
    this.deliveries.push({ updateId: update.update_id, status, error, at: Date.now() });
    if (status !== null && status >= 200 && status < 300) {
      const index = this.pending.indexOf(update);
      if (index >= 0) this.pending.splice(index, 1);
      this.retryAt.delete(update);
    } else {
      this.lastWebhookError = { date: Math.floor(Date.now() / 1000), message: status !== null ? `Wrong response from the webhook: ${status}` : `Connection failed: ${error ?? 'unknown'}` };
      this.retryAt.set(update, Date.now() + this.webhookRetryDelayMs);
    }
  }

  /** stops webhook delivery and long polls (the server is closing) */
  async close(): Promise<void> {
    this.closed = true;
    this.waiter?.wake('closed');
    this.waiter = null;
    this.deliveryWake?.();
    await this.deliveryLoop;
    this.webhookAgent.destroy();
  }

  /** sha256 of the bytes a file id points to (to compare with a stored blob) */
  fileSha256(fileId: string): string | undefined {
    const stored = this.files.get(fileId);
    return stored ? createHash('sha256').update(stored.data).digest('hex') : undefined;
  }
}
