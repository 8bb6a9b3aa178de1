import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG } from '@switchboard/common';
import { UnauthorizedError } from '@switchboard/common/errors';
import type { GatewayConfig } from '../gateway.config';
import type { Actor, Role } from './actor';

interface AccessClaims {
  sub: string;
  role: Role;
  name?: string;
  sid: string;
  typ: 'access';
}

const ISSUER = 'switchboard-gateway';
const AUDIENCE = 'switchboard-api';
const OPERATOR_ROLES: readonly Role[] = ['admin', 'supervisor', 'operator'];

/**
 * Short-lived HS256 access tokens for operators (JWT_SECRET). The key is a KeyObject made once:
 * given a string, jsonwebtoken tries to parse it as a PEM public key on every verify (costly).
 */
@Injectable()
export class AccessTokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.jwt = new JwtService({
      secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')),
      signOptions: { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE },
      verifyOptions: { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE },
    });
  }

  get ttlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  sign(operator: { id: string; role: Role; name?: string }, sessionId: string): string {
    const claims: AccessClaims = {
      sub: operator.id,
      role: operator.role,
      name: operator.name,
      sid: sessionId,
      typ: 'access',
    };
    return this.jwt.sign(claims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
  }

  /** the operator behind a token; UnauthorizedError (TOKEN_EXPIRED / INVALID_TOKEN) otherwise */
  verify(token: string): Actor {
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token);
    } catch (error) {
      if (error instanceof Error && error.name === 'TokenExpiredError') {
        throw new UnauthorizedError('The access token expired', { code: 'TOKEN_EXPIRED' });
      }
      throw new UnauthorizedError('Invalid access token', { code: 'INVALID_TOKEN' });
    }
    if (claims.typ !== 'access' || !OPERATOR_ROLES.includes(claims.role) || typeof claims.sub !== 'string') {
      throw new UnauthorizedError('Invalid access token', { code: 'INVALID_TOKEN' });
    }
    return { kind: 'operator', id: claims.sub, role: claims.role, name: claims.name, sessionId: claims.sid };
  }
}
