import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { createTeamSchema, listQuerySchema, updateTeamSchema } from './dto/admin.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

/** Teams (admin; supervisors read). */
@ApiTags('administration')
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get()
  @Endpoint({ summary: 'List teams', roles: ['admin', 'supervisor'], query: listQuerySchema })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/teams', { query });
  }

  @Post()
  @Endpoint({ summary: 'Create a team', roles: ['admin'], body: createTeamSchema, status: 201 })
  create(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(createTeamSchema)) body: z.output<typeof createTeamSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', '/teams', { body });
  }

  @Patch(':id')
  @Endpoint({ summary: 'Change a team', roles: ['admin'], body: updateTeamSchema })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(updateTeamSchema)) body: z.output<typeof updateTeamSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PATCH', `/teams/${segment(id)}`, { body });
  }

  @Delete(':id')
  @Endpoint({ summary: 'Remove a team', roles: ['admin'] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'DELETE', `/teams/${segment(id)}`);
  }
}
