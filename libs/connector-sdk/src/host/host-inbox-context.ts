import {
  BlobStore,
  BusHeaders,
  CHANNEL_STATUS_TYPE,
  channelStatusSchema,
  DlqHeaders,
  encodeEvent,
  INBOUND_MESSAGE_EDITED_TYPE,
  INBOUND_MESSAGE_TYPE,
  inboundMessageEditedSchema,
  inboundMessageSchema,
  MessageBus,
  newEvent,
  OutgoingMessage,
  Topics,
} from '@switchboard/common';
import type {
  ConnectorLogger,
  EmittedMessage,
  EmittedMessageEdit,
  InboxContext,
  InboxState,
  OffsetPosition,
} from '../connector';
import { ConnectorError } from '../errors';
import type { ConnectorMetrics } from './connector-metrics';
import type { ConnectorOffsetStore } from './connector-offset-store';
import { describeIssues } from './event-codec';
import type { SecretMasker } from './secret-masker';

/** Extra headers on what a connector dead-letters (besides the bus's DlqHeaders). */
export const ConnectorDlqHeaders = {
  /** the ConnectorError code */
  code: 'x-connector-error-code',
  /** the connector id */
  connector: 'x-connector',
  inboxId: 'x-inbox-id',
} as const;

/** What every inbox of one host shares. */
export interface InboxContextShared {
  bus: MessageBus;
  blobs: BlobStore;
  connectorId: string;
  channelType: string;
  /** CloudEvents source, `connector/<id>` */
  source: string;
  offsets: ConnectorOffsetStore;
  masker: SecretMasker;
  metrics: ConnectorMetrics;
}

/**
 * Publishes a channel status (CHANNEL_STATUS_TYPE on inbox.delivery.v1, key inboxId). The reason is
 * masked: transport errors often quote a URL or a server answer that contains a credential.
 */
export async function publishChannelStatus(
  shared: InboxContextShared,
  inboxId: string,
  state: InboxState,
  reason?: string,
): Promise<void> {
  const status = channelStatusSchema.parse({
    inboxId,
    channelType: shared.channelType,
    connector: shared.connectorId,
    state,
    reason: reason === undefined ? undefined : shared.masker.maskString(reason).slice(0, 2000),
    at: new Date().toISOString(),
  });
  await shared.bus.publish(Topics.delivery, [
    record(newEvent(CHANNEL_STATUS_TYPE, shared.source, status, { subject: inboxId })),
  ]);
}

/**
 * An event as a bus record through the shared codec (validated against the event registry; key
 * from the registry; ce_type / ce_id / ce_source / correlation headers set).
 */
export function record(event: Parameters<typeof encodeEvent>[0]): OutgoingMessage {
  const { key, value, headers } = encodeEvent(event);
  return { key, value, headers };
}

/** The InboxContext the host gives one running inbox session. */
export class HostInboxContext implements InboxContext {
  readonly blobs: BlobStore;

  constructor(
    readonly inboxId: string,
    readonly logger: ConnectorLogger,
    readonly signal: AbortSignal,
    private readonly shared: InboxContextShared,
  ) {
    this.blobs = shared.blobs;
  }

  async emit(messages: EmittedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const events = messages.map((message, index) => {
      this.checkOwnership(message, `message ${index}`);
      const parsed = inboundMessageSchema.safeParse({
        ...message,
        inboxId: this.inboxId,
        channelType: this.shared.channelType,
      });
      if (!parsed.success) {
        throw new ConnectorError(
          'INVALID_PAYLOAD',
          `inbound message ${index} is invalid: ${describeIssues(parsed.error.issues)}`,
        );
      }
      return record(
        newEvent(INBOUND_MESSAGE_TYPE, this.shared.source, parsed.data, { subject: parsed.data.externalId }),
      );
    });
    await this.shared.bus.publish(Topics.inbound, events);
    this.shared.metrics.inboundEmitted(events.length);
  }

  async emitEdit(edit: EmittedMessageEdit): Promise<void> {
    this.checkOwnership(edit, 'edit');
    const parsed = inboundMessageEditedSchema.safeParse({
      ...edit,
      inboxId: this.inboxId,
      channelType: this.shared.channelType,
    });
    if (!parsed.success) {
      throw new ConnectorError(
        'INVALID_PAYLOAD',
        `inbound edit is invalid: ${describeIssues(parsed.error.issues)}`,
      );
    }
    await this.shared.bus.publish(Topics.inbound, [
      record(
        newEvent(INBOUND_MESSAGE_EDITED_TYPE, this.shared.source, parsed.data, {
          subject: parsed.data.externalId,
        }),
      ),
    ]);
  }

  async deadLetter(raw: unknown, error: ConnectorError, key?: string): Promise<void> {
    const reason = this.shared.masker.maskString(error.message);
    const headers: BusHeaders = {
      [DlqHeaders.error]: reason,
      [DlqHeaders.errorName]: error.name,
      [DlqHeaders.failedAt]: new Date().toISOString(),
      [DlqHeaders.attempts]: '1',
      [ConnectorDlqHeaders.code]: error.code,
      [ConnectorDlqHeaders.connector]: this.shared.connectorId,
      [ConnectorDlqHeaders.inboxId]: this.inboxId,
    };
    const { masker } = this.shared;
    const value = Buffer.isBuffer(raw)
      ? raw
      : typeof raw === 'string'
        ? masker.maskString(raw)
        : masker.mask(raw ?? null);
    await this.shared.bus.publish(Topics.dlq, [{ key: key ?? this.inboxId, value, headers }]);
    this.shared.metrics.deadLettered('inbound');
    this.logger.warn('raw input dead-lettered', { code: error.code, reason, key });
  }

  readOffset(): Promise<OffsetPosition | null> {
    return this.shared.offsets.read(this.inboxId, this.signal);
  }

  commitOffset(position: OffsetPosition): Promise<void> {
    return this.shared.offsets.commit(this.inboxId, position);
  }

  reportStatus(state: InboxState, reason?: string): Promise<void> {
    return publishChannelStatus(this.shared, this.inboxId, state, reason);
  }

  private checkOwnership(message: { inboxId?: string; channelType?: string }, what: string): void {
    if (message.inboxId !== undefined && message.inboxId !== this.inboxId) {
      throw new ConnectorError(
        'INVALID_PAYLOAD',
        `${what} names inbox ${message.inboxId} but was emitted from inbox ${this.inboxId}`,
      );
    }
    if (message.channelType !== undefined && message.channelType !== this.shared.channelType) {
      throw new ConnectorError(
        'INVALID_PAYLOAD',
        `${what} names channel type ${message.channelType}, this connector serves ${this.shared.channelType}`,
      );
    }
  }
}
