import { Injectable } from '@nestjs/common';
import { UnauthorizedError } from '@switchboard/common/errors';
import { AccessTokenService } from './access-token.service';
import type { Actor } from './actor';
import { BotTokenVerifier } from './bot-token.verifier';
import { SessionRevocations } from './session-revocations.service';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A bearer credential → the actor: an operator's JWT access token, or a bot's token. */
@Injectable()
export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly botTokens: BotTokenVerifier,
    private readonly revocations: SessionRevocations,
  ) {}

  static bearerOf(header: string | undefined): string | undefined {
    if (!header) return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }

  async authenticate(token: string | undefined): Promise<Actor> {
    if (!token)
      throw new UnauthorizedError('Authentication required: send Authorization: Bearer <token>', {
        code: 'UNAUTHORIZED',
      });
    if (token.length > 4096) throw new UnauthorizedError('Invalid token', { code: 'INVALID_TOKEN' });
    if (JWT_SHAPE.test(token)) {
      const actor = this.accessTokens.verify(token);
      if (actor.kind === 'operator' && this.revocations.isRevoked(actor.sessionId)) {
        throw new UnauthorizedError('This session has ended (logged out or revoked): log in again', { code: 'SESSION_REVOKED' });
      }
      return actor;
    }
    if (token.length < 16) throw new UnauthorizedError('Invalid token', { code: 'INVALID_TOKEN' });
    return this.botTokens.verify(token);
  }
}
