import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { Configuration } from '../config/configuration.js';

export interface TokenPair {
  access: string;
  refresh: string;
}

export type TokenType = 'access' | 'refresh';

export interface AccessClaims {
  sub: string;
  jti: string;
  typ: TokenType;
  iat: number;
  exp: number;
}

/** Signs the JWTs of a session: a short-lived access token and a long-lived refresh token. */
@Injectable()
export class SessionTokensService {
  private readonly accessTtl: number;
  private readonly refreshTtl: number;

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService<Configuration, true>,
  ) {
    this.accessTtl = config.getOrThrow('auth.accessTtlSeconds', { infer: true });
    this.refreshTtl = config.getOrThrow('auth.refreshTtlSeconds', { infer: true });
  }

  async issue(userId: string): Promise<TokenPair> {
    const family = randomUUID();
    const [access, refresh] = await Promise.all([
      this.jwt.signAsync({ typ: 'access' }, { subject: userId, jwtid: randomUUID(), expiresIn: this.accessTtl }),
      this.jwt.signAsync(
        { typ: 'refresh', fam: family },
        { subject: userId, jwtid: randomUUID(), expiresIn: this.refreshTtl },
      ),
    ]);
    return { access, refresh };
  }
}
