import type { InboundMessageInput } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { classifyTelegramError } from './telegram-error.classifier';
import type { TelegramUpdateMapper } from './telegram-update.mapper';
import type { InboxContextLike } from './telegram.types';

/**
 * Normalizes a run of updates and hands them to the host in order: consecutive messages in one
 * emit (one Kafka round trip), edits as emitEdit, malformed updates to the DLQ. Resolves only
 * when Kafka acknowledged everything — the webhook answers and the polling offset advances
 * after that, never before.
 */
export class TelegramUpdateProcessor {
  constructor(
    private readonly mapper: TelegramUpdateMapper,
    private readonly context: InboxContextLike,
  ) {}

  async process(updates: readonly unknown[]): Promise<void> {
    let batch: { raw: unknown; message: InboundMessageInput }[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const pending = batch;
      batch = [];
      await this.emit(pending);
    };
    for (const raw of updates) {
      let mapped;
      try {
        mapped = await this.mapper.map(raw, this.context.blobs);
      } catch (error) {
        const classified = classifyTelegramError(error);
        if (classified.code !== 'INVALID_PAYLOAD') throw classified;
        await flush();
        this.context.logger.warn('telegram update dead-lettered', { reason: classified.message, updateId: updateIdOf(raw) });
        await this.context.deadLetter(raw, classified, this.keyOf(raw));
        continue;
      }
      switch (mapped.kind) {
        case 'message':
          batch.push({ raw, message: mapped.message });
          break;
        case 'edit':
          await flush();
          await this.context.emitEdit(mapped.edit);
          break;
        case 'ignored':
          this.context.logger.debug('telegram update ignored', { reason: mapped.reason, updateId: updateIdOf(raw) });
          break;
      }
    }
    await flush();
  }

  /** one emit for the run; when the host refuses it as invalid, find the culprit and dead-letter only it */
  private async emit(batch: { raw: unknown; message: InboundMessageInput }[]): Promise<void> {
    try {
      await this.context.emit(batch.map((entry) => entry.message));
      return;
    } catch (error) {
      if (!(ConnectorError.is(error) && error.code === 'INVALID_PAYLOAD') || batch.length === 0) throw error;
      if (batch.length === 1) {
        await this.context.deadLetter(batch[0].raw, error, this.keyOf(batch[0].raw));
        return;
      }
    }
    for (const entry of batch) await this.emit([entry]);
  }

  private keyOf(raw: unknown): string {
    const chatId = (raw as { message?: { chat?: { id?: unknown } }; edited_message?: { chat?: { id?: unknown } } } | null)?.message?.chat?.id;
    return `${this.context.inboxId}:${typeof chatId === 'number' ? chatId : 'unknown'}`;
  }
}

function updateIdOf(raw: unknown): unknown {
  return raw && typeof raw === 'object' ? (raw as { update_id?: unknown }).update_id : undefined;
}
