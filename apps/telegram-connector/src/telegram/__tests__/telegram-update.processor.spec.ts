import type { BlobStore, InboundMessageInput } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import type { MappedUpdate, TelegramUpdateMapper } from '../telegram-update.mapper';
import { TelegramUpdateProcessor } from '../telegram-update.processor';
import type { InboxContextLike } from '../telegram.types';

const INBOX_ID = '0b7c9a52-3c1e-4f57-9a0e-2f3d4c5b6a71';

function message(externalId: string): InboundMessageInput {
  return { inboxId: INBOX_ID, channelType: 'telegram', externalId, threadKey: '1', sender: { externalId: '1' }, sentAt: '2024-11-23T08:00:00.000Z', receivedAt: '2024-11-23T08:00:01.000Z', text: externalId };
}

/** a mapper double answering by update_id; an unknown id is a test bug and fails loudly */
function mapper(answers: Record<number, MappedUpdate | ConnectorError>): TelegramUpdateMapper {
  return {
    map: jest.fn(async (raw: unknown) => {
      const answer = answers[(raw as { update_id: number }).update_id];
      if (answer === undefined) throw new Error(`unexpected update ${JSON.stringify(raw)}`);
      if (answer instanceof ConnectorError) throw answer;
      return answer;
    }),
  } as unknown as TelegramUpdateMapper;
}

/** a strict context double: records the calls in order */
function context(options: { emit?: (messages: InboundMessageInput[]) => Promise<void> } = {}) {
  const calls: string[] = [];
  const ctx = {
    inboxId: INBOX_ID,
    blobs: {} as BlobStore,
    logger: { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() },
    emit: jest.fn(async (messages: InboundMessageInput[]) => {
      calls.push(`emit ${messages.map((m) => m.externalId).join(',')}`);
      await options.emit?.(messages);
    }),
    emitEdit: jest.fn(async (edit: { externalId: string }) => {
      calls.push(`edit ${edit.externalId}`);
    }),
    deadLetter: jest.fn(async (_raw: unknown, error: ConnectorError, key?: string) => {
      calls.push(`dlq ${error.code} ${key}`);
    }),
  };
  return { ctx: ctx as unknown as InboxContextLike, calls, mock: ctx };
}

describe(TelegramUpdateProcessor.name, () => {
  it('emits consecutive messages together and keeps the order around edits', async () => {
    const { ctx, calls } = context();
    const sut = new TelegramUpdateProcessor(
      mapper({
        1: { kind: 'message', message: message('1:1') },
        2: { kind: 'message', message: message('1:2') },
        3: { kind: 'edit', edit: { inboxId: INBOX_ID, channelType: 'telegram', externalId: '1:1', threadKey: '1', editedAt: '2024-11-23T08:00:05.000Z', text: 'fixed' } },
        4: { kind: 'ignored', reason: 'service message' },
        5: { kind: 'message', message: message('1:3') },
      }),
      ctx,
    );

    await sut.process([1, 2, 3, 4, 5].map((update_id) => ({ update_id })));

    expect(calls).toEqual(['emit 1:1,1:2', 'edit 1:1', 'emit 1:3']);
  });

  it('dead-letters a malformed update with its key and goes on', async () => {
    const { ctx, calls } = context();
    const sut = new TelegramUpdateProcessor(
      mapper({ 1: { kind: 'message', message: message('1:1') }, 2: new ConnectorError('INVALID_PAYLOAD', 'not a Telegram update'), 3: { kind: 'message', message: message('1:3') } }),
      ctx,
    );

    await sut.process([{ update_id: 1 }, { update_id: 2, message: { chat: { id: 77 } } }, { update_id: 3 }]);

    expect(calls).toEqual(['emit 1:1', `dlq INVALID_PAYLOAD ${INBOX_ID}:77`, 'emit 1:3']);
  });

  it('lets a transport failure through (the update must be delivered again), emitting nothing after it', async () => {
    const { ctx, calls } = context();
    const sut = new TelegramUpdateProcessor(mapper({ 1: new ConnectorError('TEMPORARY', 'getFile: Bad Gateway'), 2: { kind: 'message', message: message('1:2') } }), ctx);

    await expect(sut.process([{ update_id: 1 }, { update_id: 2 }])).rejects.toMatchObject({ code: 'TEMPORARY' });
    expect(calls).toEqual([]);
  });

  it('when the host refuses a batch as invalid, dead-letters only the culprit', async () => {
    const { ctx, calls } = context({
      emit: async (messages) => {
        if (messages.some((m) => m.externalId === '1:2')) throw new ConnectorError('INVALID_PAYLOAD', 'text too long');
      },
    });
    const sut = new TelegramUpdateProcessor(mapper({ 1: { kind: 'message', message: message('1:1') }, 2: { kind: 'message', message: message('1:2') }, 3: { kind: 'message', message: message('1:3') } }), ctx);

    await sut.process([{ update_id: 1 }, { update_id: 2 }, { update_id: 3 }]);

    expect(calls).toEqual(['emit 1:1,1:2,1:3', 'emit 1:1', 'emit 1:2', `dlq INVALID_PAYLOAD ${INBOX_ID}:unknown`, 'emit 1:3']);
  });

  it('rejects when Kafka does not acknowledge', async () => {
    const { ctx } = context({
      emit: async () => {
        throw new ConnectorError('TEMPORARY', 'broker not available');
      },
    });
    const sut = new TelegramUpdateProcessor(mapper({ 1: { kind: 'message', message: message('1:1') } }), ctx);
    await expect(sut.process([{ update_id: 1 }])).rejects.toMatchObject({ code: 'TEMPORARY' });
  });
});
