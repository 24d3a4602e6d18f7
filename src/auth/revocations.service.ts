import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { OPERATOR_TOKEN_MAX_TTL_SECONDS } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import type { TokenClaims } from '../signing-keys/token-claims.js';
import { RevocationRepository } from './revocation.repository.js';
import { SessionStore, type UserRevocations } from './session.store.js';

export type RevocationClaims = Pick<TokenClaims, 'jti' | 'sub' | 'iat' | 'iatms' | 'fam'>;

/**
 * Ended access tokens, in two places: the session store (Redis) answers the check of every request, and
 * PostgreSQL keeps them durably. Each revocation is written to both before it is answered. When the store has
 * no record of a user (Redis lost its data, or the record expired), the check reads PostgreSQL once and
 * caches the answer for USER_CACHE_TTL_SECONDS, so losing Redis can sign people out but never sign an ended
 * token back in, and a request costs no PostgreSQL query while the record is cached.
 */
@Injectable()
export class RevocationsService {
  private readonly accessTtlMs: number;
  private readonly recordTtlMs: number;
  /** A cut-off outlives every access token: operator tokens (`token:issue`) live up to 7 days. */
  private readonly cutoffLifeMs: number;
  /** One PostgreSQL read per user at a time in this process, however many requests missed together. */
  private readonly loads = new Map<string, Promise<UserRevocations>>();

  constructor(
    private readonly store: SessionStore,
    private readonly repository: RevocationRepository,
    config: ConfigService<Configuration, true>,
  ) {
    const auth = config.getOrThrow('auth', { infer: true });
    this.accessTtlMs = auth.accessTtlSeconds * 1000;
    this.recordTtlMs = auth.userCacheTtlSeconds * 1000;
    this.cutoffLifeMs = Math.max(auth.accessTtlSeconds, OPERATOR_TOKEN_MAX_TTL_SECONDS) * 1000;
  }

  /** Logout: the session, and the access token the logout was made with (which may be of another session). */
  async endSession(userId: string, familyId: string, access: { jti: string; expiresAtMs: number }): Promise<void> {
    const now = Date.now();
    await this.store.revokeFamily(familyId, this.accessTtlMs);
    await this.store.denyAccess(access.jti, access.expiresAtMs - now);
    await this.repository.record(userId, [
      { kind: 'session', tokenId: familyId, revokedAt: new Date(now), expiresAt: new Date(now + this.accessTtlMs) },
      { kind: 'access', tokenId: access.jti, revokedAt: new Date(now), expiresAt: new Date(Math.max(access.expiresAtMs, now)) },
    ]);
  }

  /** A reused refresh token: the store revoked the family as it detected the reuse; this makes it durable. */
  async recordReuse(userId: string, familyId: string): Promise<void> {
    const now = Date.now();
    await this.repository.record(userId, [{ kind: 'session', tokenId: familyId, revokedAt: new Date(now), expiresAt: new Date(now + this.accessTtlMs) }]);
  }

  /** Logout-all, an admin's revoke, deactivation: every session, and every access token issued until now. */
  async endAll(userId: string): Promise<void> {
    const cutoffMs = await this.store.revokeUser(userId, this.cutoffLifeMs);
    await this.repository.record(userId, [{ kind: 'user', revokedAt: new Date(cutoffMs), expiresAt: new Date(cutoffMs + this.cutoffLifeMs) }]);
  }

  async isRevoked(claims: RevocationClaims): Promise<boolean> {
    const issuedAtMs = claims.iatms ?? claims.iat * 1000;
    const cached = await this.store.isAccessRevoked(claims.jti, claims.sub, issuedAtMs, String(claims.fam));
    if (cached !== undefined) return cached;
    const known = await this.load(claims.sub);
    return (
      (known.cutoffMs !== undefined && issuedAtMs < known.cutoffMs) ||
      known.sessions.some((session) => session.id === claims.fam) ||
      known.accessTokens.some((token) => token.id === claims.jti)
    );
  }

  private load(userId: string): Promise<UserRevocations> {
    let pending = this.loads.get(userId);
    if (!pending) {
      pending = this.read(userId).finally(() => this.loads.delete(userId));
      this.loads.set(userId, pending);
    }
    return pending;
  }

  /** Reads PostgreSQL and re-caches the answer, unless the cache is off (USER_CACHE_TTL_SECONDS=0). */
  private async read(userId: string): Promise<UserRevocations> {
    if (this.recordTtlMs === 0) return this.repository.load(userId);
    const nonce = randomUUID();
    await this.store.beginLoad(userId, nonce, this.recordTtlMs);
    const revocations = await this.repository.load(userId);
    await this.store.completeLoad(userId, nonce, revocations, this.recordTtlMs);
    return revocations;
  }
}
