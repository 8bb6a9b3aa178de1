import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { createInboxSchema, listQuerySchema, updateInboxSchema } from './dto/admin.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

/** Inboxes (channel accounts); secrets in config are write-only (admin; supervisors read). */
@ApiTags('administration')
@Controller('api/v1/inboxes')
export class InboxesController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get()
  @Endpoint({ summary: 'List inboxes', roles: ['admin', 'supervisor'], query: listQuerySchema })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/inboxes', { query });
  }

  @Post()
  @Endpoint({
    summary: 'Create an inbox',
    roles: ['admin'],
    body: createInboxSchema,
    status: 201,
    description: 'Secrets in config are write-only. A webchat inbox answers with its public inboxKey.',
  })
  create(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(createInboxSchema)) body: z.output<typeof createInboxSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', '/inboxes', { body });
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change an inbox',
    roles: ['admin'],
    body: updateInboxSchema,
    description: 'Secrets in config are write-only. A webchat inbox answers with its public inboxKey.',
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(updateInboxSchema)) body: z.output<typeof updateInboxSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PATCH', `/inboxes/${segment(id)}`, { body });
  }

  @Delete(':id')
  @Endpoint({ summary: 'Remove an inbox', roles: ['admin'] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'DELETE', `/inboxes/${segment(id)}`);
  }
}
