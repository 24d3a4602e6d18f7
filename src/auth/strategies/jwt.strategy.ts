import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthenticatedUser } from '../../common/auth/current-user.decorator.js';
import { TokenVerifier } from '../../signing-keys/token-verifier.js';
import { UsersService } from '../../users/users.service.js';
import { SessionsService, type TokenClaims } from '../sessions.service.js';

type Verifier = (token: string, key: unknown, options: unknown, done: (error: Error | null, payload?: object) => void) => void;

/**
 * What passport reports for a bearer token the verifier refused: a bad signature or header, expired, another
 * issuer or audience, no `sub`, `jti` or `typ`, or not an access token (a refresh token). The guard answers
 * it "not valid"; "revoked" is kept for valid tokens that a logout, logout-all or deactivation ended.
 */
export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';
}

// passport-jwt verifies through its static `JwtVerifier` (jsonwebtoken by default), which knows neither kids
// nor EdDSA: the "key" each strategy hands it below is its TokenVerifier, which picks the key by kid.
// A token verified before answers without waiting; a new one is verified off the event loop.
(Strategy as unknown as { JwtVerifier: Verifier }).JwtVerifier = (token, key, _options, done) => {
  const verifier = key as TokenVerifier;
  const answer = (claims: object | false | undefined) => (claims ? done(null, claims) : done(new InvalidAccessTokenError('invalid token')));
  const cached = verifier.cached(token, 'access');
  if (cached !== undefined) return answer(cached);
  verifier.verify(token, 'access').then(answer, (error: Error) => done(error));
};

/** Verifies bearer access tokens with the key ring (any live key, by kid), then checks revocation. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    verifier: TokenVerifier,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // Typed for a string or Buffer key; JwtVerifier above is the only reader of what it hands over.
      secretOrKeyProvider: (_request, _token, done) => done(null, verifier as unknown as Buffer),
    });
  }

  /**
   * Is the token deny-listed (logout) or older than its user's cut-off (logout-all), and is its user still
   * active? Both reads are issued together, so node-redis sends them in one write: one round trip, and no
   * PostgreSQL query while the user is cached.
   */
  async validate(claims: TokenClaims): Promise<AuthenticatedUser | false> {
    const [revoked, profile] = await Promise.all([this.sessions.isRevoked(claims), this.users.getProfile(claims.sub)]);
    if (revoked || !profile?.is_active) return false;
    return { id: claims.sub, jti: claims.jti, exp: claims.exp, profile };
  }
}
