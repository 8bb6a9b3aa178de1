import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { NotFoundError, ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { AuthStoreRepository } from './auth-store.repository';
import type { ConversationThread, VisitorMessage } from './auth-store.types';
import {
  conversationIdParamsSchema,
  threadQuerySchema,
  webchatHistoryQuerySchema,
} from './dto/auth-store.schemas';
import { InternalTokenGuard } from './internal-token.guard';

/**
 * What the gateway's web chat channel reads (internal API): a visitor's history by thread (public
 * messages only: notes and events never reach a visitor) and a conversation's thread.
 */
@Controller('internal/v1/webchat')
@UseGuards(InternalTokenGuard)
export class WebchatStoreController {
  constructor(private readonly repository: AuthStoreRepository) {}

  @Get('messages')
  async history(
    @Query(new ZodValidationPipe(webchatHistoryQuerySchema))
    query: z.output<typeof webchatHistoryQuerySchema>,
  ): Promise<{ items: VisitorMessage[] }> {
    const items = await this.repository.run((sql) => this.repository.visitorMessages(sql, query));
    return { items };
  }

  /** the inbox a public key (the widget's inboxKey) names */
  @Get('inbox-keys/:key')
  async inboxOfKey(
    @Param(new ZodValidationPipe(z.object({ key: z.string().min(1).max(200) }))) params: { key: string },
  ): Promise<{ inboxId: string }> {
    const found = await this.repository.run((sql) => this.repository.inboxOfPublicKey(sql, params.key));
    if (!found) throw new NotFoundError('No web chat with this key', { code: 'INBOX_NOT_FOUND' });
    return found;
  }

  /** the inbox's (newest) conversation of a visitor's thread */
  @Get('threads/conversation')
  async conversationOfThread(
    @Query(new ZodValidationPipe(threadQuerySchema)) query: z.output<typeof threadQuerySchema>,
  ): Promise<{ conversationId: string }> {
    const found = await this.repository.run((sql) =>
      this.repository.latestConversationOfThread(sql, query.inboxId, query.threadKey),
    );
    if (!found)
      throw new NotFoundError('no conversation for this thread yet', { code: 'CONVERSATION_NOT_FOUND' });
    return found;
  }

  @Get('conversations/:id/thread')
  async thread(
    @Param(new ZodValidationPipe(conversationIdParamsSchema)) params: { id: string },
  ): Promise<ConversationThread> {
    const thread = await this.repository.run((sql) => this.repository.conversationThread(sql, params.id));
    if (!thread) throw NotFoundError.of('conversation', params.id);
    return thread;
  }
}
