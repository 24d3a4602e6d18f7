import { registerAs } from '@nestjs/config';
import { isSupportedCountry } from 'libphonenumber-js';
import { ConfigError, readEnum, readInt, readOptional, readString } from './env.js';

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
}

export function readAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const phoneDefaultRegion = readString(env, 'PHONE_DEFAULT_REGION', 'BD').toUpperCase();
  if (!isSupportedCountry(phoneDefaultRegion)) {
    throw new ConfigError(`PHONE_DEFAULT_REGION "${phoneDefaultRegion}" is not a known region code`);
  }
  const nodeEnv = readEnum(env, 'NODE_ENV', NODE_ENVS, 'development');
  return {
    nodeEnv,
    // Development listens on loopback only; production (containers) on every interface.
    host: readString(env, 'HOST', nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port: readInt(env, 'PORT', 3000, { min: 0, max: 65535 }),
    productName: readString(env, 'PRODUCT_NAME', 'otpgate'),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 16 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    phoneDefaultRegion,
    dependencyTimeoutMs: readInt(env, 'DEPENDENCY_TIMEOUT_MS', 1000, { min: 50, max: 30_000 }),
    dataDir: readOptional(env, 'DATA_DIR') ?? '.data',
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
  };
}

export const appConfig = registerAs('app', () => readAppConfig());

