import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from '@redis/client';
import { QueryFailedError } from 'typeorm';
import { ServiceUnavailableError } from './domain-error.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL SQLSTATEs that mean "the server cannot serve you now", not "your query is wrong". */
const PG_UNAVAILABLE_STATES = /^(08|53|57P)/;
const PG_DRIVER_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end|DataSource is not initialized|Connection is not established/i;

/**
 * Recognises errors that mean PostgreSQL could not be reached or answered too late, whichever layer
 * (pg, its pool, TypeORM) raised them, so they become a 503 instead of a 500.
 */
export function asPostgresUnavailable(error: unknown): ServiceUnavailableError | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = (cause as { code?: unknown })?.code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_UNAVAILABLE_STATES.test(code))) {
    return new ServiceUnavailableError('PostgreSQL', error);
  }
  const message = cause instanceof Error ? cause.message : error.message;
  if (PG_DRIVER_MESSAGES.test(message)) return new ServiceUnavailableError('PostgreSQL', error);
  return undefined;
}

const REDIS_UNAVAILABLE = [
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
];

/** Recognises node-redis errors that mean Redis is unreachable or too slow (also when raised through Keyv). */
export function asRedisUnavailable(error: unknown): ServiceUnavailableError | undefined {
  if (REDIS_UNAVAILABLE.some((type) => error instanceof type)) return new ServiceUnavailableError('Redis', error);
  const code = (error as { code?: unknown })?.code;
  if (error instanceof Error && typeof code === 'string' && NETWORK_CODES.has(code) && /redis/i.test(error.stack ?? '')) {
    return new ServiceUnavailableError('Redis', error);
  }
  return undefined;
}
