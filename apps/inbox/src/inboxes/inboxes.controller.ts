import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { requireAdmin } from '../http/admin-guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { createInboxSchema, updateInboxSchema, type CreateInboxBody, type UpdateInboxBody } from './dto/inbox.schemas';
import { InboxesService } from './inboxes.service';

const idParams = new ZodValidationPipe(z.object({ id: z.string().uuid() }));

/** /internal/v1/inboxes (≙ /api/v1/inboxes): admins write; everyone reads the inboxes they may see. */
@Controller('internal/v1/inboxes')
@UseGuards(InternalTokenGuard)
export class InboxesController {
  constructor(private readonly inboxes: InboxesService) {}

  @Get()
  list(@CurrentActor() actor: RequestActor) {
    return this.inboxes.list(actor);
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    return this.inboxes.get(actor, params.id);
  }

  @Post()
  create(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(createInboxSchema)) body: CreateInboxBody) {
    requireAdmin(actor);
    return this.inboxes.create(actor, body);
  }

  @Patch(':id')
  update(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(updateInboxSchema)) body: UpdateInboxBody) {
    requireAdmin(actor);
    return this.inboxes.update(actor, params.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }): Promise<void> {
    requireAdmin(actor);
    await this.inboxes.remove(actor, params.id);
  }
}
