import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@switchboard/common';
import { ForbiddenError } from '@switchboard/common/errors';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import type { Role } from './actor';
import { Authenticator } from './authenticator.service';
import { ACTOR_PROPERTY, RequestWithActor } from './current-actor.decorator';

/** Controllers of the shared libraries that carry no decorators of ours (health, readiness, metrics: public). */
const FRAMEWORK_PUBLIC_CONTROLLERS: ReadonlyArray<Type<unknown>> = [HealthController];

/**
 * The gateway's one access rule for HTTP, installed globally (APP_GUARD), deny by default:
 * - @Public() routes pass;
 * - @Roles(...) routes need a valid bearer token (401 otherwise) of one of the roles (403 otherwise);
 * - any other route is refused (403 ROUTE_NOT_DECLARED), so a forgotten decorator never opens a route.
 * Socket.IO connections are checked at their handshake by the socket gateways.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (FRAMEWORK_PUBLIC_CONTROLLERS.includes(context.getClass())) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const actor = await this.authenticator.authenticate(
      Authenticator.bearerOf(request.headers.authorization),
    );
    request[ACTOR_PROPERTY] = actor;
    if (!roles || roles.length === 0)
      throw new ForbiddenError('This route is not open to anyone', { code: 'ROUTE_NOT_DECLARED' });
    if (!roles.includes(actor.role)) {
      throw new ForbiddenError(`This needs the role ${roles.join(' or ')}`, {
        code: 'FORBIDDEN_ROLE',
        details: { required: roles, role: actor.role },
      });
    }
    return true;
  }
}
