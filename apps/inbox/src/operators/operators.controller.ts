import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { requireAdmin, requireSupervisor } from '../http/admin-guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { createOperatorSchema, listOperatorsQuerySchema, updateOperatorSchema, type CreateOperatorBody, type UpdateOperatorBody } from './dto/operator.schemas';
import { OperatorsService } from './operators.service';

const idParams = new ZodValidationPipe(z.object({ id: z.string().uuid() }));

/** /internal/v1/operators (≙ /api/v1/operators): admins write, supervisors read. Passwords are never returned. */
@Controller('internal/v1/operators')
@UseGuards(InternalTokenGuard)
export class OperatorsController {
  constructor(private readonly operators: OperatorsService) {}

  @Get()
  list(@CurrentActor() actor: RequestActor, @Query(new ZodValidationPipe(listOperatorsQuerySchema)) query: z.output<typeof listOperatorsQuerySchema>) {
    requireSupervisor(actor);
    return this.operators.list(query.q, query.cursor, query.limit);
  }

  @Get(':id')
  get(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }) {
    requireSupervisor(actor);
    return this.operators.get(params.id);
  }

  @Post()
  create(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(createOperatorSchema)) body: CreateOperatorBody) {
    requireAdmin(actor);
    return this.operators.create(actor, body);
  }

  @Patch(':id')
  update(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }, @Body(new ZodValidationPipe(updateOperatorSchema)) body: UpdateOperatorBody) {
    requireAdmin(actor);
    return this.operators.update(actor, params.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentActor() actor: RequestActor, @Param(idParams) params: { id: string }): Promise<void> {
    requireAdmin(actor);
    await this.operators.remove(actor, params.id);
  }
}
