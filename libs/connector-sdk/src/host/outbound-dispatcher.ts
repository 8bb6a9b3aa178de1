import {
  BusMessage,
  decodeEvent,
  DELIVERY_RECEIPT_TYPE,
  DeliveryReceipt,
  DlqHeaders,
  MessageBus,
  newEvent,
  NonRetryableError,
  OUTBOUND_MESSAGE_TYPE,
  OUTBOUND_TYPING_TYPE,
  OutboundMessage,
  OutboundTyping,
  Topics,
} from '@switchboard/common';
import type { ConnectorLogger, InboxSession, InboxState } from '../connector';
import { ConnectorError, ConnectorErrorCode } from '../errors';
import { BackoffPolicy, backoffDelay, Sleep } from './backoff';
import type { ConnectorMetrics } from './connector-metrics';
import { ConnectorDlqHeaders, record as toRecord } from './host-inbox-context';
import type { SecretMasker } from './secret-masker';
import type { SentMessageCache } from './sent-message-cache';

/** How the host retries a send that failed with TEMPORARY or RATE_LIMITED (or found the inbox not running). */
export interface OutboundRetryPolicy extends BackoffPolicy {
  /** send attempts before a failed receipt with permanent=false (default 5) */
  maxAttempts: number;
  /** a RATE_LIMITED retryAfterMs longer than this fails at once with permanent=false (default 5 min) */
  maxRetryAfterMs: number;
}

export const DEFAULT_OUTBOUND_RETRY: OutboundRetryPolicy = {
  maxAttempts: 5,
  initialMs: 500,
  maxMs: 30_000,
  maxRetryAfterMs: 300_000,
};

export interface OutboundDispatcherDeps {
  bus: MessageBus;
  connectorId: string;
  channelType: string;
  source: string;
  /** the running session of an inbox, if any */
  sessionOf(inboxId: string): InboxSession | undefined;
  /**
   * why an inbox has no running session: a retryable error while it may still start here (not
   * seen yet, starting, retrying its start), else the error to fail the message with at once
   */
  unavailable(inboxId: string): ConnectorError;
  reportStatus(inboxId: string, state: InboxState, reason: string): Promise<void>;
  classify(error: unknown): ConnectorError;
  sent: SentMessageCache;
  masker: SecretMasker;
  metrics: ConnectorMetrics;
  logger: ConnectorLogger;
  retry: OutboundRetryPolicy;
  sleep: Sleep;
  /** aborted when the host stops: retry waits end and the message gets a non-permanent failed receipt */
  stopping: AbortSignal;
}

type Outcome =
  | { status: 'sent'; externalId: string }
  | { status: 'failed'; error: ConnectorError; permanent: boolean; reason: string };

const PERMANENT: ReadonlySet<ConnectorErrorCode> = new Set([
  'PERMISSION',
  'NOT_FOUND',
  'UNSUPPORTED',
  'INVALID_PAYLOAD',
]);

/**
 * Handles one record of channel.<type>.outbound.v1: sends outbound messages through the inbox's
 * session and publishes the delivery receipt (inbox.delivery.v1, key conversationId); forwards
 * typing events. The error code decides what happens (errors.ts): TEMPORARY / RATE_LIMITED and
 * "inbox not running here (yet)" are retried with backoff (RATE_LIMITED waits retryAfterMs) up to
 * maxAttempts, then failed with permanent=false; an inbox that waits for credentials fails as
 * AUTH_INVALID, a disabled or deleted one as PERMISSION (permanent), one whose config is broken
 * as UNSUPPORTED (permanent=false is not worth it: only a new config helps); AUTH_INVALID reports needs_credentials and fails
 * at once (permanent=false: it can succeed once the credentials are fixed); PERMISSION /
 * NOT_FOUND / UNSUPPORTED fail with permanent=true; INVALID_PAYLOAD also copies the record to the
 * DLQ. A record that is not a valid outbound event throws NonRetryableError (the bus
 * dead-letters it). Errors publishing the receipt throw (the bus retries the record; the sent
 * cache keeps it from being sent twice).
 */
export class OutboundDispatcher {
  constructor(private readonly deps: OutboundDispatcherDeps) {}

  async handle(record: BusMessage): Promise<void> {
    const event = decodeEvent(record, [OUTBOUND_MESSAGE_TYPE, OUTBOUND_TYPING_TYPE]);
    if (event.data.channelType !== this.deps.channelType) {
      throw new NonRetryableError(
        `${event.type} for channel type ${event.data.channelType} on the ${this.deps.channelType} topic`,
      );
    }
    if (event.type === OUTBOUND_TYPING_TYPE) {
      await this.typing(event.data);
      return;
    }
    const message = event.data;
    const already = this.deps.sent.get(message.messageId);
    if (already !== undefined) {
      this.deps.metrics.outboundDuplicate();
      this.deps.logger.info('outbound message already sent by this instance; repeating its receipt', {
        messageId: message.messageId,
      });
      await this.publishReceipt(message, { status: 'sent', externalId: already });
      return;
    }
    const outcome = await this.deliver(message);
    if (outcome.status === 'sent') {
      this.deps.sent.remember(message.messageId, outcome.externalId);
      this.deps.metrics.outboundSent();
    } else {
      this.deps.metrics.outboundFailed(outcome.error.code, outcome.permanent);
      this.deps.logger.warn('outbound message failed', {
        messageId: message.messageId,
        inboxId: message.inboxId,
        code: outcome.error.code,
        permanent: outcome.permanent,
        reason: outcome.reason,
      });
      if (outcome.error.code === 'INVALID_PAYLOAD')
        await this.deadLetter(record, outcome.error, outcome.reason);
    }
    await this.publishReceipt(message, outcome);
  }

  private async deliver(message: OutboundMessage): Promise<Outcome> {
    const { deps } = this;
    for (let attempt = 1; ; attempt++) {
      const session = deps.sessionOf(message.inboxId);
      let error: ConnectorError;
      if (!session) {
        error = deps.unavailable(message.inboxId);
      } else {
        const done = deps.metrics.startSend();
        try {
          const result = await session.send(message);
          done('sent');
          if (typeof result?.externalId !== 'string' || result.externalId.length === 0) {
            const bug = new ConnectorError(
              'UNSUPPORTED',
              'the connector sent the message but returned no externalId',
            );
            return this.failed(bug, true);
          }
          return { status: 'sent', externalId: result.externalId };
        } catch (thrown) {
          done('error');
          error = deps.classify(thrown);
        }
      }
      switch (error.code) {
        case 'TEMPORARY':
        case 'RATE_LIMITED': {
          if (attempt >= deps.retry.maxAttempts)
            return this.failed(error, false, `after ${attempt} attempts`);
          const retryAfter = error.code === 'RATE_LIMITED' ? error.options.retryAfterMs : undefined;
          if (retryAfter !== undefined && retryAfter > deps.retry.maxRetryAfterMs) {
            return this.failed(
              error,
              false,
              `retry after ${retryAfter} ms is longer than the ${deps.retry.maxRetryAfterMs} ms the host waits`,
            );
          }
          const delay = retryAfter ?? backoffDelay(attempt, deps.retry);
          deps.metrics.outboundRetried(error.code);
          deps.logger.info('outbound send will be retried', {
            messageId: message.messageId,
            code: error.code,
            attempt,
            delayMs: delay,
            reason: error.message,
          });
          await deps.sleep(delay, deps.stopping);
          if (deps.stopping.aborted)
            return this.failed(error, false, 'the connector stopped before the retries were spent');
          continue;
        }
        case 'AUTH_INVALID':
          if (!session) return this.failed(error, false); // already known to need credentials
          await deps
            .reportStatus(message.inboxId, 'needs_credentials', error.message)
            .catch((statusError: unknown) => {
              deps.logger.error('could not report needs_credentials', {
                inboxId: message.inboxId,
                error: statusError,
              });
            });
          return this.failed(error, false);
        default:
          return this.failed(error, PERMANENT.has(error.code));
      }
    }
  }

  private failed(error: ConnectorError, permanent: boolean, note?: string): Outcome {
    const base = this.deps.masker.maskString(error.message || error.code);
    return { status: 'failed', error, permanent, reason: (note ? `${base} (${note})` : base).slice(0, 2000) };
  }

  private async typing(typing: OutboundTyping): Promise<void> {
    const session = this.deps.sessionOf(typing.inboxId);
    if (!session?.typing) return; // typing is best effort: not running here or not supported
    try {
      await session.typing(typing);
    } catch (error) {
      this.deps.logger.debug('typing indicator failed', {
        inboxId: typing.inboxId,
        code: this.deps.classify(error).code,
      });
    }
  }

  /** the receipt inherits the outbound record's correlation id and traceparent (the bus runs handlers in its context) */
  private async publishReceipt(message: OutboundMessage, outcome: Outcome): Promise<void> {
    const common = {
      messageId: message.messageId,
      conversationId: message.conversationId,
      inboxId: message.inboxId,
      channelType: message.channelType,
      at: new Date().toISOString(),
    };
    const receipt: DeliveryReceipt =
      outcome.status === 'sent'
        ? { ...common, status: 'sent', externalId: outcome.externalId }
        : {
            ...common,
            status: 'failed',
            code: outcome.error.code,
            reason: outcome.reason,
            permanent: outcome.permanent,
          };
    await this.deps.bus.publish(Topics.delivery, [
      toRecord(newEvent(DELIVERY_RECEIPT_TYPE, this.deps.source, receipt, { subject: message.messageId })),
    ]);
  }

  private async deadLetter(record: BusMessage, error: ConnectorError, reason: string): Promise<void> {
    await this.deps.bus.publish(Topics.dlq, [
      {
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          [DlqHeaders.error]: reason,
          [DlqHeaders.errorName]: error.name,
          [DlqHeaders.originalTopic]: record.topic,
          [DlqHeaders.originalPartition]: String(record.partition),
          [DlqHeaders.originalOffset]: record.offset,
          [DlqHeaders.attempts]: '1',
          [DlqHeaders.failedAt]: new Date().toISOString(),
          [ConnectorDlqHeaders.code]: error.code,
          [ConnectorDlqHeaders.connector]: this.deps.connectorId,
        },
      },
    ]);
    this.deps.metrics.deadLettered('outbound');
  }
}
