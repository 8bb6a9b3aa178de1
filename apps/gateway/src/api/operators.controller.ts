import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { listQuerySchema } from './dto/admin.schemas';
import { createOperatorSchema, updateOperatorSchema } from './dto/operator.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder, segment } from './inbox-forwarder.service';
import { UuidParamPipe } from './uuid-param.pipe';

const SCHEDULE_NOTE =
  'An operator carries `timezone` (IANA), `shifts` [{weekday 0 = Sunday…6, start "HH:MM", end "HH:MM"}] (end at or before start runs past midnight) ' +
  'and `daysOff` ["YYYY-MM-DD"]; `onShift` says whether they are on shift now. Automatic routing gives work only to operators online and on shift; ' +
  'an operator without shifts is always on shift (except on a day off).';

/** Operators (admin; supervisors read), with their schedule (timezone, weekly shifts, days off); responses carry `onShift`. */
@ApiTags('administration')
@Controller('api/v1/operators')
export class OperatorsController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get()
  @Endpoint({ summary: 'List operators', description: SCHEDULE_NOTE, roles: ['admin', 'supervisor'], query: listQuerySchema })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ZodValidationPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/operators', { query });
  }

  @Post()
  @Endpoint({ summary: 'Create an operator', description: SCHEDULE_NOTE, roles: ['admin'], body: createOperatorSchema, status: 201 })
  create(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(createOperatorSchema)) body: z.output<typeof createOperatorSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'POST', '/operators', { body });
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change an operator',
    description: `${SCHEDULE_NOTE} A given \`shifts\` or \`daysOff\` list replaces the whole list.`,
    roles: ['admin'],
    body: updateOperatorSchema,
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodValidationPipe(updateOperatorSchema)) body: z.output<typeof updateOperatorSchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PATCH', `/operators/${segment(id)}`, { body });
  }

  @Delete(':id')
  @Endpoint({ summary: 'Remove an operator', roles: ['admin'] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'DELETE', `/operators/${segment(id)}`);
  }
}
