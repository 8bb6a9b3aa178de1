import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { availabilitySchema } from './dto/admin.schemas';
import { Endpoint } from './endpoint.decorator';
import { InboxForwarder } from './inbox-forwarder.service';

@ApiTags('me')
@Controller('api/v1/me')
export class MeController {
  constructor(private readonly forwarder: InboxForwarder) {}

  @Get()
  @Endpoint({ summary: 'The caller (operator or bot)', roles: ['admin', 'supervisor', 'operator', 'bot'] })
  me(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'GET', '/me');
  }

  @Put('availability')
  @Endpoint({
    summary: "Set the caller's availability (routing uses it)",
    roles: ['admin', 'supervisor', 'operator'],
    body: availabilitySchema,
  })
  availability(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(availabilitySchema)) body: z.output<typeof availabilitySchema>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<unknown> {
    return this.forwarder.forward(actor, res, 'PUT', '/me/availability', { body });
  }
}
