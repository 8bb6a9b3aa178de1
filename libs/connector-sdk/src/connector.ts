import type {
  BlobStore,
  InboundMessage,
  InboundMessageInput,
  InboundMessageEdited,
  OutboundMessage,
  OutboundTyping,
} from '@switchboard/common';
import type { ConnectorError } from './errors';
import type { ConnectorManifest } from './manifest';

/** Position of a connector's source cursor (IMAP {uidValidity,lastUid}, Telegram {updateId}). */
export type OffsetPosition = Record<string, string | number | boolean | null>;

/** A structured logger that masks secrets (the host gives each inbox one). */
export interface ConnectorLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The states a connector reports for an inbox (CHANNEL_STATUS_TYPE). */
export type InboxState = 'running' | 'needs_credentials' | 'error' | 'stopped';

/**
 * What a session emits: an inbound message whose `inboxId` and `channelType` the host fills in
 * (when given they must match the inbox, else the emit rejects with INVALID_PAYLOAD). A full
 * InboundMessageInput (what normalize() returns) is one too.
 */
export type EmittedMessage = Omit<InboundMessageInput, 'inboxId' | 'channelType'> &
  Partial<Pick<InboundMessageInput, 'inboxId' | 'channelType'>>;

/** An edit as a session emits it; `inboxId` and `channelType` are filled in like EmittedMessage's. */
export type EmittedMessageEdit = Omit<InboundMessageEdited, 'inboxId' | 'channelType'> &
  Partial<Pick<InboundMessageEdited, 'inboxId' | 'channelType'>>;

/** One inbox as its connector sees it: decrypted secrets, validated settings. */
export interface InboxRuntimeConfig<Settings = unknown> {
  inboxId: string;
  name: string;
  version: number;
  settings: Settings;
  /** decrypted secrets by name; never log them */
  secrets: Record<string, string>;
}

/** What the host gives a running inbox. */
export interface InboxContext {
  readonly inboxId: string;
  readonly logger: ConnectorLogger;
  readonly blobs: BlobStore;
  /**
   * Validates and publishes inbound messages to inbox.inbound.v1 (CloudEvent
   * switchboard.inbound.message.v1, key `<inboxId>:<threadKey>`); resolves only after Kafka
   * acknowledged every one (so a webhook can answer, a cursor can advance). The host fills in
   * inboxId and channelType. If any message does not validate, nothing is published and the call
   * rejects with ConnectorError('INVALID_PAYLOAD').
   * (Since the host landed, the parameter is EmittedMessage[], a widening of InboundMessageInput[]:
   * existing callers compile unchanged.)
   */
  emit(messages: EmittedMessage[]): Promise<void>;
  /** like emit, for switchboard.inbound.message_edited.v1 (parameter widened the same way) */
  emitEdit(edit: EmittedMessageEdit): Promise<void>;
  /**
   * raw input that could not be normalized goes to the DLQ (key: `key`, else inboxId) with the
   * reason and code in headers (secrets masked), and the source moves on
   */
  deadLetter(raw: unknown, error: ConnectorError, key?: string): Promise<void>;
  /**
   * the stored source cursor, or null before the first one. Waits until the host has read
   * connector.offsets.v1 to its end (rejects with TEMPORARY if that takes too long, or when the
   * inbox is stopped meanwhile).
   */
  readOffset(): Promise<OffsetPosition | null>;
  /** stores the cursor in connector.offsets.v1 (resolves after Kafka acknowledged it) */
  commitOffset(position: OffsetPosition): Promise<void>;
  /**
   * tells the inbox service about this inbox's state (e.g. needs_credentials). The host itself
   * reports `running` after start() resolved, `stopped` when the inbox is disabled, and
   * `error` / `needs_credentials` when start() fails; secrets in `reason` are masked.
   */
  reportStatus(state: InboxState, reason?: string): Promise<void>;
  /** aborted when the inbox is stopped or changed */
  readonly signal: AbortSignal;
}

/** What a connector returns after sending. */
export interface SendResult {
  /** the channel's id of the sent message */
  externalId: string;
}

/** A running inbox (an IMAP session, a Telegram bot, …). */
export interface InboxSession {
  /**
   * Sends one outbound message. The host may call it concurrently for different conversations
   * (one call at a time per conversation); it retries, dead-letters or fails the message by the
   * ConnectorError code thrown (errors.ts) and dedupes on messageId, so throw, don't retry inside.
   */
  send(message: OutboundMessage): Promise<SendResult>;
  typing?(event: OutboundTyping): Promise<void>;
  /** stop receiving and sending; called on removal, on change (before a new start) and on shutdown */
  stop(): Promise<void>;
}

/**
 * A channel. Implement this, export a manifest, register it with the ConnectorHost; nothing in
 * inbox or gateway changes. See libs/connector-sdk/src/testing/contract-suite.ts for what every
 * connector must pass.
 */
export interface ChannelConnector<Settings = unknown, Raw = unknown> {
  readonly manifest: ConnectorManifest<Settings>;
  /** start serving one inbox */
  start(config: InboxRuntimeConfig<Settings>, context: InboxContext): Promise<InboxSession>;
  /**
   * Pure normalization of one vendor payload into inbound messages (no I/O besides storing
   * attachments through `blobs`). Same payload twice → same externalId. Malformed input →
   * ConnectorError('INVALID_PAYLOAD'), never an untyped throw.
   */
  normalize(raw: Raw, config: InboxRuntimeConfig<Settings>, blobs: BlobStore): Promise<InboundMessageInput[]>;
  /** classify a transport failure (HTTP 429/401/5xx, ECONNRESET, SMTP codes…) as a ConnectorError */
  classifyError(error: unknown): ConnectorError;
}

export type { InboundMessage };
