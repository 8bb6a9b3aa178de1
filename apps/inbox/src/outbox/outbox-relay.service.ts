import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { MessageBus, OutgoingMessage } from '@switchboard/common';
import { Client } from 'pg';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { OUTBOX_CHANNEL } from './outbox.repository';
import type { StoredOutboxRecord } from './outbox-record';

/** Injection token of OutboxRelayOptions. */
export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

export interface OutboxRelayOptions {
  databaseUrl: string;
  /** polling fallback when no NOTIFY arrives (default 1000 ms) */
  pollIntervalMs?: number;
  /** a follower tries to become the leader this often (default 2000 ms) */
  leaderRetryMs?: number;
  /** records per publish round (default 1000) */
  batchSize?: number;
}

/** Key of the session advisory lock that makes one instance the relay leader. */
export const RELAY_LOCK_KEY = 4_281_190_732;

/**
 * Publishes outbox rows: inbox.events.v1, channel.<type>.outbound.v1, inbox.channels.v1 — in id order,
 * which is commit order per key because every writer holds the row lock of what the key names.
 *
 * One relay leader across all inbox instances (a session advisory lock on a dedicated connection), so
 * per-key order survives several instances; the others wait to take over if the leader's session
 * ends. The leader reads, publishes (acks=all), then deletes — at-least-once, consumers dedupe on the
 * event id. It wakes on LISTEN/NOTIFY and polls as a fallback.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private client: Client | null = null;
  private leader = false;
  private stopped = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private notified = false;
  private readonly pollIntervalMs: number;
  private readonly leaderRetryMs: number;
  private readonly batchSize: number;
  /** records published by this instance (metrics, tests) */
  published = 0;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: OutboxRelayOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaderRetryMs = options.leaderRetryMs ?? 2000;
    this.batchSize = options.batchSize ?? 1000;
  }

  onApplicationBootstrap(): void {
    this.loopDone = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loopDone;
    await this.disconnect();
  }

  get isLeader(): boolean {
    return this.leader;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.leader) {
          await this.tryLead();
          if (!this.leader) {
            await this.sleep(this.leaderRetryMs);
            continue;
          }
        }
        const count = await this.publishRound();
        if (count < this.batchSize) await this.sleep(this.pollIntervalMs);
      } catch (error) {
        this.logger.warn(`outbox relay: ${(error as Error).message}`);
        await this.disconnect();
        await this.sleep(Math.min(this.leaderRetryMs, 1000));
      }
    }
  }

  private async tryLead(): Promise<void> {
    if (!this.client) {
      const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'switchboard-inbox-relay' });
      client.on('error', (error) => {
        this.logger.warn(`outbox relay connection: ${error.message}`);
        this.leader = false;
        this.client = null;
        this.wake?.();
      });
      client.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      await client.connect();
      this.client = client;
    }
    const result = await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RELAY_LOCK_KEY]);
    if (result.rows[0]?.ok) {
      await this.client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.leader = true;
      this.logger.log('outbox relay: leading');
    }
  }

  /** publishes the oldest pending records, then deletes them; @returns how many */
  private async publishRound(): Promise<number> {
    const client = this.client;
    if (!client) throw new Error('no relay connection');
    this.notified = false;
    const { rows } = await client.query<StoredOutboxRecord>(
      `SELECT o.id::text AS id, o.topic, o.key, o.value, o.headers FROM outbox o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push({ key: row.key, value: row.value, headers: row.headers });
      byTopic.set(row.topic, list);
    }
    await Promise.all([...byTopic].map(([topic, messages]) => this.bus.publish(topic, messages)));
    await client.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    this.published += rows.length;
    return rows.length;
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
    this.leader = false;
    if (client) await client.end().catch(() => undefined);
  }
}
