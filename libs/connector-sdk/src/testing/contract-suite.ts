import type { BlobStore, InboundMessage } from '@switchboard/common';
import type { ChannelConnector, InboxRuntimeConfig } from '../connector';
import type { ConnectorErrorCode } from '../errors';
import {
  captureOutput,
  checkClassifies,
  checkIdempotent,
  checkManifestAcceptsSettings,
  checkManifestCapabilities,
  checkManifestNames,
  checkManifestSecrets,
  checkNormalizes,
  checkNoSecretIn,
  checkRejectsMalformed,
  HostRoundTripOptions,
  normalizeStrictly,
  runHostRoundTrip,
  secretValuesOf,
} from './contract-checks';
import { MemoryBlobStore } from './memory-blob-store';

export interface ContractPayload<Raw> {
  /** what the recording is (shows in the test name) */
  name: string;
  raw: Raw;
  /** extra checks on what it normalizes to */
  check?: (messages: InboundMessage[]) => void;
}

export interface ContractMalformedPayload {
  name: string;
  raw: unknown;
}

export interface ContractTransportError {
  /** e.g. 'HTTP 429 with Retry-After: 3' */
  name: string;
  error: unknown;
  code: ConnectorErrorCode;
  /** when set, classifyError must give exactly this retryAfterMs */
  retryAfterMs?: number;
}

export interface ConnectorContractOptions<Settings, Raw> {
  /** shown in the describe block (default: the manifest's displayName) */
  name?: string;
  /** a fresh connector (called for each test) */
  connector: () => ChannelConnector<Settings, Raw>;
  /**
   * an inbox of this connector with at least one secret. `settings` must be valid input for the
   * manifest's settingsSchema. The host round trip starts a real session with it, so point it at
   * your test server (or at nothing: a failing start is part of what is checked).
   */
  config: InboxRuntimeConfig<Settings>;
  /** recorded vendor payloads that must normalize */
  payloads: Array<ContractPayload<Raw>>;
  /** payloads that must be refused with INVALID_PAYLOAD */
  malformed: ContractMalformedPayload[];
  /** transport failures and the codes classifyError must give them (429, 401, 5xx, ECONNRESET, …) */
  transportErrors: ContractTransportError[];
  /** where normalize() stores attachments (default: in memory) */
  blobs?: () => BlobStore;
  /**
   * the host round trip: the connector runs in a ConnectorHost on an in-process bus with a
   * capturing logger; `outbound` is sent when given and the inbox runs
   */
  hostRoundTrip?: HostRoundTripOptions;
}

/**
 * The contract every connector passes (STYLE.md, "Connectors"). Call it at the top level of the
 * connector's spec with its own recorded vendor payloads:
 *
 *   describeConnectorContract({ connector: () => new TelegramConnector(...), config, payloads, malformed, transportErrors });
 *
 * It checks: the manifest is well formed (id and channel type fit topic names, known
 * capabilities, the sample settings pass settingsSchema, secrets are declared); normalize()
 * output validates against the inbound message schema and belongs to the inbox; normalizing a
 * payload twice gives the same externalIds (the idempotency key); malformed input rejects with
 * ConnectorError INVALID_PAYLOAD, never an untyped throw; classifyError gives the expected code
 * (and retryAfter) for each transport error; no secret value shows up in normalized messages,
 * in console / stdout / stderr output, in the host's logs, or in anything the host publishes
 * during a round trip (config → session start → outbound → receipt → stop).
 */
export function describeConnectorContract<Settings, Raw>(
  options: ConnectorContractOptions<Settings, Raw>,
): void {
  const { config } = options;
  const manifest = options.connector().manifest;
  const secrets = secretValuesOf(config);
  const blobs = (): BlobStore => options.blobs?.() ?? new MemoryBlobStore();

  describe(`${options.name ?? manifest.displayName} connector contract`, () => {
    describe('manifest', () => {
      it('has an id and a channel type that can name topics, groups and offset keys', () =>
        checkManifestNames(manifest));
      it('declares known capabilities, each once', () => checkManifestCapabilities(manifest));
      it('accepts the sample settings with its settingsSchema', () =>
        checkManifestAcceptsSettings(manifest, config));
      it('lists every secret of the sample inbox in secretNames (and the sample has one)', () =>
        checkManifestSecrets(manifest, config));
    });

    describe('normalize', () => {
      it('has recorded payloads to check', () => {
        expect(options.payloads.length).toBeGreaterThan(0);
        expect(options.malformed.length).toBeGreaterThan(0);
      });

      eachOf(options.payloads)(
        'normalizes %s into valid inbound messages of the inbox',
        async (_name, payload) => {
          const messages = await checkNormalizes(options.connector(), payload.raw, config, blobs());
          payload.check?.(messages);
        },
      );

      eachOf(options.payloads)(
        'normalizes %s twice to the same externalIds and thread keys',
        (_name, payload) => checkIdempotent(options.connector, payload.raw, config, blobs),
      );

      eachOf(options.malformed)('rejects %s with ConnectorError INVALID_PAYLOAD', (_name, payload) =>
        checkRejectsMalformed(options.connector(), payload.raw, config, blobs()),
      );

      it('puts no secret into normalized messages', async () => {
        for (const payload of options.payloads) {
          const messages = await normalizeStrictly(options.connector(), payload.raw, config, blobs());
          checkNoSecretIn(`normalized ${payload.name}`, JSON.stringify(messages), secrets);
        }
      });
    });

    describe('classifyError', () => {
      it('has transport errors to check', () => expect(options.transportErrors.length).toBeGreaterThan(0));
      eachOf(options.transportErrors)('classifies %s', (_name, sample) =>
        checkClassifies(options.connector() as ChannelConnector<unknown, unknown>, sample),
      );
    });

    describe('secrets', () => {
      it('never writes a secret to the console, stdout or stderr while normalizing', async () => {
        const output = await captureOutput(async () => {
          for (const payload of [...options.payloads, ...options.malformed]) {
            await normalizeStrictly(options.connector(), payload.raw, config, blobs()).catch(() => undefined);
          }
        });
        checkNoSecretIn('console output', output, secrets);
      });

      it('never logs or publishes a secret during a host round trip', async () => {
        const result = await runHostRoundTrip(
          options.connector() as ChannelConnector<Settings, unknown>,
          config,
          blobs(),
          options.hostRoundTrip,
        );
        expect(result.logs).toContain('connector host started');
        checkNoSecretIn('host logs', result.logs, secrets);
        checkNoSecretIn('published records', result.published, secrets);
        checkNoSecretIn('console output', result.output, secrets);
      });
    });
  });
}

/**
 * it.each over named samples (jest refuses an empty table; an empty list is reported by the
 * "has … to check" tests instead)
 */
function eachOf<T extends { name: string }>(samples: T[]) {
  return (title: string, fn: (name: string, sample: T) => Promise<void> | void): void => {
    if (samples.length > 0) it.each(samples.map((sample) => [sample.name, sample] as [string, T]))(title, fn);
  };
}
