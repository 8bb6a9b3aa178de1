import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Authenticator } from '../auth/authenticator.service';
import { VisitorTokenService } from './visitor-token.service';
import type { Visitor } from './webchat-payload';

const VISITOR_PROPERTY = 'switchboardVisitor';
type RequestWithVisitor = Request & { [VISITOR_PROPERTY]?: Visitor };

/** `Authorization: Bearer <visitorToken>` on the visitor's routes (401 otherwise). */
@Injectable()
export class VisitorGuard implements CanActivate {
  constructor(private readonly tokens: VisitorTokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestWithVisitor>();
    request[VISITOR_PROPERTY] = this.tokens.verify(Authenticator.bearerOf(request.headers.authorization));
    return true;
  }
}

/** The visitor of the request (set by VisitorGuard). */
export const CurrentVisitor = createParamDecorator((_data: unknown, context: ExecutionContext): Visitor => {
  const visitor = context.switchToHttp().getRequest<RequestWithVisitor>()[VISITOR_PROPERTY];
  if (!visitor) throw new Error('CurrentVisitor on a route without VisitorGuard');
  return visitor;
});
