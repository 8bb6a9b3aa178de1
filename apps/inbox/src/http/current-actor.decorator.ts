import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { parseRequestActor, type RequestActor } from './request-actor';

/** `@CurrentActor() actor: RequestActor` — the caller the gateway named in the x-actor-* headers. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): RequestActor => {
  const request = context.switchToHttp().getRequest<Request>();
  return parseRequestActor(request.headers);
});
