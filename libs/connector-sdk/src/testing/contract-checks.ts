import { randomBytes } from 'node:crypto';
import {
  BlobStore,
  CHANNEL_STATUS_TYPE,
  DELIVERY_RECEIPT_TYPE,
  InboundMessage,
  inboundMessageSchema,
  OutboundMessageInput,
  outboundTopic,
  Topics,
} from '@switchboard/common';
import { InMemoryBus } from '@switchboard/common/bus/in-memory/in-memory-bus';
import type { ChannelConnector, InboxRuntimeConfig } from '../connector';
import { ConnectorError, ConnectorErrorCode } from '../errors';
import { ConnectorHost } from '../host/connector-host';
import type { InboxRunState } from '../host/inbox-runner';
import type { ConnectorCapability, ConnectorManifest } from '../manifest';
import { BusProbe } from './bus-probe';
import { CapturingLogger } from './capturing-logger';
import { channelConfig, outboundMessage, publishChannelConfig, publishOutbound } from './channel-fixtures';
import { fakeDecrypt } from './fake-secrets';
import { waitFor } from './wait-for';

/*
 * The checks of the connector contract, one function each, built on jest's `expect` (they throw
 * on a violation). describeConnectorContract() wires them into describe/it blocks; they are
 * exported on their own so the suite itself can be tested against broken connectors.
 */

export const KNOWN_CAPABILITIES: readonly ConnectorCapability[] = [
  'text',
  'html',
  'attachments',
  'typing',
  'edits',
  'reply-to',
  'outbound-start',
];
const ID_PATTERN = /^[a-z][a-z0-9-]*$/;

/** the secret values of an inbox config (empty ones are no secrets) */
export function secretValuesOf(config: InboxRuntimeConfig<unknown>): string[] {
  return Object.values(config.secrets).filter((value) => value.length > 0);
}

export function checkManifestNames(manifest: ConnectorManifest<unknown>): void {
  expect(manifest.id).toMatch(ID_PATTERN);
  expect(manifest.channelType).toMatch(ID_PATTERN);
  expect(() => outboundTopic(manifest.channelType)).not.toThrow();
  expect(manifest.displayName.trim()).not.toBe('');
}

export function checkManifestCapabilities(manifest: ConnectorManifest<unknown>): void {
  expect(manifest.capabilities.length).toBeGreaterThan(0);
  expect(new Set(manifest.capabilities).size).toBe(manifest.capabilities.length);
  for (const capability of manifest.capabilities) expect(KNOWN_CAPABILITIES).toContain(capability);
}

export function checkManifestAcceptsSettings(
  manifest: ConnectorManifest<unknown>,
  config: InboxRuntimeConfig<unknown>,
): void {
  const parsed = manifest.settingsSchema.safeParse(config.settings);
  expect(parsed.success ? 'valid' : parsed.error.issues).toBe('valid');
}

export function checkManifestSecrets(
  manifest: ConnectorManifest<unknown>,
  config: InboxRuntimeConfig<unknown>,
): void {
  expect(secretValuesOf(config).length).toBeGreaterThan(0);
  for (const name of Object.keys(config.secrets)) expect(manifest.secretNames).toContain(name);
}

/** normalize() through a promise (a synchronous throw becomes a rejection), output parsed by the inbound schema */
export async function normalizeStrictly<S, R>(
  connector: ChannelConnector<S, R>,
  raw: unknown,
  config: InboxRuntimeConfig<S>,
  blobs: BlobStore,
): Promise<InboundMessage[]> {
  const messages = await Promise.resolve().then(() => connector.normalize(raw as R, config, blobs));
  return messages.map((message) => inboundMessageSchema.parse(message));
}

export async function checkNormalizes<S, R>(
  connector: ChannelConnector<S, R>,
  raw: R,
  config: InboxRuntimeConfig<S>,
  blobs: BlobStore,
): Promise<InboundMessage[]> {
  const messages = await normalizeStrictly(connector, raw, config, blobs);
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(message.inboxId).toBe(config.inboxId);
    expect(message.channelType).toBe(connector.manifest.channelType);
  }
  return messages;
}

export async function checkIdempotent<S, R>(
  connectors: () => ChannelConnector<S, R>,
  raw: R,
  config: InboxRuntimeConfig<S>,
  blobs: () => BlobStore,
): Promise<void> {
  const first = await normalizeStrictly(connectors(), raw, config, blobs());
  const second = await normalizeStrictly(connectors(), raw, config, blobs());
  const keys = (messages: InboundMessage[]) => messages.map((m) => `${m.externalId} @ ${m.threadKey}`);
  expect(keys(second)).toEqual(keys(first));
  expect(new Set(first.map((m) => m.externalId)).size).toBe(first.length);
}

export async function checkRejectsMalformed<S, R>(
  connector: ChannelConnector<S, R>,
  raw: unknown,
  config: InboxRuntimeConfig<S>,
  blobs: BlobStore,
): Promise<void> {
  const outcome = await normalizeStrictly(connector, raw, config, blobs).then(
    (messages) => ({ resolved: messages }),
    (error: unknown) => ({ rejected: error }),
  );
  expect(outcome).toHaveProperty('rejected');
  const error = (outcome as { rejected: unknown }).rejected;
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).code).toBe('INVALID_PAYLOAD');
}

export function checkClassifies(
  connector: ChannelConnector<unknown, unknown>,
  sample: { error: unknown; code: ConnectorErrorCode; retryAfterMs?: number },
): void {
  const classified = connector.classifyError(sample.error);
  expect(classified).toBeInstanceOf(ConnectorError);
  expect(classified.code).toBe(sample.code);
  if (sample.retryAfterMs !== undefined) expect(classified.options.retryAfterMs).toBe(sample.retryAfterMs);
}

/** asserts that none of `secrets` occurs in `text` (the message names `where`, never the secret) */
export function checkNoSecretIn(where: string, text: string, secrets: readonly string[]): void {
  const leaked = secrets
    .filter((secret) => text.includes(secret))
    .map((_secret, index) => `secret #${index + 1}`);
  expect({ where, leaked }).toEqual({ where, leaked: [] });
}

export interface HostRoundTripOptions {
  outbound?: Partial<OutboundMessageInput>;
  timeoutMs?: number;
}

export interface HostRoundTripResult {
  /** where the inbox settled ('starting' when it never left it) */
  state: InboxRunState;
  /** the receipt status of the outbound message, when one was sent */
  receipt?: string;
  /** what the host's logger received, serialized */
  logs: string;
  /** every record the host published (headers and value) */
  published: string;
  /** console, stdout and stderr output meanwhile */
  output: string;
}

/**
 * Runs the connector in a ConnectorHost on an in-process bus with a capturing logger: publishes
 * the inbox config (secrets through fakeEncrypt), waits for the inbox to leave `starting`, sends
 * one outbound message when the inbox runs and `outbound` is given, waits for its receipt, stops.
 */
export async function runHostRoundTrip<S>(
  connector: ChannelConnector<S, unknown>,
  config: InboxRuntimeConfig<S>,
  blobs: BlobStore,
  options: HostRoundTripOptions = {},
): Promise<HostRoundTripResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const bus = new InMemoryBus({ topicPrefix: `contract${randomBytes(4).toString('hex')}.` });
  const logger = new CapturingLogger();
  const probe = await BusProbe.start(bus, [
    Topics.inbound,
    Topics.delivery,
    Topics.dlq,
    Topics.connectorOffsets,
  ]);
  const host = new ConnectorHost<S>({
    connector,
    bus,
    blobs,
    decrypt: fakeDecrypt,
    logger,
    outboundRetry: { maxAttempts: 2, initialMs: 10, maxMs: 50 },
    startRetry: { initialMs: 50, maxMs: 500 },
    stopTimeoutMs: 5_000,
  });
  let state: InboxRunState = 'starting';
  let receipt: string | undefined;
  const output = await captureOutput(async () => {
    try {
      await host.start();
      await publishChannelConfig(
        bus,
        channelConfig({
          inboxId: config.inboxId,
          channelType: connector.manifest.channelType,
          name: config.name,
          version: config.version,
          settings: config.settings as Record<string, unknown>,
          secrets: config.secrets,
        }),
      );
      state = await waitFor(
        'the inbox to leave the starting state',
        () => {
          const status = host.inbox(config.inboxId);
          return status && status.version === config.version && status.state !== 'starting'
            ? status.state
            : undefined;
        },
        { timeoutMs },
      ).catch((): InboxRunState => 'starting');
      if (state === 'running' && options.outbound) {
        const message = outboundMessage({
          inboxId: config.inboxId,
          channelType: connector.manifest.channelType,
          ...options.outbound,
        });
        await publishOutbound(bus, message);
        const [record] = await probe.waitFor(
          'a delivery receipt',
          (r) =>
            r.event?.type === DELIVERY_RECEIPT_TYPE &&
            (r.event.data as { messageId?: string }).messageId === message.messageId,
          { timeoutMs },
        );
        receipt = (record.event?.data as { status: string }).status;
      }
      if (state !== 'starting')
        await probe.waitFor('a status of the inbox', (r) => r.event?.type === CHANNEL_STATUS_TYPE, {
          timeoutMs,
        });
    } finally {
      await host.stop();
      await probe.stop();
      await bus.close();
    }
  });
  return {
    state,
    receipt,
    logs: logger.text(),
    published: probe.records
      .map((r) => `${JSON.stringify(r.headers)} ${r.message.value.toString('utf8')}`)
      .join('\n'),
    output,
  };
}

/** runs `fn` while recording what goes to console.*, process.stdout and process.stderr */
export async function captureOutput(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const record = (...args: unknown[]): void => {
    chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : safeStringify(arg))).join(' '));
  };
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation(record),
  );
  const writes = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }),
  );
  try {
    await fn();
  } finally {
    for (const spy of [...spies, ...writes]) spy.mockRestore();
  }
  return chunks.join('\n');
}

function safeStringify(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}\n${value.stack ?? ''}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
