import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { MessageSendingService } from '../messages/message-sending.service';
import { ConversationCommandsService } from './conversation-commands.service';
import { ConversationQueriesService } from './conversation-queries.service';
import {
  assignSchema,
  conversationIdParamsSchema,
  handbackSchema,
  handoffSchema,
  listConversationsQuerySchema,
  listEventsQuerySchema,
  listMessagesQuerySchema,
  mergeConversationSchema,
  sendMessageSchema,
  startConversationSchema,
  statusSchema,
  transferSchema,
  updateConversationSchema,
  type AssignBody,
  type HandbackBody,
  type HandoffBody,
  type ListConversationsQuery,
  type SendMessageBody,
  type StartConversationBody,
  type StatusBody,
  type TransferBody,
  type UpdateConversationBody,
} from './dto/conversation.schemas';

const idParams = new ZodValidationPipe(conversationIdParamsSchema);

/**
 * Conversations, internal API for the gateway. Paths mirror API.md's /api/v1 under /internal/v1
 * (GET /internal/v1/conversations ≙ GET /api/v1/conversations); the caller is named by x-actor-id /
 * x-actor-role and scoped to their inboxes; the internal token is required (401 without it).
 */
@Controller('internal/v1/conversations')
@UseGuards(InternalTokenGuard)
export class ConversationsController {
  constructor(
    private readonly queries: ConversationQueriesService,
    private readonly commands: ConversationCommandsService,
    private readonly sending: MessageSendingService,
  ) {}

  @Get()
  list(@CurrentActor() actor: RequestActor, @Query(new ZodValidationPipe(listConversationsQuerySchema)) query: ListConversationsQuery) {
    return this.queries.list(actor, query);
  }

  @Post()
  start(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(startConversationSchema)) body: StartConversationBody) {
    return this.sending.start(actor, body);
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    return this.queries.get(actor, params.id);
  }

  @Patch(':id')
  update(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(updateConversationSchema)) body: UpdateConversationBody) {
    return this.commands.update(actor, params.id, body);
  }

  @Get(':id/messages')
  messages(
    @CurrentActor() actor: RequestActor,
    @Param(idParams) params: { id: string },
    @Query(new ZodValidationPipe(listMessagesQuerySchema)) query: { before?: string; limit: number },
  ) {
    return this.queries.messagesOf(actor, params.id, query.before, query.limit);
  }

  @Post(':id/messages')
  send(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(sendMessageSchema)) body: SendMessageBody) {
    return this.sending.send(actor, params.id, body);
  }

  @Post(':id/assign')
  @HttpCode(200)
  assign(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(assignSchema)) body: AssignBody) {
    return this.commands.assign(actor, params.id, body);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  transfer(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(transferSchema)) body: TransferBody) {
    return this.commands.transfer(actor, params.id, body);
  }

  @Post(':id/status')
  @HttpCode(200)
  status(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(statusSchema)) body: StatusBody) {
    return this.commands.setStatus(actor, params.id, body);
  }

  @Post(':id/handoff')
  @HttpCode(200)
  handoff(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(handoffSchema)) body: HandoffBody) {
    return this.commands.handoff(actor, params.id, body);
  }

  @Post(':id/handback')
  @HttpCode(200)
  handback(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(handbackSchema)) body: HandbackBody) {
    return this.commands.handback(actor, params.id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  merge(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(mergeConversationSchema)) body: { intoConversationId: string }) {
    return this.commands.merge(actor, params.id, body.intoConversationId);
  }

  @Get(':id/events')
  events(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Query(new ZodValidationPipe(listEventsQuerySchema)) query: { cursor?: string; limit: number }) {
    return this.queries.eventsOf(actor, params.id, query.cursor, query.limit);
  }
}
