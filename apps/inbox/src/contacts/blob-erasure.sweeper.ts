import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { BlobNotFoundError, CoalescingRunner, type BlobStore } from '@switchboard/common';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { attachmentStillReferenced } from './attachment-references';

/** Injection token of BlobErasureOptions. */
export const BLOB_ERASURE_OPTIONS = Symbol('BLOB_ERASURE_OPTIONS');

export interface BlobErasureOptions {
  /** where attachments are kept (the connectors' and the gateway's BLOB_DIR); null: this instance deletes none */
  store: BlobStore | null;
  /** how often the queue is looked at besides right after an erasure; 0 only then */
  sweepMs: number;
}

const BATCH = 100;

/**
 * Deletes the files of erased contacts' attachments. ContactRepository.erase queues the keys in
 * blob_deletions in the erasing transaction; this deletes the files and then the queue rows, so a crash
 * in between only means a second, harmless delete. Safe with several instances (rows are claimed with SKIP
 * LOCKED); a key that a message stored since refers to again is kept; a file that cannot be deleted stays
 * queued, with the reason, for the next sweep.
 */
@Injectable()
export class BlobErasureSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BlobErasureSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly runner = new CoalescingRunner(
    () => this.sweep(),
    (error) => this.logger.warn(`blob erasure sweep failed: ${error.message}`),
  );

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    @Inject(BLOB_ERASURE_OPTIONS) private readonly options: BlobErasureOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.store) {
      this.logger.warn("no blob store configured: erased contacts' attachment files are left to an instance that has one");
      return;
    }
    if (this.options.sweepMs > 0) {
      this.timer = setInterval(() => this.wake(), this.options.sweepMs);
      this.timer.unref();
    }
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.runner.stop();
  }

  /** sweeps now (or once more after the sweep under way) */
  wake(): void {
    if (this.options.store) this.runner.request();
  }

  /** @returns how many files were deleted (or found gone already) */
  async sweep(): Promise<number> {
    const store = this.options.store;
    if (!store) return 0;
    let deleted = 0;
    for (;;) {
      const round = await this.db.transaction(async (sql) => {
        const keys = (await sql.rows<{ key: string }>(`SELECT key FROM blob_deletions ORDER BY requested_at, key LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`)).map((row) => row.key);
        if (keys.length === 0) return { done: 0, full: false, failed: 0 };
        const referenced = new Set(
          (
            await sql.rows<{ key: string }>(
              `SELECT k AS key FROM unnest($1::text[]) AS k
                WHERE ${attachmentStillReferenced('k')}`,
              [keys],
            )
          ).map((row) => row.key),
        );
        const finished: string[] = [];
        const failed: Array<{ key: string; reason: string }> = [];
        for (const key of keys) {
          if (referenced.has(key)) {
            finished.push(key);
            continue;
          }
          try {
            await store.delete(key);
            finished.push(key);
          } catch (error) {
            if (error instanceof BlobNotFoundError) finished.push(key);
            else failed.push({ key, reason: (error as Error).message });
          }
        }
        await sql.exec(`DELETE FROM blob_deletions WHERE key = ANY($1::text[])`, [finished]);
        if (failed.length > 0) {
          await sql.exec(
            `UPDATE blob_deletions d SET attempts = d.attempts + 1, last_error = f.reason, requested_at = now()
               FROM unnest($1::text[], $2::text[]) AS f(key, reason) WHERE d.key = f.key`,
            [failed.map((f) => f.key), failed.map((f) => f.reason)],
          );
        }
        return { done: finished.length - referenced.size, full: keys.length === BATCH, failed: failed.length };
      });
      deleted += round.done;
      if (round.failed > 0) this.logger.warn(`blob erasure: ${round.failed} file(s) could not be deleted; kept for the next sweep`);
      if (!round.full || round.failed > 0) return deleted;
    }
  }
}
