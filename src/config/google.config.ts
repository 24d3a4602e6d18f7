import { registerAs } from '@nestjs/config';
import { configProblem, readInt, readOptional, readUrl } from './env.js';

export interface GoogleConfig {
  /** Sign-in with Google is on only when the client id, secret and callback URL are all set. */
  enabled: boolean;
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  authorizationUrl: string;
  tokenUrl: string;
  userInfoUrl: string;
  /** Front-end URLs the flow may end on (with a one-time code); the first is the default. Empty: JSON. */
  frontendUrls: string[];
  stateTtlSeconds: number;
  exchangeCodeTtlSeconds: number;
}

export function readGoogleConfig(env: NodeJS.ProcessEnv = process.env): GoogleConfig {
  const clientId = readOptional(env, 'GOOGLE_CLIENT_ID') ?? '';
  const clientSecret = readOptional(env, 'GOOGLE_CLIENT_SECRET') ?? '';
  const callbackUrl = readUrl(env, 'GOOGLE_CALLBACK_URL', ['http:', 'https:']) ?? '';
  const given = [clientId, clientSecret, callbackUrl].filter(Boolean).length;
  if (given > 0 && given < 3) {
    configProblem('GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and GOOGLE_CALLBACK_URL go together: set all three or none');
  }
  const frontendUrls = (readOptional(env, 'GOOGLE_FRONTEND_URLS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of frontendUrls) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) configProblem(`GOOGLE_FRONTEND_URLS: "${url}" is not an http(s) URL`);
  }
  return {
    enabled: given === 3,
    clientId,
    clientSecret,
    callbackUrl,
    authorizationUrl: readUrl(env, 'GOOGLE_AUTHORIZATION_URL', ['http:', 'https:']) ?? 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: readUrl(env, 'GOOGLE_TOKEN_URL', ['http:', 'https:']) ?? 'https://oauth2.googleapis.com/token',
    userInfoUrl: readUrl(env, 'GOOGLE_USERINFO_URL', ['http:', 'https:']) ?? 'https://openidconnect.googleapis.com/v1/userinfo',
    frontendUrls,
    stateTtlSeconds: readInt(env, 'GOOGLE_STATE_TTL_SECONDS', 600, { min: 30, max: 3600 }),
    exchangeCodeTtlSeconds: readInt(env, 'GOOGLE_EXCHANGE_CODE_TTL_SECONDS', 60, { min: 5, max: 600 }),
  };
}

export const googleConfig = registerAs('google', () => readGoogleConfig());
