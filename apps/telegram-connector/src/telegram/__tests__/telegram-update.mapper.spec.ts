import { createHash } from 'node:crypto';
import type { BlobRef, BlobStore } from '@switchboard/common';
import { inboundMessageEditedSchema, inboundMessageSchema } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import type { TelegramFileFetcher, TelegramFileRef, StoredFile } from '../telegram-file.fetcher';
import { TelegramUpdateMapper } from '../telegram-update.mapper';
import { fixture } from './telegram-fixtures';

const INBOX_ID = '0b7c9a52-3c1e-4f57-9a0e-2f3d4c5b6a71';
const NOW = new Date('2024-11-23T09:00:00.000Z');

function blobRef(file: TelegramFileRef): BlobRef {
  return { key: `2024/11/${file.fileUniqueId}`, name: file.name, size: file.fileSize ?? 1, contentType: file.contentType, sha256: createHash('sha256').update(file.fileId).digest('hex') };
}

/** a strict fetcher double: stores what it is asked to, records the requests */
function fileFetcher(answer: (file: TelegramFileRef) => StoredFile = (file) => ({ stored: blobRef(file) })) {
  const requests: TelegramFileRef[] = [];
  const fetcher = { store: jest.fn(async (file: TelegramFileRef) => (requests.push(file), answer(file))) };
  return { fetcher: fetcher as unknown as TelegramFileFetcher, requests };
}

const blobs = {} as BlobStore;

function createSut(options: { allowGroups?: boolean; answer?: (file: TelegramFileRef) => StoredFile } = {}) {
  const { fetcher, requests } = fileFetcher(options.answer);
  const sut = new TelegramUpdateMapper({ inboxId: INBOX_ID, channelType: 'telegram', allowGroups: options.allowGroups ?? false, files: fetcher, now: () => NOW });
  return { sut, requests };
}

async function message(sut: TelegramUpdateMapper, raw: unknown) {
  const mapped = await sut.map(raw, blobs);
  if (mapped.kind !== 'message') throw new Error(`expected a message, got ${mapped.kind}`);
  return inboundMessageSchema.parse(mapped.message);
}

describe(TelegramUpdateMapper.name, () => {
  it('maps a private text with entities: ids, thread, sender profile, dates and safe HTML', async () => {
    const { sut, requests } = createSut();
    const result = await message(sut, fixture('private-text-entities'));

    expect(result).toMatchObject({
      inboxId: INBOX_ID,
      channelType: 'telegram',
      externalId: '5120938472:1201',
      threadKey: '5120938472',
      sender: { externalId: '5120938472', displayName: 'Anna Kowalska', username: 'anna_k', language: 'pl' },
      sentAt: '2024-11-23T08:37:00.000Z',
      receivedAt: NOW.toISOString(),
      attachments: [],
      references: [],
      channelMetadata: { updateId: 483920171, chatType: 'private', kind: 'text' },
    });
    expect(result.text).toContain('Tracking: https://track.example.com/A1042');
    expect(result.html).toContain('<b>#A-1042</b>');
    expect(result.html).toContain('<a href="https://track.example.com/A1042">https://track.example.com/A1042</a>');
    expect(result.html).toContain('<a href="tel:+48601234567">+48 601 234 567</a>');
    expect(result.html).toContain('<a href="mailto:anna@example.com">anna@example.com</a>');
    // the customer's own markup is text, never HTML
    expect(result.html).toContain('&lt;b&gt;urgent&lt;/b&gt;');
    expect(requests).toEqual([]);
  });

  it('takes the largest photo size and the caption with its entities', async () => {
    const { sut, requests } = createSut();
    const result = await message(sut, fixture('photo-caption'));

    expect(requests).toEqual([expect.objectContaining({ fileId: 'AgACAgIAAxkBAAIEsmdBz1_large_1280x960_Qm9vaw', fileSize: 145230, contentType: 'image/jpeg', name: 'photo-1202.jpg' })]);
    expect(result.text).toBe('The box arrived damaged');
    expect(result.html).toBe('The box arrived <i>damaged</i>');
    expect(result.attachments).toHaveLength(1);
    expect(result.channelMetadata).toMatchObject({ kind: 'photo' });
  });

  it.each([
    ['document', { fileId: 'BQACAgIAAxkBAAIEs2dB0A9invoicePdf_Rk9P', name: 'invoice-2024-11.pdf', contentType: 'application/pdf' }, 'Invoice attached'],
    ['voice', { fileId: 'AwACAgIAAxkBAAIEtGdB0EvoiceNote_T2dn', name: 'voice-1204.ogg', contentType: 'audio/ogg' }, ''],
    ['audio', { fileId: 'CQACAgIAAxkBAAIEtWdB0IaudioFile_TXAz', name: 'hold-music.mp3', contentType: 'audio/mpeg' }, ''],
    ['video', { fileId: 'BAACAgIAAxkBAAIEtmdB0MvideoFile_TXA0', name: 'unboxing.mp4', contentType: 'video/mp4' }, 'See how it looks'],
    ['video-note', { fileId: 'DQACAgIAAxkBAAIEt2dB0PvideoNote_TXA0', name: 'video-note-1207.mp4', contentType: 'video/mp4' }, ''],
    ['sticker', { fileId: 'CAACAgIAAxkBAAIEuGdB0RstickerFile_d2Vi', name: 'sticker-1208.webp', contentType: 'image/webp' }, '😢 (sticker)'],
  ])('stores the file of a %s message as an attachment', async (name, expected, text) => {
    const { sut, requests } = createSut();
    const result = await message(sut, fixture(name));

    expect(requests).toEqual([expect.objectContaining(expected)]);
    expect(result.attachments).toEqual([expect.objectContaining({ name: expected.name, contentType: expected.contentType })]);
    expect(result.text).toBe(text);
    expect(result.channelMetadata.kind).toBe(name.replace('-', '_'));
  });

  it('turns a location into readable text plus coordinates in the metadata', async () => {
    const { sut } = createSut();
    const result = await message(sut, fixture('location'));
    expect(result.text).toContain('52.229676, 21.012229');
    expect(result.channelMetadata).toMatchObject({ kind: 'location', location: { latitude: 52.229676, longitude: 21.012229 } });
  });

  it('turns a shared contact into readable text plus the structured contact', async () => {
    const { sut } = createSut();
    const result = await message(sut, fixture('contact'));
    expect(result.text).toBe('👤 Contact: Piotr Kowalski, +48601234567');
    expect(result.channelMetadata).toMatchObject({ kind: 'contact', contact: { phoneNumber: '+48601234567', userId: 5120938999 } });
  });

  it('records a reply as references to <chat>:<message_id> with the quoted part', async () => {
    const { sut } = createSut();
    const result = await message(sut, fixture('reply'));
    expect(result).toMatchObject({ externalId: '5120938472:1212', references: ['5120938472:1211'], inReplyTo: '5120938472:1211', quotedText: 'the order number', text: 'Yes, it is A-1042' });
  });

  it('maps an edited message to an edit of the same externalId', async () => {
    const { sut } = createSut();
    const mapped = await sut.map(fixture('edited-message'), blobs);
    expect(mapped.kind).toBe('edit');
    const edit = inboundMessageEditedSchema.parse((mapped as { edit: unknown }).edit);
    expect(edit).toEqual({
      inboxId: INBOX_ID,
      channelType: 'telegram',
      externalId: '5120938472:1201',
      threadKey: '5120938472',
      editedAt: '2024-11-23T08:49:15.000Z',
      text: 'Hi! My order #A-1042 has still not arrived.',
      html: 'Hi! My order <b>#A-1042</b> has still not arrived.',
    });
  });

  it('ignores group messages unless the inbox allows groups', async () => {
    const closed = createSut();
    await expect(closed.sut.map(fixture('group-message'), blobs)).resolves.toMatchObject({ kind: 'ignored', reason: expect.stringContaining('allowGroups') });

    const open = createSut({ allowGroups: true });
    const result = await message(open.sut, fixture('group-message'));
    expect(result).toMatchObject({
      externalId: '-1002233445566:88',
      threadKey: '-1002233445566',
      sender: { externalId: '5120938472', username: 'anna_k' },
      channelMetadata: { chatType: 'supergroup', chatTitle: 'Acme customers' },
    });
    expect(result.html).toContain('<a href="https://t.me/acme_support_bot">@acme_support_bot</a>');
  });

  it('ignores service messages, messages from bots and update kinds it does not serve', async () => {
    const { sut } = createSut({ allowGroups: true });
    const joined = fixture('group-message');
    delete (joined.message as { text?: string }).text;
    Object.assign(joined.message as object, { new_chat_members: [{ id: 1, is_bot: false, first_name: 'X' }] });
    await expect(sut.map(joined, blobs)).resolves.toMatchObject({ kind: 'ignored', reason: 'service message' });

    const fromBot = fixture('private-text-entities');
    (fromBot.message as { from: { is_bot: boolean } }).from.is_bot = true;
    await expect(sut.map(fromBot, blobs)).resolves.toMatchObject({ kind: 'ignored', reason: 'message from a bot' });

    await expect(sut.map({ update_id: 5, callback_query: { id: '1' } }, blobs)).resolves.toMatchObject({ kind: 'ignored', reason: 'update of kind callback_query is not served' });
  });

  it('keeps an attachment the fetcher refused as a refused attachment with the reason', async () => {
    const { sut } = createSut({ answer: (file) => ({ refused: { name: file.name, size: 30_000_000, contentType: file.contentType, reason: 'larger than the limit of 20971520 bytes' } }) });
    const result = await message(sut, fixture('video'));
    expect(result.attachments).toEqual([]);
    expect(result.refusedAttachments).toEqual([{ name: 'unboxing.mp4', size: 30_000_000, contentType: 'video/mp4', reason: 'larger than the limit of 20971520 bytes' }]);
  });

  it('lets a transport failure of the file fetch through as the typed error (the update is retried)', async () => {
    const { sut } = createSut({
      answer: () => {
        throw new ConnectorError('TEMPORARY', 'Telegram getFile: Bad Gateway');
      },
    });
    await expect(sut.map(fixture('voice'), blobs)).rejects.toMatchObject({ code: 'TEMPORARY' });
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an update without update_id', { message: { message_id: 1 } }],
    ['a message without chat', { update_id: 1, message: { message_id: 1, date: 1 } }],
    ['a chat id that is not a number', { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 'x', type: 'private' } } }],
  ])('refuses %s with INVALID_PAYLOAD', async (_name, raw) => {
    const { sut } = createSut();
    const error = await sut.map(raw, blobs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD' });
  });
});
