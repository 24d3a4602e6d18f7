import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { longestTokenLifeSeconds, type AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import { parseSegment, verifyJws } from './jws.js';
import { KeyRing } from './key-ring.js';
import { TOKEN_HEADER_TYPE, type TokenClaims, type TokenType } from './token-claims.js';

/** Header members this service never sets; a token that carries one was not made here (RFC 7515 `crit`, `b64`). */
const FOREIGN_HEADER_MEMBERS = ['crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c'];
const KID = /^[A-Za-z0-9_-]{1,64}$/;

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
  private readonly longestLifeSeconds: number;
  private readonly verified = new Map<string, TokenClaims>();
  /** Counts key revocations: a check that began before one must not put its token in the emptied cache. */
  private generation = 0;

  constructor(
    private readonly ring: KeyRing,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
    this.longestLifeSeconds = longestTokenLifeSeconds(this.config);
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
    if (!claims || claims.typ !== kind) return undefined;
    if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || typeof claims.fam !== 'string') return undefined;
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || nowMs >= claims.exp * 1000) return undefined;
    // No token of this service lives longer: a longer one was not made here (or was backdated by a holder of
    // an old HS256 secret, whose tokens verify only if issued before the switch).
    if (claims.exp - claims.iat > this.longestLifeSeconds) return undefined;
    const nbf = (claims as { nbf?: unknown }).nbf;
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 > nowMs)) return undefined;
    // Tokens from before kids (HS256 only) had no issuer and no header type; every other one has both.
    const legacy = kid === undefined;
    if (!legacy && (header.typ !== TOKEN_HEADER_TYPE[kind] || claims.iss !== this.config.issuer)) return undefined;
    if (legacy && claims.iss !== undefined && claims.iss !== this.config.issuer) return undefined;
    if (this.config.audience !== undefined && !audienceIncludes(claims.aud, this.config.audience)) return undefined;
    if (key.signedUntilMs !== undefined && claims.iat * 1000 > key.signedUntilMs) return undefined;
    claims.iatms ??= claims.iat * 1000;
    return claims as TokenClaims;
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
