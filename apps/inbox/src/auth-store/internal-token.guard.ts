import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG } from '@switchboard/common';
import { timingSafeEqualStrings } from '@switchboard/common/crypto';
import { UnauthorizedError } from '@switchboard/common/errors';
import type { AuthStoreConfig } from './auth-store.config';

/** The internal API answers only the gateway: `Authorization: Bearer <INTERNAL_API_TOKEN>`. */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AuthStoreConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !timingSafeEqualStrings(token, this.config.INTERNAL_API_TOKEN)) {
      throw new UnauthorizedError('The internal API needs the internal token', {
        code: 'INTERNAL_TOKEN_REQUIRED',
      });
    }
    return true;
  }
}
