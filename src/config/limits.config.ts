import { registerAs } from '@nestjs/config';
import { readInt } from './env.js';

/** Abuse limits. Every one answers 429 RATE_LIMITED with Retry-After; all are shared through Redis. */
export interface LimitsConfig {
  /** Codes per identifier and purpose, on top of the resend cooldown. */
  identifier: {
    perHour: number;
    perDay: number;
    /** Codes killed by wrong attempts within `lockoutWindowSeconds` that lock the identifier... */
    lockoutAfterKilledCodes: number;
    lockoutWindowSeconds: number;
    /** ...for this long, for that purpose. */
    lockoutSeconds: number;
  };
  /** Per client address (an IPv6 address counts as its prefix of `ipv6PrefixLength` bits). */
  ip: {
    windowSeconds: number;
    otpRequests: number;
    otpVerifies: number;
    ipv6PrefixLength: number;
  };
  /** Username changes per user: each tells whether a username is taken, so they are counted (0 turns it off). */
  usernameChanges: {
    limit: number;
    windowSeconds: number;
  };
  /** SMS-pumping defences, across every instance. 0 turns a limit off. */
  sms: {
    /** SMS codes per UTC day for the whole service. */
    dailyCap: number;
    /** SMS codes per destination prefix (the first `prefixDigits` digits of the E.164 number) per window. */
    prefixDigits: number;
    prefixLimit: number;
    prefixWindowSeconds: number;
  };
}

export function readLimitsConfig(env: NodeJS.ProcessEnv = process.env): LimitsConfig {
  const big = 1_000_000_000;
  return {
    identifier: {
      perHour: readInt(env, 'OTP_HOURLY_LIMIT', 5, { min: 1, max: big }),
      perDay: readInt(env, 'OTP_DAILY_LIMIT', 10, { min: 1, max: big }),
      lockoutAfterKilledCodes: readInt(env, 'OTP_LOCKOUT_KILLED_CODES', 3, { min: 1, max: 1000 }),
      lockoutWindowSeconds: readInt(env, 'OTP_LOCKOUT_WINDOW_SECONDS', 3600, { min: 1, max: 7 * 86_400 }),
      lockoutSeconds: readInt(env, 'OTP_LOCKOUT_SECONDS', 900, { min: 1, max: 7 * 86_400 }),
    },
    ip: {
      windowSeconds: readInt(env, 'IP_LIMIT_WINDOW_SECONDS', 600, { min: 1, max: 86_400 }),
      otpRequests: readInt(env, 'IP_LIMIT_OTP_REQUESTS', 20, { min: 1, max: big }),
      otpVerifies: readInt(env, 'IP_LIMIT_OTP_VERIFIES', 60, { min: 1, max: big }),
      ipv6PrefixLength: readInt(env, 'IP_LIMIT_IPV6_PREFIX', 64, { min: 16, max: 128 }),
    },
    usernameChanges: {
      limit: readInt(env, 'USERNAME_CHANGE_LIMIT', 10, { min: 0, max: big }),
      windowSeconds: readInt(env, 'USERNAME_CHANGE_WINDOW_SECONDS', 3600, { min: 1, max: 7 * 86_400 }),
    },
    sms: {
      dailyCap: readInt(env, 'SMS_DAILY_CAP', 10_000, { min: 0, max: big }),
      prefixDigits: readInt(env, 'SMS_PREFIX_DIGITS', 6, { min: 1, max: 15 }),
      prefixLimit: readInt(env, 'SMS_PREFIX_LIMIT', 50, { min: 0, max: big }),
      prefixWindowSeconds: readInt(env, 'SMS_PREFIX_WINDOW_SECONDS', 600, { min: 1, max: 86_400 }),
    },
  };
}

export const limitsConfig = registerAs('limits', () => readLimitsConfig());
