import type { InboundMessageInput } from '@switchboard/common';
import { ConnectorError, type InboxContext, type OffsetPosition } from '@switchboard/connector-sdk';
import { ImapFlow } from 'imapflow';
import type { EmailSettings } from './email-settings.schema';
import type { MailboxCursor, RawEmail } from './email.types';

export interface MailboxWatcherOptions {
  /** messages fetched, normalized and emitted per step (one cursor commit each); default 25 */
  batchSize: number;
  /** bytes of raw mail fetched per step at most (a larger mail is fetched alone); default 32 MB */
  maxBatchBytes: number;
  /** a sync runs at least this often even without an IDLE notification (safety net); default 60 s */
  pollIntervalMs: number;
  /** reconnect backoff; default 1 s doubling to 60 s, with jitter */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** imapflow starts IDLE after this much inactivity; default 500 ms */
  autoIdleDelayMs: number;
  /** IDLE is restarted this often (NAT timeouts, servers ending IDLE after 30 min); default 5 min */
  maxIdleTimeMs: number;
  /** how long stop() lets an in-flight batch finish before it closes the connection; default 20 s */
  stopGraceMs: number;
  /** consecutive connection failures before the inbox is reported as `error` (it keeps retrying); default 3 */
  failuresBeforeError: number;
}

export const DEFAULT_WATCHER_OPTIONS: MailboxWatcherOptions = {
  batchSize: 25,
  maxBatchBytes: 32 * 1024 * 1024,
  pollIntervalMs: 60_000,
  reconnectInitialMs: 1_000,
  reconnectMaxMs: 60_000,
  autoIdleDelayMs: 500,
  maxIdleTimeMs: 5 * 60_000,
  stopGraceMs: 20_000,
  failuresBeforeError: 3,
};

export interface MailboxWatcherDeps {
  settings: Pick<EmailSettings, 'imap' | 'backfillDays'>;
  password: string;
  context: InboxContext;
  normalize(raw: RawEmail): Promise<InboundMessageInput>;
  classify(error: unknown): ConnectorError;
  options: MailboxWatcherOptions;
}

interface Fetched {
  uid: number;
  source: Buffer;
  receivedAt: Date | undefined;
}

interface Prepared {
  batch: Fetched[];
  good: Array<{ message: InboundMessageInput; item: Fetched }>;
  dead: Array<{ item: Fetched; error: ConnectorError }>;
}

const DAY_MS = 86_400_000;
/** a message whose normalization keeps failing (not as malformed) is dead-lettered after this many tries */
const MAX_NORMALIZE_ATTEMPTS = 5;

/**
 * Reads one IMAP mailbox into inbox.inbound.v1: connects (a rejected login → AUTH_INVALID from
 * start(), or `needs_credentials` reported later, never a retry loop), selects the mailbox and
 * lets imapflow IDLE on it; every EXISTS notification (and a periodic safety poll) runs a sync.
 *
 * A sync fetches the messages above the cursor in UID order, in batches: fetch under the mailbox
 * lock, release it (imapflow never IDLEs while a lock is held), normalize, dead-letter the
 * malformed ones, emit the rest, and only after Kafka acknowledged them commit the cursor
 * {uidValidity, lastUid, lastReceivedAt} to connector.offsets.v1. Publishing is a chain of its own:
 * the next batch is fetched and normalized while the previous one is emitted, and the IMAP loop
 * goes back to IDLE without waiting for Kafka. After a sync IDLE starts at once. A crash re-reads
 * at most the batches emitted but not yet committed (the inbox dedupes on externalId); a graceful
 * stop() lets the chain drain, so nothing is read twice. A publishing failure reconnects and reads
 * on from the committed cursor.
 *
 * First start (no cursor): mail of the last `backfillDays` days is imported. UIDVALIDITY change
 * (mailbox recreated / migrated): UIDs are meaningless, so the mail received since the last known
 * INTERNALDATE minus a day is read again; externalIds are content-derived (Message-ID or hash), so
 * a re-read message is recognised as a duplicate and never another message under the same id.
 * Connection failures reconnect with exponential backoff and jitter.
 */
export class ImapMailboxWatcher {
  /** the committed cursor (connector.offsets.v1) */
  private cursor: MailboxCursor | null = null;
  /** the read position: every mail up to here has been handed to the publishing chain */
  private position: MailboxCursor | null = null;
  /** tails of the chains: batches are emitted in order, and each is committed (in order) once emitted */
  private emitting: Promise<void> = Promise.resolve();
  private committing: Promise<void> = Promise.resolve();
  private publishFailure: unknown = null;
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private dirty = true;
  private wake: (() => void) | null = null;
  private readonly stopController = new AbortController();
  private failures = 0;
  private reportedError = false;
  /** normalization failures per `uidValidity:uid` (other than INVALID_PAYLOAD) */
  private readonly normalizeFailures = new Map<string, number>();

  constructor(private readonly deps: MailboxWatcherDeps) {}

  private get mailbox(): string {
    return this.deps.settings.imap.mailbox;
  }

  /** connects and opens the mailbox; rejects with a ConnectorError (AUTH_INVALID, NOT_FOUND, TEMPORARY…) */
  async start(): Promise<void> {
    this.cursor = parseCursor(await this.deps.context.readOffset());
    const client = await this.connect();
    try {
      const lock = await client.getMailboxLock(this.mailbox);
      lock.release();
    } catch (error) {
      this.dispose(client);
      throw this.deps.classify(error);
    }
    this.loop = this.run(client);
  }

  /** stops at the next safe point (the batch in flight is emitted and committed), then logs out */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort();
    this.wake?.();
    const loop = this.loop ?? Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.deps.options.stopGraceMs);
    });
    const outcome = await Promise.race([loop.then(() => 'done' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.deps.context.logger.warn('IMAP batch did not finish within the stop grace period; closing the connection');
      if (this.client) this.dispose(this.client);
      await loop;
    }
  }

  private async run(first: ImapFlow): Promise<void> {
    const { context, options } = this.deps;
    let client: ImapFlow | null = first;
    while (!this.stopped) {
      try {
        client ??= await this.connect();
        await this.serve(client);
      } catch (error) {
        if (this.stopped) break;
        const failure = this.deps.classify(error);
        if (failure.code === 'AUTH_INVALID') {
          context.logger.warn('IMAP login rejected; the inbox needs new credentials', { reason: failure.message });
          await context.reportStatus('needs_credentials', failure.message).catch((statusError: unknown) => {
            context.logger.error('could not report needs_credentials', { error: String(statusError) });
          });
          break;
        }
        this.failures++;
        const delayMs = backoff(this.failures, options.reconnectInitialMs, options.reconnectMaxMs);
        context.logger.warn('IMAP session failed; reconnecting', { code: failure.code, reason: failure.message, attempt: this.failures, delayMs });
        if (this.failures >= options.failuresBeforeError && !this.reportedError) {
          this.reportedError = true;
          await context.reportStatus('error', `${failure.message} (reconnecting)`).catch(() => undefined);
        }
        if (client) this.dispose(client);
        client = null;
        await sleep(delayMs, this.stopController.signal);
      }
    }
    await this.drained();
    if (client) await this.logout(client);
  }

  /** serves one connection until it closes (throws) or the watcher stops (returns) */
  private async serve(client: ImapFlow): Promise<void> {
    // a new connection reads on from the committed cursor (what a failed connection left half-published is read again)
    await this.drained();
    this.publishFailure = null;
    this.position = this.cursor;
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('exists', (event: { path?: string }) => {
      if (!event?.path || event.path === this.mailbox) this.markDirty();
    });
    this.dirty = true;
    while (!this.stopped) {
      this.throwIfPublishFailed();
      if (!client.usable) throw new ConnectorError('TEMPORARY', 'IMAP connection closed');
      if (this.dirty) {
        this.dirty = false;
        await this.sync(client);
        await this.healthy();
        continue;
      }
      // IDLE at once rather than after autoIdleDelay: new mail is reported the moment it lands
      if (!client.idling) void client.idle({ whenFree: true }).catch(() => undefined);
      await this.waitForWork(closed);
    }
  }

  private markDirty(): void {
    this.dirty = true;
    this.wake?.();
  }

  private async waitForWork(closed: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      closed,
      new Promise<void>((resolve) => {
        this.wake = resolve;
      }),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.dirty = true;
          resolve();
        }, this.deps.options.pollIntervalMs);
      }),
    ]);
    clearTimeout(timer);
    this.wake = null;
  }

  private async healthy(): Promise<void> {
    this.failures = 0;
    if (this.reportedError) {
      this.reportedError = false;
      await this.deps.context.reportStatus('running').catch(() => undefined);
    }
  }

  /**
   * Reads everything above the read position, batch by batch. Fetching (IMAP) and normalizing (CPU)
   * batch k+1 overlap with emitting batch k (Kafka); the IMAP loop does not wait for the commits.
   */
  private async sync(client: ImapFlow): Promise<void> {
    const { uidValidity, uids, sizes } = await this.withLock(client, async () => {
      const box = client.mailbox;
      if (!box) throw new ConnectorError('TEMPORARY', 'IMAP mailbox is not selected');
      const validity = Number(box.uidValidity);
      if (!this.position || this.position.uidValidity !== validity) {
        await this.drained();
        this.throwIfPublishFailed();
        this.position = await this.reconcileCursor(client, validity, Number(box.uidNext ?? 1));
      }
      const from = this.position.lastUid;
      const found = ((await client.search({ uid: `${from + 1}:*` }, { uid: true })) || []).filter((uid) => uid > from);
      // sizes first (cheap), so that a batch of large mails is split instead of held in memory at once
      const sizes = new Map<number, number>();
      if (found.length > 0) {
        for await (const message of client.fetch(found.join(','), { uid: true, size: true }, { uid: true })) sizes.set(message.uid, message.size ?? 0);
      }
      return { uidValidity: validity, uids: found.sort((a, b) => a - b), sizes };
    });
    let previous: Promise<void> = Promise.resolve();
    for (const chunk of this.chunks(uids, sizes)) {
      if (this.stopped) break;
      this.throwIfPublishFailed();
      const prepared = await this.prepare(await this.fetch(client, chunk, uidValidity), uidValidity);
      // back-pressure: one batch emitting, the next one waiting
      await previous;
      previous = this.enqueue(prepared, uidValidity, chunk[chunk.length - 1]);
    }
  }

  /**
   * Hands a normalized batch to the publishing chain: dead letters and events are published after
   * the previous batch's, then the cursor is committed after the previous commit. Resolves once the
   * batch is emitted (or the chain failed; the failure surfaces through throwIfPublishFailed).
   */
  private enqueue(prepared: Prepared, uidValidity: number, lastUid: number): Promise<void> {
    const lastReceivedAt = prepared.batch.reduce<string | null>(
      (latest, item) => (item.receivedAt && (!latest || item.receivedAt.toISOString() > latest) ? item.receivedAt.toISOString() : latest),
      this.position?.lastReceivedAt ?? null,
    );
    const position: MailboxCursor = { uidValidity, lastUid, lastReceivedAt };
    this.position = position;
    const emitted = this.emitting.then(async () => {
      if (this.publishFailure) return false;
      try {
        for (const { item, error } of prepared.dead) await this.deps.context.deadLetter(item.source, error, this.dlqKey(uidValidity, item.uid));
        await this.emit(prepared.good, uidValidity);
        return true;
      } catch (error) {
        this.failPublishing(error);
        return false;
      }
    });
    this.emitting = emitted.then(() => undefined);
    this.committing = Promise.all([this.committing, emitted]).then(async ([, ok]) => {
      if (!ok || this.publishFailure) return;
      try {
        await this.commit(position);
      } catch (error) {
        this.failPublishing(error);
      }
    });
    return this.emitting;
  }

  private failPublishing(error: unknown): void {
    this.publishFailure ??= error;
    this.markDirty();
  }

  private throwIfPublishFailed(): void {
    if (this.publishFailure) throw this.publishFailure;
  }

  /** resolves when every batch handed over is emitted and committed (or the chain failed) */
  private async drained(): Promise<void> {
    await this.emitting;
    await this.committing;
  }

  /** batches of at most batchSize mails and maxBatchBytes (a larger mail goes alone), in UID order */
  private chunks(uids: number[], sizes: ReadonlyMap<number, number>): number[][] {
    const { batchSize, maxBatchBytes } = this.deps.options;
    const chunks: number[][] = [];
    let current: number[] = [];
    let bytes = 0;
    for (const uid of uids) {
      const size = sizes.get(uid) ?? 0;
      if (current.length > 0 && (current.length >= batchSize || bytes + size > maxBatchBytes)) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(uid);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  private async fetch(client: ImapFlow, uids: number[], uidValidity: number): Promise<Fetched[]> {
    return this.withLock(client, async () => {
      const box = client.mailbox;
      if (!box || Number(box.uidValidity) !== uidValidity) {
        throw new ConnectorError('TEMPORARY', 'UIDVALIDITY changed during a sync; starting over');
      }
      const fetched: Fetched[] = [];
      for await (const message of client.fetch(uids.join(','), { uid: true, source: true, internalDate: true }, { uid: true })) {
        if (!message.source) throw new ConnectorError('TEMPORARY', `IMAP server returned no source for UID ${message.uid}`);
        fetched.push({ uid: message.uid, source: message.source, receivedAt: toDate(message.internalDate) });
      }
      return fetched.sort((a, b) => a.uid - b.uid);
    });
  }

  /** normalizes a fetched batch; malformed mail is set aside for the DLQ */
  private async prepare(batch: Fetched[], uidValidity: number): Promise<Prepared> {
    const { context } = this.deps;
    const prepared: Prepared = { good: [], dead: [], batch };
    for (const item of batch) {
      const raw: RawEmail = { source: item.source, receivedAt: item.receivedAt, origin: { mailbox: this.mailbox, uidValidity, uid: item.uid } };
      try {
        prepared.good.push({ message: await this.deps.normalize(raw), item });
        if (this.normalizeFailures.size > 0) this.normalizeFailures.delete(this.dlqKey(uidValidity, item.uid));
      } catch (error) {
        const failure = this.deps.classify(error);
        const key = this.dlqKey(uidValidity, item.uid);
        if (failure.code !== 'INVALID_PAYLOAD') {
          const attempts = (this.normalizeFailures.get(key) ?? 0) + 1;
          this.normalizeFailures.set(key, attempts);
          if (attempts < MAX_NORMALIZE_ATTEMPTS) throw failure;
          context.logger.error('email could not be normalized after several attempts; dead-lettered', { key, code: failure.code, reason: failure.message });
        }
        this.normalizeFailures.delete(key);
        prepared.dead.push({ item, error: failure });
      }
    }
    return prepared;
  }

  private async emit(entries: Array<{ message: InboundMessageInput; item: Fetched }>, uidValidity: number): Promise<void> {
    if (entries.length === 0) return;
    const { context } = this.deps;
    try {
      await context.emit(entries.map((entry) => entry.message));
      return;
    } catch (error) {
      const failure = this.deps.classify(error);
      if (failure.code !== 'INVALID_PAYLOAD' || entries.length === 1) {
        if (failure.code === 'INVALID_PAYLOAD') {
          await context.deadLetter(entries[0].item.source, failure, this.dlqKey(uidValidity, entries[0].item.uid));
          return;
        }
        throw failure;
      }
    }
    for (const entry of entries) await this.emit([entry], uidValidity);
  }

  /** the cursor to read from, set up on the first start and after a UIDVALIDITY change */
  private async reconcileCursor(client: ImapFlow, uidValidity: number, uidNext: number): Promise<MailboxCursor> {
    const { context, settings } = this.deps;
    const current = this.cursor;
    if (current && current.uidValidity === uidValidity) return current;
    let since: Date | null;
    if (!current) {
      since = settings.backfillDays > 0 ? new Date(Date.now() - settings.backfillDays * DAY_MS) : null;
    } else {
      const known = current.lastReceivedAt ? Date.parse(current.lastReceivedAt) : NaN;
      since = new Date((Number.isNaN(known) ? Date.now() - Math.max(1, settings.backfillDays) * DAY_MS : known) - DAY_MS);
      context.logger.warn('UIDVALIDITY changed; re-reading recent mail (duplicates are recognised by Message-ID)', {
        previous: current.uidValidity,
        current: uidValidity,
        since: since.toISOString(),
      });
    }
    let lastUid = uidNext - 1;
    if (since) {
      const found = await client.search({ since }, { uid: true });
      if (found && found.length > 0) lastUid = Math.min(...found) - 1;
    }
    const cursor: MailboxCursor = { uidValidity, lastUid: Math.max(0, lastUid), lastReceivedAt: current?.lastReceivedAt ?? null };
    await this.commit(cursor);
    return cursor;
  }

  private async commit(cursor: MailboxCursor): Promise<void> {
    await this.deps.context.commitOffset({ uidValidity: cursor.uidValidity, lastUid: cursor.lastUid, lastReceivedAt: cursor.lastReceivedAt });
    this.cursor = cursor;
  }

  private async withLock<T>(client: ImapFlow, work: () => Promise<T>): Promise<T> {
    const lock = await client.getMailboxLock(this.mailbox);
    try {
      return await work();
    } finally {
      lock.release();
    }
  }

  private async connect(): Promise<ImapFlow> {
    const { imap } = this.deps.settings;
    const { options, context } = this.deps;
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: this.deps.password },
      logger: false,
      clientInfo: { name: 'Switchboard' },
      autoIdleDelay: options.autoIdleDelayMs,
      maxIdleTime: options.maxIdleTimeMs,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: Math.max(options.maxIdleTimeMs + 60_000, 5 * 60_000),
      disableCompression: false,
    });
    // without a listener an 'error' event would crash the process; failures surface as 'close'
    client.on('error', (error: unknown) => context.logger.debug('IMAP connection error', { error: String(error) }));
    try {
      await client.connect();
    } catch (error) {
      this.dispose(client);
      throw this.deps.classify(error);
    }
    this.client = client;
    return client;
  }

  private async logout(client: ImapFlow): Promise<void> {
    try {
      if (client.usable) await client.logout();
    } catch {
      // closing anyway
    } finally {
      this.dispose(client);
    }
  }

  private dispose(client: ImapFlow): void {
    try {
      client.close();
    } catch {
      // already closed
    }
    if (this.client === client) this.client = null;
  }

  private dlqKey(uidValidity: number, uid: number): string {
    return `${this.deps.context.inboxId}:${uidValidity}:${uid}`;
  }
}

function parseCursor(position: OffsetPosition | null): MailboxCursor | null {
  if (!position) return null;
  const uidValidity = Number(position.uidValidity);
  const lastUid = Number(position.lastUid);
  if (!Number.isSafeInteger(uidValidity) || !Number.isSafeInteger(lastUid) || lastUid < 0) return null;
  const lastReceivedAt = typeof position.lastReceivedAt === 'string' ? position.lastReceivedAt : null;
  return { uidValidity, lastUid, lastReceivedAt };
}

function toDate(value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function backoff(attempt: number, initialMs: number, maxMs: number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
