import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import {
  cannedResponseSchema,
  listCannedQuerySchema,
  renderCannedResponseSchema,
  reportSummaryQuerySchema,
  updateCannedResponseSchema,
} from './dto/contact.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

/** Scripts (canned responses) and reports. */
@ApiTags('scripts and reports')
@Controller('api/v1')
export class CannedResponsesController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get('canned-responses')
  @Endpoint({
    summary: 'Scripts (with conversationId: rendered with its variables)',
    roles: ['admin', 'supervisor', 'operator'],
    query: listCannedQuerySchema,
  })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listCannedQuerySchema)) query: z.output<typeof listCannedQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/canned-responses', { query });
  }

  @Post('canned-responses')
  @Endpoint({
    summary: 'Create a script',
    roles: ['admin', 'supervisor'],
    body: cannedResponseSchema,
    status: 201,
  })
  create(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(cannedResponseSchema)) body: z.output<typeof cannedResponseSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', '/canned-responses', { body });
  }

  @Get('canned-responses/:id')
  @Endpoint({ summary: 'One script', roles: ['admin', 'supervisor', 'operator'] })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', `/canned-responses/${segment(id)}`);
  }

  @Post('canned-responses/:id/render')
  @Endpoint({
    summary: 'A script rendered for a conversation ({{contact.name}}, {{operator.name}}, …)',
    roles: ['admin', 'supervisor', 'operator'],
    body: renderCannedResponseSchema,
    status: 200,
  })
  render(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(renderCannedResponseSchema)) body: z.output<typeof renderCannedResponseSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', `/canned-responses/${segment(id)}/render`, { body });
  }

  @Patch('canned-responses/:id')
  @Endpoint({ summary: 'Change a script', roles: ['admin', 'supervisor'], body: updateCannedResponseSchema })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(updateCannedResponseSchema))
    body: z.output<typeof updateCannedResponseSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PATCH', `/canned-responses/${segment(id)}`, { body });
  }

  @Delete('canned-responses/:id')
  @Endpoint({ summary: 'Remove a script', roles: ['admin', 'supervisor'] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'DELETE', `/canned-responses/${segment(id)}`);
  }

  @Get('reports/summary')
  @Endpoint({
    summary: 'First response, resolution, SLA, bot containment',
    roles: ['admin', 'supervisor'],
    query: reportSummaryQuerySchema,
  })
  summary(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(reportSummaryQuerySchema)) query: z.output<typeof reportSummaryQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/reports/summary', { query });
  }

  @Get('reports/live')
  @Endpoint({
    summary: 'Queue length, longest wait, operators online and their load',
    roles: ['admin', 'supervisor'],
  })
  live(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/reports/live');
  }
}
