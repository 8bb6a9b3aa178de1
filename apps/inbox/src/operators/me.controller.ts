import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { UnauthorizedError, ZodValidationPipe } from '@switchboard/common/errors';
import { InternalTokenGuard } from '../auth-store/internal-token.guard';
import { CurrentActor } from '../http/current-actor.decorator';
import type { RequestActor } from '../http/request-actor';
import { availabilitySchema } from './dto/operator.schemas';
import { BotsService } from '../bots/bots.service';
import { OperatorsService } from './operators.service';

/** /internal/v1/me and /internal/v1/me/availability: the calling operator. */
@Controller('internal/v1/me')
@UseGuards(InternalTokenGuard)
export class MeController {
  constructor(
    private readonly operators: OperatorsService,
    private readonly bots: BotsService,
  ) {}

  @Get()
  me(@CurrentActor() actor: RequestActor) {
    if (actor.role === 'bot' && actor.id) return this.bots.me(actor.id);
    return this.operators.get(this.operatorId(actor));
  }

  @Put('availability')
  availability(@CurrentActor() actor: RequestActor, @Body(new ZodValidationPipe(availabilitySchema)) body: { status: 'online' | 'away' | 'offline' }) {
    return this.operators.setAvailability(actor, this.operatorId(actor), body.status);
  }

  private operatorId(actor: RequestActor): string {
    if (!actor.id || actor.role === 'bot' || actor.role === 'system') throw new UnauthorizedError('Only an operator has a profile', { code: 'OPERATOR_REQUIRED' });
    return actor.id;
  }
}
