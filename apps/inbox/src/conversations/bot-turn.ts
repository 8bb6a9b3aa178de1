import { UnprocessableError } from '@switchboard/common/errors';
import type { RequestActor } from '../http/request-actor';
import type { ConversationStatus } from '../persistence/entities/conversation.entity';

/**
 * A bot must not talk over a human: it writes to the customer only while the conversation is with
 * it (status `bot`), else 422 CONVERSATION_NOT_WITH_BOT. Its internal notes (`private: true`) are
 * accepted in any status — they never reach the customer, and a bot may add context for the operator
 * after a handoff.
 */
export function assertBotMayWrite(actor: RequestActor, status: ConversationStatus, isNote: boolean): void {
  if (actor.role !== 'bot' || isNote || status === 'bot') return;
  throw new UnprocessableError('The conversation is no longer with the bot: a human has it', {
    code: 'CONVERSATION_NOT_WITH_BOT',
    details: { status },
  });
}
