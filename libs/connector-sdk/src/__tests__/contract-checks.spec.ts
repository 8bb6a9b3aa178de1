import { randomUUID } from 'node:crypto';
import type { BlobStore, InboundMessageInput } from '@switchboard/common';
import type { InboxContext, InboxRuntimeConfig } from '../connector';
import { ConnectorError } from '../errors';
import {
  checkClassifies,
  checkIdempotent,
  checkManifestAcceptsSettings,
  checkManifestCapabilities,
  checkManifestNames,
  checkManifestSecrets,
  checkNormalizes,
  checkNoSecretIn,
  checkRejectsMalformed,
  normalizeStrictly,
  runHostRoundTrip,
} from '../testing/contract-checks';
import { MemoryBlobStore } from '../testing/memory-blob-store';
import type { EchoSettings } from './example/echo-payload';
import type { EchoSession } from './example/echo-session';
import { EchoConnector } from './example/echo.connector';

const SECRET = 'contract-check-secret-31c7';
const config: InboxRuntimeConfig<EchoSettings> = {
  inboxId: randomUUID(),
  name: 'Echo',
  version: 1,
  settings: { greeting: 'hi', maxAttachmentBytes: 100 },
  secrets: { apiToken: SECRET },
};
const raw = {
  update_id: 1,
  message: { message_id: 1, chat: { id: 5 }, from: { id: 6 }, date: 1_735_000_000, text: 'hello' },
};

/** puts its token into the messages it normalizes */
class TokenInMetadataConnector extends EchoConnector {
  override async normalize(
    input: unknown,
    inbox: InboxRuntimeConfig<EchoSettings>,
    blobs: BlobStore,
  ): Promise<InboundMessageInput[]> {
    const messages = await super.normalize(input, inbox, blobs);
    return messages.map((m) => ({
      ...m,
      channelMetadata: { fileUrl: `https://echo.test/file/bot${inbox.secrets.apiToken}/1` },
    }));
  }
}

/** lets a TypeError escape on malformed input */
class UntypedThrowConnector extends EchoConnector {
  override async normalize(input: unknown): Promise<InboundMessageInput[]> {
    return [{ externalId: (input as { message: { id: string } }).message.id } as InboundMessageInput];
  }
}

/** a new externalId on every call */
class RandomIdConnector extends EchoConnector {
  override async normalize(
    input: unknown,
    inbox: InboxRuntimeConfig<EchoSettings>,
    blobs: BlobStore,
  ): Promise<InboundMessageInput[]> {
    return (await super.normalize(input, inbox, blobs)).map((m) => ({ ...m, externalId: randomUUID() }));
  }
}

/** prints its token to the console when it starts */
class ConsoleLeakConnector extends EchoConnector {
  override async start(inbox: InboxRuntimeConfig<EchoSettings>, context: InboxContext): Promise<EchoSession> {
    console.log(`connecting with ${inbox.secrets.apiToken}`);
    return super.start(inbox, context);
  }
}

describe('connector contract checks', () => {
  const blobs = () => new MemoryBlobStore();

  it('pass for the echo connector, whose host round trip runs the inbox and sends', async () => {
    const sut = new EchoConnector();
    checkManifestNames(sut.manifest);
    checkManifestCapabilities(sut.manifest);
    checkManifestAcceptsSettings(sut.manifest, config);
    checkManifestSecrets(sut.manifest, config);
    await checkNormalizes(sut, raw, config, blobs());
    await checkIdempotent(() => new EchoConnector(), raw, config, blobs);
    await checkRejectsMalformed(sut, { nope: true }, config, blobs());

    const result = await runHostRoundTrip(sut, config, blobs(), { outbound: { text: 'reply' } });

    expect(result).toMatchObject({ state: 'running', receipt: 'sent' });
    expect(result.logs).toContain('https://echo.test/bot***/connect');
    checkNoSecretIn('host logs', result.logs, [SECRET]);
    checkNoSecretIn('published records', result.published, [SECRET]);
  });

  it('catch a manifest whose channel type cannot name a topic, an unknown capability, rejected settings, an undeclared secret', () => {
    const manifest = new EchoConnector().manifest;
    expect(() => checkManifestNames({ ...manifest, channelType: 'Echo Chat' })).toThrow();
    expect(() =>
      checkManifestCapabilities({ ...manifest, capabilities: ['text', 'telepathy' as 'text'] }),
    ).toThrow();
    expect(() =>
      checkManifestAcceptsSettings(manifest, { ...config, settings: { greeting: '' } as EchoSettings }),
    ).toThrow();
    expect(() => checkManifestSecrets({ ...manifest, secretNames: [] }, config)).toThrow();
    expect(() => checkManifestSecrets(manifest, { ...config, secrets: {} })).toThrow();
  });

  it('catch normalized output that does not validate or belongs to another inbox', async () => {
    await expect(
      checkNormalizes(new UntypedThrowConnector(), { message: { id: 'x' } }, config, blobs()),
    ).rejects.toThrow();
    await expect(
      checkNormalizes(new EchoConnector(), raw, { ...config, inboxId: 'not-a-uuid' }, blobs()),
    ).rejects.toThrow();
  });

  it('catch an untyped throw on malformed input, and malformed input that is accepted', async () => {
    await expect(checkRejectsMalformed(new UntypedThrowConnector(), {}, config, blobs())).rejects.toThrow();
    await expect(checkRejectsMalformed(new EchoConnector(), raw, config, blobs())).rejects.toThrow();
  });

  it('catch a normalize that is not idempotent', async () => {
    await expect(checkIdempotent(() => new RandomIdConnector(), raw, config, blobs)).rejects.toThrow();
  });

  it('catch a wrong classification and a wrong retryAfter', () => {
    const sut = new EchoConnector() as unknown as EchoConnector & {
      classifyError(e: unknown): ConnectorError;
    };
    const rateLimited = new ConnectorError('RATE_LIMITED', 'slow down', { retryAfterMs: 1000 });
    expect(() => checkClassifies(sut, { error: rateLimited, code: 'TEMPORARY' })).toThrow();
    expect(() =>
      checkClassifies(sut, { error: rateLimited, code: 'RATE_LIMITED', retryAfterMs: 2000 }),
    ).toThrow();
    expect(() =>
      checkClassifies(sut, { error: rateLimited, code: 'RATE_LIMITED', retryAfterMs: 1000 }),
    ).not.toThrow();
  });

  it('catch a secret in normalized messages without printing it', async () => {
    const messages = await normalizeStrictly(new TokenInMetadataConnector(), raw, config, blobs());
    let failure: unknown;
    try {
      checkNoSecretIn('normalized', JSON.stringify(messages), [SECRET]);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('secret #1');
    expect((failure as Error).message).not.toContain(SECRET);
  });

  it('catch a secret printed to the console during the host round trip', async () => {
    const result = await runHostRoundTrip(new ConsoleLeakConnector(), config, blobs());
    expect(result.state).toBe('running');
    expect(() => checkNoSecretIn('console output', result.output, [SECRET])).toThrow();
    checkNoSecretIn('host logs', result.logs, [SECRET]);
  });
});
