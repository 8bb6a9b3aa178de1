import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from './actor';

export const ACTOR_PROPERTY = 'switchboardActor';

export type RequestWithActor = Request & { [ACTOR_PROPERTY]?: Actor };

/** The authenticated caller (set by the AccessGuard). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<RequestWithActor>();
  const actor = request[ACTOR_PROPERTY];
  if (!actor) throw new Error('CurrentActor on a route without an authenticated actor');
  return actor;
});
