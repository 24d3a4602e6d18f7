import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { AuditService } from '../audit/audit.service.js';
import { UnauthenticatedError } from '../common/errors/domain-error.js';
import type { AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import type { TokenClaims, TokenType } from '../signing-keys/token-claims.js';
import { TokenSigner } from '../signing-keys/token-signer.js';
import { OPERATOR_FAMILY, TokenVerifier } from '../signing-keys/token-verifier.js';
import { UsersService } from '../users/users.service.js';
import { RevocationsService, type RevocationClaims } from './revocations.service.js';
import { SessionStore, type IssuedPair } from './session.store.js';

export type { TokenClaims, TokenType } from '../signing-keys/token-claims.js';

export interface TokenPair {
  access: string;
  refresh: string;
}

/** Who a pair is issued to: access tokens carry the roles, for the services that verify them. */
export interface TokenSubject {
  id: string;
  roles: readonly string[];
}

/**
 * Sessions: JWT pairs, refresh rotation with reuse detection and a grace window for parallel refreshes,
 * logout of one session or all, and the access-token revocation check of the guard.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly config: AuthConfig;

  constructor(
    private readonly signer: TokenSigner,
    private readonly verifier: TokenVerifier,
    private readonly store: SessionStore,
    private readonly revocations: RevocationsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
  }

  /** A new session (family) for a user who just proved an identifier. */
  async start(user: TokenSubject): Promise<TokenPair> {
    const familyId = randomUUID();
    const pair = newPair();
    const tokens = await this.sign(user, familyId, pair);
    await this.store.create({
      familyId,
      userId: user.id,
      refreshHash: payloadHash(tokens.refresh),
      pair,
      absoluteExpiresAtMs: Date.now() + this.config.sessionMaxAgeSeconds * 1000,
      idleTtlMs: this.config.refreshTtlSeconds * 1000,
    });
    return tokens;
  }

  /** Rotates a refresh token. Reuse of a spent one revokes its whole family. Access tokens carry today's roles. */
  async refresh(refreshToken: string, ip?: string): Promise<TokenPair> {
    const claims = await this.verify(refreshToken, 'refresh');
    const next = newPair();
    // The session store is asked while the new refresh token's signature is being made.
    const nextRefresh = this.draftRefresh(claims.sub, claims.fam, next);
    const [outcome, profile, signedRefresh] = await Promise.all([
      this.store.rotate({
        familyId: claims.fam,
        presentedHash: payloadHash(refreshToken),
        presentedLegacyHash: wholeTokenHash(refreshToken),
        nextHash: hashOf(payloadOf(nextRefresh.signingInput)),
        next,
        graceMs: this.config.refreshGraceSeconds * 1000,
        idleTtlMs: this.config.refreshTtlSeconds * 1000,
        accessTtlMs: this.config.accessTtlSeconds * 1000,
      }),
      this.users.getProfile(claims.sub),
      nextRefresh.sign(),
    ]);
    const user = { id: claims.sub, roles: profile?.roles ?? [] };
    switch (outcome.status) {
      case 'rotated':
        return { access: await this.signAccess(user, claims.fam, next), refresh: signedRefresh };
      case 'grace':
        return this.sign(user, claims.fam, outcome.pair);
      case 'reuse':
        this.logger.warn(JSON.stringify({ event: 'refresh_reuse_detected', user: outcome.userId, session: claims.fam }));
        await this.revocations.recordReuse(outcome.userId, claims.fam);
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
    await this.revocations.endSession(current.id, claims.fam, { jti: current.jti, expiresAtMs: current.exp * 1000 });
  }

  /**
   * An access token outside any session, for an operator (the command line's `token:issue`). It dies with
   * logout-all, deactivation and its own expiry.
   */
  issueAccessToken(user: TokenSubject, ttlSeconds: number): Promise<string> {
    const issuedAtMs = Date.now();
    const iat = Math.floor(issuedAtMs / 1000);
    return this.signer.sign('access', { sub: user.id, iat, exp: iat + ttlSeconds, jti: randomUUID(), fam: OPERATOR_FAMILY, iatms: issuedAtMs, roles: [...user.roles] });
  }

  /** Ends every session of the user and kills every access token issued so far. */
  revokeAll(userId: string): Promise<void> {
    return this.revocations.endAll(userId);
  }

  /** Whether the access token was ended (by the session store, or by PostgreSQL when the store lost its record). */
  isRevoked(claims: RevocationClaims): Promise<boolean> {
    return this.revocations.isRevoked(claims);
  }

  private async verify(token: string, type: TokenType): Promise<TokenClaims> {
    const claims = await this.verifier.verify(token, type);
    if (!claims) throw new UnauthenticatedError(`The ${type} token is not valid or has expired`);
    return claims;
  }

  private async sign(user: TokenSubject, familyId: string, pair: IssuedPair): Promise<TokenPair> {
    const [access, refresh] = await Promise.all([this.signAccess(user, familyId, pair), this.draftRefresh(user.id, familyId, pair).sign()]);
    return { access, refresh };
  }

  /** The same pair claims always give the same header and payload (fixed iat), whatever the signature. */
  private signAccess(user: TokenSubject, familyId: string, pair: IssuedPair): Promise<string> {
    const iat = Math.floor(pair.issuedAtMs / 1000);
    return this.signer.sign('access', {
      sub: user.id,
      iat,
      exp: iat + this.config.accessTtlSeconds,
      jti: pair.accessJti,
      fam: familyId,
      iatms: pair.issuedAtMs,
      roles: [...user.roles],
    });
  }

  private draftRefresh(userId: string, familyId: string, pair: IssuedPair) {
    const iat = Math.floor(pair.issuedAtMs / 1000);
    return this.signer.draft('refresh', { sub: userId, iat, exp: iat + this.config.refreshTtlSeconds, jti: pair.refreshJti, fam: familyId, iatms: pair.issuedAtMs });
  }
}

function newPair(): IssuedPair {
  return { refreshJti: randomUUID(), accessJti: randomUUID(), issuedAtMs: Date.now() };
}

/**
 * A refresh token's identity in the session store: the hash of its payload (claims, with a unique `jti`),
 * checked only after its signature. A pair re-signed for the grace window keeps its payload, while its
 * signature (ECDSA signatures are randomized) and, after a rotation, its header's kid may differ.
 */
function payloadHash(token: string): string {
  return hashOf(payloadOf(token));
}

function payloadOf(token: string): string {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  return token.slice(first + 1, second === -1 ? undefined : second);
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

const wholeTokenHash = hashOf;
