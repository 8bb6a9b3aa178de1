import { ConnectorError } from '@switchboard/connector-sdk';
import { TelegramWebhookError } from '../telegram-webhook.error';
import { TelegramWebhookEndpoint, TelegramWebhookRegistry } from '../telegram-webhook.registry';

const INBOX_ID = '0b7c9a52-3c1e-4f57-9a0e-2f3d4c5b6a71';

function endpoint(handle: (update: unknown) => Promise<void> = async () => undefined): TelegramWebhookEndpoint & { handle: jest.Mock } {
  return { secretToken: 'the-secret_token-0123456789abcdef', handle: jest.fn(handle) };
}

async function failure(promise: Promise<unknown>): Promise<TelegramWebhookError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelegramWebhookError);
  return error as TelegramWebhookError;
}

describe(TelegramWebhookRegistry.name, () => {
  it('hands the update to the inbox endpoint when the secret matches', async () => {
    const sut = new TelegramWebhookRegistry();
    const target = endpoint();
    sut.register(INBOX_ID, target);

    await sut.dispatch(INBOX_ID, 'the-secret_token-0123456789abcdef', { update_id: 1 });

    expect(target.handle).toHaveBeenCalledWith({ update_id: 1 });
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'the-secret_token-0123456789abcdeX'],
    ['a prefix of it', 'the-secret'],
  ])('refuses a %s secret with 401 without handling the update', async (_name, secret) => {
    const sut = new TelegramWebhookRegistry();
    const target = endpoint();
    sut.register(INBOX_ID, target);

    const error = await failure(sut.dispatch(INBOX_ID, secret, { update_id: 1 }));

    expect(error).toMatchObject({ code: 'WEBHOOK_SECRET_MISMATCH', status: 401 });
    expect(target.handle).not.toHaveBeenCalled();
  });

  it('answers 404 for an inbox that is not served (or no longer: a restarted session replaced it, then stopped)', async () => {
    const sut = new TelegramWebhookRegistry();
    const old = endpoint();
    const replacement = endpoint();
    sut.register(INBOX_ID, old);
    sut.register(INBOX_ID, replacement);
    sut.unregister(INBOX_ID, old);
    await sut.dispatch(INBOX_ID, replacement.secretToken, { update_id: 1 });
    expect(replacement.handle).toHaveBeenCalledTimes(1);

    sut.unregister(INBOX_ID, replacement);
    const error = await failure(sut.dispatch(INBOX_ID, replacement.secretToken, { update_id: 2 }));
    expect(error).toMatchObject({ code: 'INBOX_NOT_SERVED', status: 404 });
  });

  it('answers 503 when the event was not acknowledged, so Telegram delivers it again', async () => {
    const sut = new TelegramWebhookRegistry();
    sut.register(
      INBOX_ID,
      endpoint(async () => {
        throw new ConnectorError('TEMPORARY', 'broker not available');
      }),
    );

    const error = await failure(sut.dispatch(INBOX_ID, 'the-secret_token-0123456789abcdef', { update_id: 1 }));

    expect(error).toMatchObject({ code: 'UPDATE_NOT_ACKNOWLEDGED', status: 503 });
    expect(error.message).toContain('TEMPORARY: broker not available');
  });
});
