import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import {
  assignSchema,
  handbackSchema,
  handoffSchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  mergeConversationSchema,
  sendMessageSchema,
  startConversationSchema,
  statusSchema,
  transferSchema,
  updateConversationSchema,
} from './dto/conversation.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

const EVERYONE = ['admin', 'supervisor', 'operator', 'bot'] as const;
const STAFF = ['admin', 'supervisor', 'operator'] as const;

/**
 * Conversations (API.md, "Conversations"). Operators see only their inboxes' conversations and
 * bots only their inboxes': the inbox applies that scope from the caller's identity.
 */
@ApiTags('conversations')
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get()
  @Endpoint({ summary: 'List conversations', roles: [...EVERYONE], query: listConversationsQuerySchema })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listConversationsQuerySchema))
    query: z.output<typeof listConversationsQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/conversations', { query });
  }

  @Post()
  @Endpoint({
    summary: 'Start an outbound conversation',
    description:
      'To a contact (contactId) or an address (to). An e-mail inbox may write to any new address; channels that can only ' +
      'answer (Telegram bots, web chat) need someone who wrote to the inbox before, else 422 RECIPIENT_NEVER_WROTE.',
    roles: [...STAFF],
    body: startConversationSchema,
    status: 201,
  })
  start(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(startConversationSchema)) body: z.output<typeof startConversationSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', '/conversations', { body });
  }

  @Get(':id')
  @Endpoint({ summary: 'One conversation (with the handoff card, if any)', roles: [...EVERYONE] })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', `/conversations/${segment(id)}`);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change priority, type, labels, attributes',
    roles: [...EVERYONE],
    body: updateConversationSchema,
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(updateConversationSchema)) body: z.output<typeof updateConversationSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PATCH', `/conversations/${segment(id)}`, { body });
  }

  @Get(':id/messages')
  @Endpoint({ summary: "A conversation's messages", roles: [...EVERYONE], query: listMessagesQuerySchema })
  messages(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Query(new ZodValidationPipe(listMessagesQuerySchema)) query: z.output<typeof listMessagesQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', `/conversations/${segment(id)}/messages`, { query });
  }

  @Post(':id/messages')
  @Endpoint({
    summary: 'Reply, or write an internal note (private: true)',
    description:
      'With afterMessageId, 409 COLLISION (with the newer messages) when someone else wrote since, unless force. ' +
      'In a note, @handle (e-mail local part, full name with _ or ., or a unique first name) of an operator who may see the ' +
      'conversation sends them a `notification` (kind mention); the note lists them in `mentions: [{operatorId, name}]`. ' +
      'A bot writes to the customer only while the conversation is in `bot` (else 422 CONVERSATION_NOT_WITH_BOT: a bot ' +
      'must not talk over a human); its private notes are accepted in any status.',
    roles: [...EVERYONE],
    body: sendMessageSchema,
    status: 201,
  })
  send(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(sendMessageSchema)) body: z.output<typeof sendMessageSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/messages`, { body });
  }

  @Post(':id/assign')
  @Endpoint({ summary: 'Assign to an operator or a team', roles: [...STAFF], body: assignSchema })
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(assignSchema)) body: z.output<typeof assignSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/assign`, { body });
  }

  @Post(':id/transfer')
  @Endpoint({
    summary: 'Transfer with a summary (kept as a pinned note)',
    roles: [...STAFF],
    body: transferSchema,
  })
  transfer(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(transferSchema)) body: z.output<typeof transferSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/transfer`, { body });
  }

  @Post(':id/status')
  @Endpoint({
    summary: 'Open, pending, snoozed (until) or resolved',
    roles: [...EVERYONE],
    body: statusSchema,
  })
  status(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(statusSchema)) body: z.output<typeof statusSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/status`, { body });
  }

  @Post(':id/handoff')
  @Endpoint({
    summary: 'A bot hands the conversation to humans with a structured payload',
    roles: ['admin', 'supervisor', 'bot'],
    body: handoffSchema,
  })
  handoff(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(handoffSchema)) body: z.output<typeof handoffSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/handoff`, { body });
  }

  @Post(':id/handback')
  @Endpoint({
    summary: "An operator gives the conversation back to the inbox's bot",
    description:
      'Status → bot, the assignee cleared (their capacity freed), the bot notified (conversation.handed_back on its ' +
      'webhook). 422 INBOX_HAS_NO_BOT when the inbox has no bot, 422 CONVERSATION_WITH_BOT when it already has it. ' +
      'Afterwards the bot may write to the customer again (a bot writing to a conversation not in `bot` gets 422 ' +
      'CONVERSATION_NOT_WITH_BOT; its private notes are accepted in any status).',
    roles: [...STAFF],
    body: handbackSchema,
  })
  handback(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(handbackSchema)) body: z.output<typeof handbackSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/handback`, { body });
  }

  @Post(':id/merge')
  @Endpoint({ summary: 'Merge into another conversation', roles: [...STAFF], body: mergeConversationSchema })
  merge(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(mergeConversationSchema)) body: z.output<typeof mergeConversationSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/conversations/${segment(id)}/merge`, { body });
  }

  @Get(':id/events')
  @Endpoint({ summary: "The conversation's audit trail", roles: [...STAFF] })
  events(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', `/conversations/${segment(id)}/events`);
  }
}
