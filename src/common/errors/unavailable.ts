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
/**
 * PostgreSQL SQLSTATEs that mean "the server cannot serve you now", not "your query is wrong": connection,
 * resources, shutdown, and the conflicts a retry resolves (serialization failure, deadlock).
 */
const PG_UNAVAILABLE_STATES = /^(08|53|57P|40001$|40P01$)/;
const PG_DRIVER_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end|DataSource is not initialized|Connection is not established/i;

/**
 * Recognises errors that mean PostgreSQL could not be reached or answered too late, whichever layer
 * (pg, its pool, TypeORM) raised them, so they become a 503 instead of a 500.
 */
export function asPostgresUnavailable(error: unknown): ServiceUnavailableError | undefined {
  // Duck-typed on purpose: socket errors may come from another realm (Node's own), where instanceof fails.
  if (!isErrorLike(error)) return undefined;
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : undefined;
  const cause = isErrorLike(driverError) ? driverError : error;
  const code = cause.code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_UNAVAILABLE_STATES.test(code))) {
    return new ServiceUnavailableError('PostgreSQL', error);
  }
  if (PG_DRIVER_MESSAGES.test(cause.message)) return new ServiceUnavailableError('PostgreSQL', error);
  return undefined;
}

interface ErrorLike {
  message: string;
  code?: unknown;
  stack?: string;
}

function isErrorLike(error: unknown): error is ErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as ErrorLike).message === 'string';
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
  if (isErrorLike(error) && typeof error.code === 'string' && NETWORK_CODES.has(error.code) && /redis/i.test(error.stack ?? '')) {
    return new ServiceUnavailableError('Redis', error);
  }
  return undefined;
}
