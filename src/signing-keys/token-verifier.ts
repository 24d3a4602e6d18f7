import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OPERATOR_TOKEN_MAX_TTL_SECONDS, type AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import { parseSegment, verifyJws } from './jws.js';
import { KeyRing } from './key-ring.js';
import { TOKEN_HEADER_TYPE, type TokenClaims, type TokenType } from './token-claims.js';

/** Header members this service never sets; a token that carries one was not made here (RFC 7515 `crit`, `b64`). */
const FOREIGN_HEADER_MEMBERS = ['crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c'];
const KID = /^[A-Za-z0-9_-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLOCK_SKEW_MS = 60_000;
/** The `fam` of the command line's operator tokens (no session; up to OPERATOR_TOKEN_MAX_TTL_SECONDS). */
export const OPERATOR_FAMILY = 'operator';

/**
 * Verifies this service's tokens: the key is chosen by `kid` from the key ring and must be of the header's
 * algorithm (so no HS256 token keyed with a public key, no `none`), the signature is checked before the
 * payload is read, then issuer, audience, lifetime, and the header type against the claimed kind.
 *
 * Verified access tokens are remembered by the whole token until they expire (at most
 * JWT_VERIFIED_CACHE_SIZE of them; a key revocation empties it): an ES256 signature check costs ~25x an
 * HMAC, and a client presents the same access token for up to an hour. Revocation of sessions is checked by
 * the caller on every request, cache or not.
 */
@Injectable()
export class TokenVerifier {
  private readonly config: AuthConfig;
  private readonly verified = new Map<string, TokenClaims>();
  /** Counts key revocations: a check that began before one must not put its token in the emptied cache. */
  private generation = 0;

  constructor(
    private readonly ring: KeyRing,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
    ring.onRevocation(() => {
      this.generation++;
      this.verified.clear();
    });
  }

  /** The claims of a valid token of the given kind, or undefined. */
  async verify(token: string, kind: TokenType, nowMs = Date.now()): Promise<TokenClaims | undefined> {
    const cached = this.cached(token, kind, nowMs);
    if (cached !== undefined) return cached || undefined;
    const generation = this.generation;
    const claims = await this.check(token, kind, nowMs);
    if (claims && generation !== this.generation) return this.verify(token, kind, nowMs);
    if (claims && kind === 'access' && this.config.verifiedTokenCacheSize > 0) this.remember(token, claims);
    return claims;
  }

  /**
   * Without waiting: the claims of a token verified before, `false` for a remembered token that is no longer
   * valid as `kind`, undefined when the token must be verified (`verify`).
   */
  cached(token: string, kind: TokenType, nowMs = Date.now()): TokenClaims | false | undefined {
    const cached = this.verified.get(token);
    if (!cached) return undefined;
    if (cached.exp * 1000 <= nowMs) {
      this.verified.delete(token);
      return false;
    }
    return cached.typ === kind && cached;
  }

  private async check(token: string, kind: TokenType, nowMs: number): Promise<TokenClaims | undefined> {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    if (first < 1 || second < first + 2 || second === token.length - 1 || token.indexOf('.', second + 1) !== -1) return undefined;
    const header = parseSegment(token.slice(0, first));
    if (!header || typeof header.alg !== 'string' || FOREIGN_HEADER_MEMBERS.some((member) => member in header)) return undefined;
    const kid = header.kid;
    if (kid !== undefined && (typeof kid !== 'string' || !KID.test(kid))) return undefined;
    const key = this.ring.verificationKey(kid);
    if (!key || key.algorithm !== header.alg) return undefined;
    if (!(await verifyJws(key.algorithm, key.key, token.slice(0, second), token.slice(second + 1)))) return undefined;
    const claims = parseSegment(token.slice(first + 1, second)) as Partial<TokenClaims> | undefined;
    if (!claims || !this.claimsHold(claims, kind, nowMs)) return undefined;
    // Tokens from before kids (HS256 only) had no issuer, no header type and no `iatms`; every other one has them.
    const legacy = kid === undefined;
    if (!legacy && (header.typ !== TOKEN_HEADER_TYPE[kind] || claims.iss !== this.config.issuer)) return undefined;
    if (legacy && claims.iss !== undefined && claims.iss !== this.config.issuer) return undefined;
    // `iatms` is what revocation cut-offs compare: it must say the same second as `iat`.
    if (claims.iatms === undefined && legacy) claims.iatms = claims.iat! * 1000;
    if (typeof claims.iatms !== 'number' || Math.floor(claims.iatms / 1000) !== claims.iat) return undefined;
    if (key.signedUntilMs !== undefined && claims.iat * 1000 > key.signedUntilMs) return undefined;
    return claims as TokenClaims;
  }

  /** Kind, subject, lifetime and audience: what every token must say, whatever signed it. */
  private claimsHold(claims: Partial<TokenClaims>, kind: TokenType, nowMs: number): boolean {
    if (claims.typ !== kind || typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return false;
    if (typeof claims.jti !== 'string' || typeof claims.fam !== 'string') return false;
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || nowMs >= claims.exp * 1000) return false;
    // Issued in the future (beyond clock skew between instances), or living longer than this service makes
    // that kind of token live: not made here, or backdated by a holder of an old HS256 secret.
    if (claims.iat * 1000 > nowMs + CLOCK_SKEW_MS || claims.exp - claims.iat > this.longestLife(kind, claims.fam)) return false;
    const nbf = (claims as { nbf?: unknown }).nbf;
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 > nowMs)) return false;
    return this.config.audience === undefined || audienceIncludes(claims.aud, this.config.audience);
  }

  private longestLife(kind: TokenType, family: string): number {
    if (kind === 'refresh') return this.config.refreshTtlSeconds;
    return family === OPERATOR_FAMILY ? OPERATOR_TOKEN_MAX_TTL_SECONDS : this.config.accessTtlSeconds;
  }

  private remember(token: string, claims: TokenClaims): void {
    if (this.verified.size >= this.config.verifiedTokenCacheSize) {
      // The oldest entry goes: a Map iterates in insertion order.
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, claims);
  }
}

function audienceIncludes(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}
