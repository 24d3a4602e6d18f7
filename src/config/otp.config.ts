import { registerAs } from '@nestjs/config';
import { readAppConfig } from './app.config.js';
import { configProblem, readBool, readInt } from './env.js';
import { readSecret } from './secrets.js';

export interface OtpConfig {
  length: number;
  ttlSeconds: number;
  maxAttempts: number;
  resendCooldownSeconds: number;
  /** Key of the HMAC that turns a code into what is stored. */
  hmacSecret: string;
  /** Adds the code to the request response. Development only. */
  debugEcho: boolean;
}

export function readOtpConfig(env: NodeJS.ProcessEnv = process.env): OtpConfig {
  const { nodeEnv, dataDir } = readAppConfig(env);
  const debugEcho = readBool(env, 'OTP_DEBUG_ECHO', false);
  if (debugEcho && nodeEnv === 'production') {
    configProblem('OTP_DEBUG_ECHO must not be enabled when NODE_ENV=production');
  }
  return {
    length: readInt(env, 'OTP_LENGTH', 6, { min: 4, max: 10 }),
    ttlSeconds: readInt(env, 'OTP_TTL_SECONDS', 120, { min: 2, max: 3600 }),
    maxAttempts: readInt(env, 'OTP_MAX_ATTEMPTS', 5, { min: 1, max: 20 }),
    resendCooldownSeconds: readInt(env, 'OTP_RESEND_COOLDOWN_SECONDS', 60, { min: 0, max: 3600 }),
    hmacSecret: readSecret(env, 'OTP_HMAC_SECRET', nodeEnv, dataDir),
    debugEcho,
  };
}

export const otpConfig = registerAs('otp', () => readOtpConfig());
