import { UnprocessableError } from '@switchboard/common/errors';
import type { RequestActor } from '../../http/request-actor';
import { assertBotMayWrite } from '../bot-turn';

describe(assertBotMayWrite.name, () => {
  const bot: RequestActor = { id: '01a20000-0000-7000-8000-0000000000b0', role: 'bot', name: 'FAQ' };
  const operator: RequestActor = { id: '01a20000-0000-7000-8000-0000000000a0', role: 'operator', name: 'Ann' };

  it('lets a bot write to the customer while the conversation is with it', () => {
    expect(() => assertBotMayWrite(bot, 'bot', false)).not.toThrow();
  });

  it.each(['queued', 'open', 'pending', 'snoozed', 'resolved'] as const)('refuses a bot reply in a %s conversation (422 CONVERSATION_NOT_WITH_BOT)', (status) => {
    let error: unknown;
    try {
      assertBotMayWrite(bot, status, false);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(error).toMatchObject({ code: 'CONVERSATION_NOT_WITH_BOT' });
  });

  it("accepts a bot's private note in any status, and never limits people", () => {
    expect(() => assertBotMayWrite(bot, 'open', true)).not.toThrow();
    expect(() => assertBotMayWrite(operator, 'bot', false)).not.toThrow();
    expect(() => assertBotMayWrite(operator, 'open', false)).not.toThrow();
  });
});
