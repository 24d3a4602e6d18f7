import { registerAs } from '@nestjs/config';
import { readAppConfig } from './app.config.js';
import { ConfigError, readEnum, readInt, readOptional } from './env.js';
import { readSecret, readSecretList } from './secrets.js';

export const JWT_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export type AsymmetricAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;

export interface AuthConfig {
  /** What new tokens are signed with: a key pair from the key store, or JWT_SECRET for HS256. */
  jwtAlgorithm: JwtAlgorithm;
  /**
   * The HS256 secret: signs under HS256; under an asymmetric algorithm it only verifies the tokens it signed
   * before the switch, until they expire. Undefined when it is not needed and not given.
   */
  jwtSecret: string | undefined;
  /** Seals the private keys stored in PostgreSQL (AES-256-GCM); needed under an asymmetric algorithm. */
  keysSecret: string | undefined;
  /** `iss` of every token, and the issuer of the discovery document. */
  issuer: string;
  /** `aud` of every token, required of every token presented, when set. */
  audience: string | undefined;
  /** How often each instance reloads the key set (rotations and revocations made elsewhere). */
  keysPollSeconds: number;
  /** `Cache-Control: max-age` of the JWKS; also the least age of a staged key before it may sign. */
  jwksMaxAgeSeconds: number;
  /** Verified access tokens remembered (by the whole token, until they expire); 0 turns the cache off. */
  verifiedTokenCacheSize: number;
  /** Bearer secrets of POST /api/auth/introspect; none: introspection refuses everyone. */
  introspectionSecrets: string[];
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  verificationTokenTtlSeconds: number;
  /** How long a looked-up user may be served from the cache. */
  userCacheTtlSeconds: number;
  /** A refresh token presented again this soon after its rotation gets the same new pair (parallel tabs). */
  refreshGraceSeconds: number;
  /** No session (refresh-token family) is refreshed past this age. */
  sessionMaxAgeSeconds: number;
}

/** The longest life a token of this service can have: a retired key stays published this long. */
export const OPERATOR_TOKEN_MAX_TTL_SECONDS = 7 * 86_400;

export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const { nodeEnv, dataDir, publicUrl } = readAppConfig(env);
  const jwtAlgorithm = readEnum(env, 'JWT_ALGORITHM', JWT_ALGORITHMS, 'ES256');
  const symmetric = jwtAlgorithm === 'HS256';
  // Under an asymmetric algorithm JWT_SECRET is optional in production (it only verifies older tokens);
  // in development the generated one is kept, so switching logs nobody out there either.
  const jwtSecret =
    symmetric || nodeEnv !== 'production' || readOptional(env, 'JWT_SECRET') ? readSecret(env, 'JWT_SECRET', nodeEnv, dataDir) : undefined;
  const keysSecret = symmetric && !readOptional(env, 'JWT_KEYS_SECRET') ? undefined : readSecret(env, 'JWT_KEYS_SECRET', nodeEnv, dataDir);
  if (keysSecret !== undefined && keysSecret === jwtSecret) throw new ConfigError('JWT_KEYS_SECRET must differ from JWT_SECRET');
  const introspectionSecrets = readSecretList(env, 'INTROSPECTION_SECRET', nodeEnv);
  return {
    jwtAlgorithm,
    jwtSecret,
    keysSecret,
    issuer: readOptional(env, 'JWT_ISSUER') ?? publicUrl,
    audience: readOptional(env, 'JWT_AUDIENCE'),
    keysPollSeconds: readInt(env, 'JWT_KEYS_POLL_SECONDS', 2, { min: 1, max: 300 }),
    jwksMaxAgeSeconds: readInt(env, 'JWKS_MAX_AGE_SECONDS', 60, { min: 0, max: 86_400 }),
    verifiedTokenCacheSize: readInt(env, 'JWT_VERIFIED_CACHE_SIZE', 10_000, { min: 0, max: 1_000_000 }),
    introspectionSecrets,
    accessTtlSeconds: readInt(env, 'JWT_ACCESS_TTL_SECONDS', 3600, { min: 30, max: 86_400 }),
    refreshTtlSeconds: readInt(env, 'JWT_REFRESH_TTL_SECONDS', 14 * 86_400, { min: 60, max: 365 * 86_400 }),
    verificationTokenTtlSeconds: readInt(env, 'VERIFICATION_TOKEN_TTL_SECONDS', 600, { min: 30, max: 86_400 }),
    userCacheTtlSeconds: readInt(env, 'USER_CACHE_TTL_SECONDS', 60, { min: 0, max: 3600 }),
    refreshGraceSeconds: readInt(env, 'REFRESH_GRACE_SECONDS', 10, { min: 0, max: 300 }),
    sessionMaxAgeSeconds: readInt(env, 'SESSION_MAX_AGE_SECONDS', 30 * 86_400, { min: 1, max: 365 * 86_400 }),
  };
}

/** How long after a key stops signing a token it signed can still be live. */
export function longestTokenLifeSeconds(config: AuthConfig): number {
  return Math.max(config.accessTtlSeconds, config.refreshTtlSeconds, OPERATOR_TOKEN_MAX_TTL_SECONDS);
}

export const authConfig = registerAs('auth', () => readAuthConfig());
