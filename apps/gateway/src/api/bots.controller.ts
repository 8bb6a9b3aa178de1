import { Body, Controller, Delete, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { auditLogQuerySchema, createBotSchema, listQuerySchema } from './dto/admin.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

/** Bots and the audit log (admin; supervisors read). */
@ApiTags('administration')
@Controller('api/v1')
export class BotsController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get('bots')
  @Endpoint({ summary: 'List bots', roles: ['admin', 'supervisor'], query: listQuerySchema })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/bots', { query });
  }

  @Post('bots')
  @Endpoint({
    summary: 'Register a bot',
    description: 'Answers {id, token, webhookSecret}; the token is shown once.',
    roles: ['admin'],
    body: createBotSchema,
    status: 201,
  })
  create(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(createBotSchema)) body: z.output<typeof createBotSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', '/bots', { body });
  }

  @Delete('bots/:id')
  @Endpoint({ summary: 'Remove a bot (its token stops working)', roles: ['admin'] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'DELETE', `/bots/${segment(id)}`);
  }

  @Get('audit-log')
  @Endpoint({
    summary: 'The audit log of privileged acts',
    roles: ['admin', 'supervisor'],
    query: auditLogQuerySchema,
  })
  auditLog(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(auditLogQuerySchema)) query: z.output<typeof auditLogQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/audit-log', { query });
  }
}
