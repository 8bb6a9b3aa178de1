import { GrammyError, HttpError } from 'grammy';
import type { InboundMessage } from '@switchboard/common';
import type { InboxRuntimeConfig } from '@switchboard/connector-sdk';
import { describeConnectorContract } from '@switchboard/connector-sdk/testing';
import { FakeBot, FakeBotApi } from '@switchboard/testing/fakes/telegram';
import { TelegramConnector } from '../telegram.connector';
import type { TelegramSettings } from '../telegram.manifest';
import { TelegramWebhookRegistry } from '../telegram-webhook.registry';
import { fileIdsOf, fixture, fixtureNames } from './telegram-fixtures';

/** the customer of the recorded fixtures */
const FIXTURE_USER_ID = 5120938472;
const TOKEN = '7012345678:AAHk3cQ1xv0t8Zr2bW4yQp9nLm5sT6uV7wX';

/** apiRoot is filled in when the fake Bot API is up (the suite reads the config at test time) */
const config: InboxRuntimeConfig<TelegramSettings> = {
  inboxId: '0b7c9a52-3c1e-4f57-9a0e-2f3d4c5b6a71',
  name: 'Acme support bot',
  version: 1,
  settings: { mode: 'polling', allowGroups: true, apiRoot: 'http://127.0.0.1:9' },
  secrets: { botToken: TOKEN },
};

let api: FakeBotApi;
let bot: FakeBot;

beforeAll(async () => {
  api = await FakeBotApi.start();
  bot = api.createBot({ token: TOKEN });
  bot.user({ id: FIXTURE_USER_ID, first_name: 'Anna', last_name: 'Kowalska', username: 'anna_k', language_code: 'pl' });
  for (const name of fixtureNames()) {
    for (const fileId of fileIdsOf(fixture(name))) bot.addFile(Buffer.from(`bytes of ${fileId}`), { fileId, filePath: `media/${fileId}.bin` });
  }
  config.settings.apiRoot = api.apiRoot;
});

afterAll(async () => {
  await api.close();
});

function connector(): TelegramConnector {
  return new TelegramConnector(
    { apiRoot: 'http://127.0.0.1:9', pollTimeoutSeconds: 1, maxAttachmentBytes: 20 * 1024 * 1024, maxRetryAfterSeconds: 2, webhookMaxConnections: 40 },
    new TelegramWebhookRegistry(),
  );
}

const one = (check: (message: InboundMessage) => void) => (messages: InboundMessage[]) => {
  expect(messages).toHaveLength(1);
  check(messages[0]);
};

function apiError(method: string, code: number, description: string, parameters: { retry_after?: number } = {}): GrammyError {
  return new GrammyError(`Call to '${method}' failed! (${code}: ${description})`, { ok: false, error_code: code, description, parameters }, method, {});
}

const checks: Record<string, (messages: InboundMessage[]) => void> = {
  'private-text-entities': one((m) => expect(m).toMatchObject({ externalId: `${FIXTURE_USER_ID}:1201`, threadKey: String(FIXTURE_USER_ID), sender: { username: 'anna_k', language: 'pl' } })),
  'photo-caption': one((m) => {
    expect(m.text).toBe('The box arrived damaged');
    expect(m.attachments).toEqual([expect.objectContaining({ contentType: 'image/jpeg', size: Buffer.byteLength('bytes of AgACAgIAAxkBAAIEsmdBz1_large_1280x960_Qm9vaw') })]);
  }),
  document: one((m) => expect(m.attachments).toEqual([expect.objectContaining({ name: 'invoice-2024-11.pdf', contentType: 'application/pdf' })])),
  voice: one((m) => expect(m.attachments).toEqual([expect.objectContaining({ contentType: 'audio/ogg' })])),
  audio: one((m) => expect(m.attachments).toEqual([expect.objectContaining({ name: 'hold-music.mp3' })])),
  video: one((m) => expect(m.attachments).toEqual([expect.objectContaining({ contentType: 'video/mp4' })])),
  'video-note': one((m) => expect(m.attachments).toEqual([expect.objectContaining({ name: 'video-note-1207.mp4' })])),
  sticker: one((m) => expect(m.attachments).toEqual([expect.objectContaining({ contentType: 'image/webp' })])),
  location: one((m) => expect(m.channelMetadata).toMatchObject({ location: { latitude: 52.229676, longitude: 21.012229 } })),
  contact: one((m) => expect(m.text).toContain('+48601234567')),
  reply: one((m) => expect(m.references).toEqual([`${FIXTURE_USER_ID}:1211`])),
  'group-message': one((m) => expect(m.threadKey).toBe('-1002233445566')),
};

describeConnectorContract<TelegramSettings, unknown>({
  name: 'Telegram',
  connector,
  config,
  // edited-message is an edit (emitEdit), not a new message: TelegramUpdateMapper's spec covers it
  payloads: fixtureNames()
    .filter((name) => name !== 'edited-message')
    .map((name) => ({ name, raw: fixture(name), check: checks[name] })),
  malformed: [
    { name: 'a string instead of an update', raw: 'update' },
    { name: 'an update without update_id', raw: { message: fixture('private-text-entities').message } },
    { name: 'a message whose chat id is text', raw: { update_id: 1, message: { message_id: 1, date: 1732351020, chat: { id: 'me', type: 'private' } } } },
  ],
  transportErrors: [
    { name: 'HTTP 429 with retry_after 7', error: apiError('sendMessage', 429, 'Too Many Requests: retry after 7', { retry_after: 7 }), code: 'RATE_LIMITED', retryAfterMs: 7000 },
    { name: 'HTTP 401 Unauthorized', error: apiError('getMe', 401, 'Unauthorized'), code: 'AUTH_INVALID' },
    { name: 'HTTP 403 blocked by the user', error: apiError('sendMessage', 403, 'Forbidden: bot was blocked by the user'), code: 'PERMISSION' },
    { name: 'HTTP 400 chat not found', error: apiError('sendMessage', 400, 'Bad Request: chat not found'), code: 'NOT_FOUND' },
    { name: 'HTTP 502 Bad Gateway', error: apiError('getUpdates', 502, 'Bad Gateway'), code: 'TEMPORARY' },
    { name: 'a network failure (HttpError)', error: new HttpError("Network request for 'sendMessage' failed!", new Error('socket hang up')), code: 'TEMPORARY' },
    { name: 'ECONNRESET', error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), code: 'TEMPORARY' },
  ],
  hostRoundTrip: {
    outbound: { threadKey: String(FIXTURE_USER_ID), recipient: { externalId: String(FIXTURE_USER_ID) }, text: 'Hello <Anna> & co' },
  },
});

describe(`${TelegramConnector.name} round trip against the fake Bot API`, () => {
  it('sent the host round trip message to the fixture chat with the text escaped', () => {
    // runs after the contract suite's round trip (jest runs tests in file order)
    const sent = bot.callsTo('sendMessage').filter((call) => call.status === 200);
    expect(sent.map((call) => call.params.text)).toContain('Hello &lt;Anna&gt; &amp; co');
  });
});
