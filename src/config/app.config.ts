import { registerAs } from '@nestjs/config';
import { isSupportedCountry } from 'libphonenumber-js';
import { configProblem, readEnum, readInt, readOptional, readString, readUrl } from './env.js';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  productName: string;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Region used to read phone numbers written without a country code. */
  phoneDefaultRegion: string;
  /** How long a request may wait on PostgreSQL or Redis before it answers 503. */
  dependencyTimeoutMs: number;
  /** Where the embedded defaults keep their files. */
  dataDir: string;
  /** The least severe level logged (each level includes the ones before it in LOG_LEVELS). */
  logLevel: LogLevel;
  /**
   * Which peers are proxies whose X-Forwarded-For and X-Request-Id are believed: false (none), true (any:
   * only behind a proxy that strips them), or addresses/CIDRs. Anyone else's headers change nothing.
   */
  trustProxy: boolean | string[];
  /** Browser origins allowed to call the API (CORS); none when empty. */
  corsOrigins: string[];
  /** How long a request may take before the server answers 408 and closes it. */
  requestTimeoutMs: number;
  /** Requests worked on at once; past it the next get 503 at once (0: no limit). */
  maxRequestsInFlight: number;
  /** Where clients reach this service (no trailing slash): the default token issuer, the JWKS address. */
  publicUrl: string;
}

export function readAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const phoneDefaultRegion = readString(env, 'PHONE_DEFAULT_REGION', 'BD').toUpperCase();
  if (!isSupportedCountry(phoneDefaultRegion)) {
    configProblem(`PHONE_DEFAULT_REGION "${phoneDefaultRegion}" is not a known region code`);
  }
  const nodeEnv = readEnum(env, 'NODE_ENV', NODE_ENVS, 'development');
  const port = readInt(env, 'PORT', 3000, { min: 0, max: 65535 });
  return {
    nodeEnv,
    // Development listens on loopback only; production (containers) on every interface.
    host: readString(env, 'HOST', nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port,
    productName: readString(env, 'PRODUCT_NAME', 'otpgate'),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 16 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    phoneDefaultRegion,
    dependencyTimeoutMs: readInt(env, 'DEPENDENCY_TIMEOUT_MS', 1000, { min: 50, max: 30_000 }),
    dataDir: readOptional(env, 'DATA_DIR') ?? '.data',
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
    trustProxy: readTrustProxy(readOptional(env, 'TRUST_PROXY')),
    corsOrigins: (readOptional(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    requestTimeoutMs: readInt(env, 'REQUEST_TIMEOUT_MS', 10_000, { min: 1000, max: 120_000 }),
    maxRequestsInFlight: readInt(env, 'MAX_REQUESTS_IN_FLIGHT', 2000, { min: 0, max: 1_000_000 }),
    publicUrl: readPublicUrl(env, nodeEnv, port),
  };
}

export const appConfig = registerAs('app', () => readAppConfig());


/** Production names its public address; development and tests assume localhost on PORT. */
function readPublicUrl(env: NodeJS.ProcessEnv, nodeEnv: NodeEnv, port: number): string {
  const given = readUrl(env, 'PUBLIC_URL', ['http:', 'https:']);
  if (given) return given.replace(/\/+$/, '');
  if (nodeEnv === 'production') configProblem('PUBLIC_URL is required in production (the address clients use, e.g. https://auth.example.com)');
  return `http://localhost:${port}`;
}

function readTrustProxy(raw: string | undefined): boolean | string[] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(entry) && !['loopback', 'linklocal', 'uniquelocal'].includes(entry)) {
      configProblem(`TRUST_PROXY: "${entry}" is not an address, a CIDR, loopback, linklocal or uniquelocal`);
    }
  }
  return entries;
}
