import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { requireAdmin, requireSupervisor } from '../http/admin-guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { createTeamSchema, updateTeamSchema, type CreateTeamBody, type UpdateTeamBody } from './dto/team.schemas';
import { TeamsService } from './teams.service';

const idParams = new ZodValidationPipe(z.object({ id: z.string().uuid() }));

/** /internal/v1/teams (≙ /api/v1/teams). */
@Controller('internal/v1/teams')
@UseGuards(InternalTokenGuard)
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  list(@CurrentActor() actor: RequestActor) {
    requireSupervisor(actor);
    return this.teams.list();
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    requireSupervisor(actor);
    return this.teams.get(params.id);
  }

  @Post()
  create(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(createTeamSchema)) body: CreateTeamBody) {
    requireAdmin(actor);
    return this.teams.create(actor, body);
  }

  @Patch(':id')
  update(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(updateTeamSchema)) body: UpdateTeamBody) {
    requireAdmin(actor);
    return this.teams.update(actor, params.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }): Promise<void> {
    requireAdmin(actor);
    await this.teams.remove(actor, params.id);
  }
}
