import type { MessageBus, OutgoingMessage } from '@switchboard/common';
import { Client } from 'pg';
import type { StoredOutboxRecord } from './outbox-record';

/** The NOTIFY channel that wakes the relay (OutboxRepository sends it at commit). */
export const OUTBOX_CHANNEL = 'switchboard_outbox';

/**
 * The relay's read: the oldest records, in id order. Published rows are deleted, so every row is pending;
 * the read walks the primary key and stops after $1 rows (a filter on another column made the planner
 * scan and sort the whole table, dead rows included, on every round).
 */
export const PENDING_OUTBOX_SQL = `SELECT o.id::text AS id, o.topic, o.key, o.value, o.headers FROM outbox o ORDER BY o.id LIMIT $1`;

/** Key of the session advisory lock that makes one instance the relay leader. */
export const RELAY_LOCK_KEY = 4_281_190_732;

export interface RelayLoopOptions {
  databaseUrl: string;
  /** polling fallback when no NOTIFY arrives (default 1000 ms) */
  pollIntervalMs?: number;
  /** a follower tries to become the leader this often (default 2000 ms) */
  leaderRetryMs?: number;
  /** records per publish round (default 1000) */
  batchSize?: number;
}

/** What the loop tells its owner. */
export interface RelayLoopListener {
  leader(isLeader: boolean): void;
  published(count: number): void;
  log(level: 'log' | 'warn', message: string): void;
}

/**
 * The relay itself: one leader across all inbox instances (a session advisory lock on a dedicated
 * connection), so per-key order survives several instances; the others wait to take over if the
 * leader's session ends. The leader reads records in id order, publishes them (acks=all), then
 * deletes them — at-least-once, consumers dedupe on the event id. It wakes on LISTEN/NOTIFY and polls
 * as a fallback. Runs wherever its owner puts it (OutboxRelay: a worker thread, or the main one).
 */
export class RelayLoop {
  private client: Client | null = null;
  private leading = false;
  private stopped = false;
  private done: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private notified = false;
  private readonly pollIntervalMs: number;
  private readonly leaderRetryMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly bus: MessageBus,
    private readonly options: RelayLoopOptions,
    private readonly listener: RelayLoopListener,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaderRetryMs = options.leaderRetryMs ?? 2000;
    this.batchSize = options.batchSize ?? 1000;
  }

  start(): void {
    this.done ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
    await this.disconnect();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.leading) {
          await this.tryLead();
          if (!this.leading) {
            await this.sleep(this.leaderRetryMs);
            continue;
          }
        }
        const count = await this.publishRound();
        if (count < this.batchSize) await this.sleep(this.pollIntervalMs);
      } catch (error) {
        this.listener.log('warn', `outbox relay: ${(error as Error).message}`);
        await this.disconnect();
        await this.sleep(Math.min(this.leaderRetryMs, 1000));
      }
    }
  }

  private async tryLead(): Promise<void> {
    let client = this.client;
    if (!client) {
      const fresh = new Client({ connectionString: this.options.databaseUrl, application_name: 'switchboard-inbox-relay' });
      fresh.on('error', (error) => {
        this.listener.log('warn', `outbox relay connection: ${error.message}`);
        // a killed session can report twice; only the session in use may drop the one in use
        if (this.client !== fresh) return;
        this.setLeading(false);
        this.client = null;
        void fresh.end().catch(() => undefined);
        this.wake?.();
      });
      fresh.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      try {
        await fresh.connect();
      } catch (error) {
        await fresh.end().catch(() => undefined);
        throw error;
      }
      // from here on, a failure ends this session (run() → disconnect), and with it any lock it took
      this.client = fresh;
      client = fresh;
    }
    const result = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RELAY_LOCK_KEY]);
    if (result.rows[0]?.ok) {
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.setLeading(true);
      this.listener.log('log', 'outbox relay: leading');
    }
  }

  /** publishes the oldest pending records, then deletes them; @returns how many */
  private async publishRound(): Promise<number> {
    const client = this.client;
    if (!client) throw new Error('no relay connection');
    this.notified = false;
    // named: prepared once per session, not parsed and planned every round
    const { rows } = await client.query<StoredOutboxRecord>({ name: 'relay_pending', text: PENDING_OUTBOX_SQL, values: [this.batchSize] });
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push({ key: row.key, value: row.value, headers: row.headers });
      byTopic.set(row.topic, list);
    }
    await Promise.all([...byTopic].map(([topic, messages]) => this.bus.publish(topic, messages)));
    await client.query({ name: 'relay_published', text: `DELETE FROM outbox WHERE id = ANY($1::bigint[])`, values: [rows.map((row) => row.id)] });
    this.listener.published(rows.length);
    return rows.length;
  }

  private setLeading(value: boolean): void {
    if (this.leading === value) return;
    this.leading = value;
    this.listener.leader(value);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || this.notified) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.setLeading(false);
    if (client) await client.end().catch(() => undefined);
  }
}
