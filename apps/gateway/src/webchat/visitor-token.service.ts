import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '@switchboard/common';
import { deriveKey } from '@switchboard/common/crypto';
import { UnauthorizedError } from '@switchboard/common/errors';
import type { GatewayConfig } from '../gateway.config';
import { Visitor, visitorSchema } from './webchat-payload';

interface VisitorClaims {
  typ: 'visitor';
  iid: string;
  tid: string;
  xid: string;
  nm?: string;
  em?: string;
  v: boolean;
}

const AUDIENCE = 'switchboard-webchat';
const ISSUER = 'switchboard-gateway';

/**
 * Visitor tokens: HS256 JWTs with a key derived from JWT_SECRET for this purpose only (an
 * operator's token is never a visitor's, nor the reverse), bound to one inbox and one thread.
 */
@Injectable()
export class VisitorTokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.jwt = new JwtService({
      secret: createSecretKey(deriveKey(config.JWT_SECRET, 'switchboard webchat visitor token')),
      signOptions: { algorithm: 'HS256', audience: AUDIENCE, issuer: ISSUER },
      verifyOptions: { algorithms: ['HS256'], audience: AUDIENCE, issuer: ISSUER },
    });
  }

  get ttlSeconds(): number {
    return this.config.VISITOR_TOKEN_TTL_SECONDS;
  }

  sign(visitor: Visitor): string {
    const claims: VisitorClaims = {
      typ: 'visitor',
      iid: visitor.inboxId,
      tid: visitor.threadId,
      xid: visitor.externalId,
      nm: visitor.name,
      em: visitor.email,
      v: visitor.verified,
    };
    return this.jwt.sign(claims, { expiresIn: this.ttlSeconds, subject: visitor.externalId });
  }

  verify(token: string | undefined): Visitor {
    if (!token) throw new UnauthorizedError('A visitor token is required', { code: 'UNAUTHORIZED' });
    let claims: VisitorClaims;
    try {
      claims = this.jwt.verify<VisitorClaims>(token);
    } catch (error) {
      if (error instanceof Error && error.name === 'TokenExpiredError')
        throw new UnauthorizedError('The visitor token expired', { code: 'TOKEN_EXPIRED' });
      throw new UnauthorizedError('Invalid visitor token', { code: 'INVALID_TOKEN' });
    }
    const visitor = visitorSchema.safeParse({
      inboxId: claims.iid,
      threadId: claims.tid,
      externalId: claims.xid,
      name: claims.nm,
      email: claims.em,
      verified: claims.v,
    });
    if (claims.typ !== 'visitor' || !visitor.success)
      throw new UnauthorizedError('Invalid visitor token', { code: 'INVALID_TOKEN' });
    return visitor.data;
  }
}
