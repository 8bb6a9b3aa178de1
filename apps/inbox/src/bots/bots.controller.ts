import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { requireAdmin, requireSupervisor } from '../http/admin-guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { BotsService } from './bots.service';

const idParams = new ZodValidationPipe(z.object({ id: z.string().uuid() }));
const createBotSchema = z.object({
  name: z.string().trim().min(1).max(200),
  webhookUrl: z.string().url().max(2000).optional(),
  inboxIds: z.array(z.string().uuid()).max(1000).default([]),
});

/** /internal/v1/bots (≙ /api/v1/bots): POST answers the token and webhook secret once. */
@Controller('internal/v1/bots')
@UseGuards(InternalTokenGuard)
export class BotsController {
  constructor(private readonly bots: BotsService) {}

  @Get()
  list(@CurrentActor() actor: RequestActor) {
    requireSupervisor(actor);
    return this.bots.list();
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    requireSupervisor(actor);
    return this.bots.get(params.id);
  }

  @Post()
  create(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(createBotSchema)) body: z.output<typeof createBotSchema>) {
    requireAdmin(actor);
    return this.bots.create(actor, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }): Promise<void> {
    requireAdmin(actor);
    await this.bots.remove(actor, params.id);
  }
}
