import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { createHash, createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import type { AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import { UnauthenticatedError } from '../common/errors/domain-error.js';
import type { AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import { SessionStore, type IssuedPair } from './session.store.js';
import { signHs256 } from './strategies/hs256.js';

export interface TokenPair {
  access: string;
  refresh: string;
}

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  sub: string;
  jti: string;
  typ: TokenType;
  /** The session (refresh-token family) the token belongs to. */
  fam: string;
  iat: number;
  /** Issue time in ms: revocation cut-offs are compared at this precision. */
  iatms: number;
  exp: number;
}

/**
 * Sessions: JWT pairs, refresh rotation with reuse detection and a grace window for parallel refreshes,
 * logout of one session or all, and the access-token revocation check of the guard.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly config: AuthConfig;
  /** The signing key, made once (the same secret JwtModule verifies refresh tokens with). */
  private readonly key: KeyObject;

  constructor(
    private readonly jwt: JwtService,
    private readonly store: SessionStore,
    private readonly audit: AuditService,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
    this.key = createSecretKey(Buffer.from(this.config.jwtSecret, 'utf8'));
  }

  /** A new session (family) for a user who just proved an identifier. */
  async start(userId: string): Promise<TokenPair> {
    const familyId = randomUUID();
    const pair = newPair();
    const tokens = this.sign(userId, familyId, pair);
    await this.store.create({
      familyId,
      userId,
      refreshHash: hash(tokens.refresh),
      pair,
      absoluteExpiresAtMs: Date.now() + this.config.sessionMaxAgeSeconds * 1000,
      idleTtlMs: this.config.refreshTtlSeconds * 1000,
    });
    return tokens;
  }

  /** Rotates a refresh token. Reuse of a spent one revokes its whole family. */
  async refresh(refreshToken: string, ip?: string): Promise<TokenPair> {
    const claims = await this.verify(refreshToken, 'refresh');
    const next = newPair();
    const nextTokens = this.sign(claims.sub, claims.fam, next);
    const outcome = await this.store.rotate({
      familyId: claims.fam,
      presentedHash: hash(refreshToken),
      nextHash: hash(nextTokens.refresh),
      next,
      graceMs: this.config.refreshGraceSeconds * 1000,
      idleTtlMs: this.config.refreshTtlSeconds * 1000,
      accessTtlMs: this.config.accessTtlSeconds * 1000,
    });
    switch (outcome.status) {
      case 'rotated':
        return nextTokens;
      case 'grace':
        return this.sign(outcome.userId, claims.fam, outcome.pair);
      case 'reuse':
        this.logger.warn(JSON.stringify({ event: 'refresh_reuse_detected', user: outcome.userId, session: claims.fam }));
        await this.audit.record({
          type: 'refresh_reuse_detected',
          actorId: null,
          subjectId: outcome.userId,
          ip,
          details: { session: claims.fam },
        });
        throw new UnauthenticatedError('This refresh token was already used; the session and its access tokens have been revoked');
      case 'expired':
        throw new UnauthenticatedError('The session reached its maximum age; sign in again');
      case 'unknown':
        throw new UnauthenticatedError('The session has ended; sign in again');
    }
  }

  /** Ends the session of `refreshToken` and kills the access token in use. */
  async logout(current: AuthenticatedUser, refreshToken: string): Promise<void> {
    const claims = await this.verify(refreshToken, 'refresh');
    if (claims.sub !== current.id) throw new UnauthenticatedError('The refresh token belongs to another user');
    await this.store.revokeFamily(claims.fam, this.config.accessTtlSeconds * 1000);
    await this.store.denyAccess(current.jti, current.exp * 1000 - Date.now());
  }

  /**
   * An access token outside any session, for an operator (the command line's `token:issue`). It dies with
   * logout-all, deactivation and its own expiry.
   */
  async issueAccessToken(userId: string, ttlSeconds: number): Promise<string> {
    const issuedAtMs = Date.now();
    return this.jwt.signAsync(
      { typ: 'access', fam: 'operator', iat: Math.floor(issuedAtMs / 1000), iatms: issuedAtMs },
      { subject: userId, jwtid: randomUUID(), expiresIn: ttlSeconds },
    );
  }

  /** Ends every session of the user and kills every access token issued so far. */
  async revokeAll(userId: string): Promise<void> {
    await this.store.revokeUser(userId, this.config.accessTtlSeconds * 1000);
  }

  isRevoked(claims: Pick<TokenClaims, 'jti' | 'sub' | 'iat' | 'iatms' | 'fam'>): Promise<boolean> {
    return this.store.isAccessRevoked(claims.jti, claims.sub, claims.iatms ?? claims.iat * 1000, String(claims.fam));
  }

  private async verify(token: string, type: TokenType): Promise<TokenClaims> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw new UnauthenticatedError(`The ${type} token is not valid or has expired`);
    }
    if (claims.typ !== type || typeof claims.fam !== 'string' || typeof claims.sub !== 'string') {
      throw new UnauthenticatedError(`A ${type} token is required here`);
    }
    return claims;
  }

  /** Deterministic: the same pair claims always sign to the same tokens (HS256, fixed iat). */
  private sign(userId: string, familyId: string, pair: IssuedPair): TokenPair {
    const iat = Math.floor(pair.issuedAtMs / 1000);
    const claims = (typ: TokenType, ttlSeconds: number, jti: string) =>
      ({ typ, fam: familyId, iat, iatms: pair.issuedAtMs, exp: iat + ttlSeconds, sub: userId, jti });
    return {
      access: signHs256(claims('access', this.config.accessTtlSeconds, pair.accessJti), this.key),
      refresh: signHs256(claims('refresh', this.config.refreshTtlSeconds, pair.refreshJti), this.key),
    };
  }
}

function newPair(): IssuedPair {
  return { refreshJti: randomUUID(), accessJti: randomUUID(), issuedAtMs: Date.now() };
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
