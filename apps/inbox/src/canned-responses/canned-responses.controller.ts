import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { CannedResponsesService } from './canned-responses.service';
import {
  cannedResponseIdParamsSchema,
  createCannedResponseSchema,
  listCannedResponsesQuerySchema,
  renderCannedResponseSchema,
  updateCannedResponseSchema,
  type CreateCannedResponseBody,
  type ListCannedResponsesQuery,
  type UpdateCannedResponseBody,
} from './dto/canned-response.schemas';

const idParams = new ZodValidationPipe(cannedResponseIdParamsSchema);

/**
 * Scripts (canned responses), internal API for the gateway (GET /internal/v1/canned-responses ≙
 * GET /api/v1/canned-responses). `?conversationId=` on the list, or POST …/{id}/render, fills the variables.
 */
@Controller('internal/v1/canned-responses')
@UseGuards(InternalTokenGuard)
export class CannedResponsesController {
  constructor(private readonly scripts: CannedResponsesService) {}

  @Get()
  list(@CurrentActor() actor: RequestActor, @Query(new ZodValidationPipe(listCannedResponsesQuerySchema)) query: ListCannedResponsesQuery) {
    return this.scripts.list(actor, query);
  }

  @Post()
  create(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(createCannedResponseSchema)) body: CreateCannedResponseBody) {
    return this.scripts.create(actor, body);
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    return this.scripts.get(actor, params.id);
  }

  @Patch(':id')
  update(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(updateCannedResponseSchema)) body: UpdateCannedResponseBody) {
    return this.scripts.update(actor, params.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }): Promise<void> {
    await this.scripts.remove(actor, params.id);
  }

  @Post(':id/render')
  @HttpCode(200)
  render(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(renderCannedResponseSchema)) body: { conversationId: string }) {
    return this.scripts.render(actor, params.id, body.conversationId);
  }
}
