import { registerAs } from '@nestjs/config';
import { readAppConfig } from './app.config.js';
import { readInt } from './env.js';
import { readSecret } from './secrets.js';

export interface AuthConfig {
  jwtSecret: string;
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

export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const { nodeEnv, dataDir } = readAppConfig(env);
  return {
    jwtSecret: readSecret(env, 'JWT_SECRET', nodeEnv, dataDir),
    accessTtlSeconds: readInt(env, 'JWT_ACCESS_TTL_SECONDS', 3600, { min: 30, max: 86_400 }),
    refreshTtlSeconds: readInt(env, 'JWT_REFRESH_TTL_SECONDS', 14 * 86_400, { min: 60, max: 365 * 86_400 }),
    verificationTokenTtlSeconds: readInt(env, 'VERIFICATION_TOKEN_TTL_SECONDS', 600, { min: 30, max: 86_400 }),
    userCacheTtlSeconds: readInt(env, 'USER_CACHE_TTL_SECONDS', 60, { min: 0, max: 3600 }),
    refreshGraceSeconds: readInt(env, 'REFRESH_GRACE_SECONDS', 10, { min: 0, max: 300 }),
    sessionMaxAgeSeconds: readInt(env, 'SESSION_MAX_AGE_SECONDS', 30 * 86_400, { min: 1, max: 365 * 86_400 }),
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
