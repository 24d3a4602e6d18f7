import { ERROR_STATUS, type ErrorCode } from './error-code.js';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An expected failure with a stable code. Services throw subclasses of it; one filter turns it into
 * the contract's error body with the status that belongs to the code.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Response headers that belong to this error, such as Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class ValidationFailedError extends DomainError {
  constructor(message: string, fields: FieldError[] = []) {
    super('VALIDATION_FAILED', message, fields.length ? { fields } : undefined);
  }
}

export class InvalidIdentifierError extends DomainError {
  constructor(field: string, message: string) {
    super('INVALID_IDENTIFIER', message, { fields: [{ field, message }] });
  }
}

export class RateLimitedError extends DomainError {
  /** `limit` names the limit that refused (`details.limit`), so clients can tell a cooldown from a lockout. */
  constructor(message: string, retryAfterSeconds: number, limit?: string) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('RATE_LIMITED', message, { retry_after_seconds: seconds, ...(limit ? { limit } : {}) }, { 'Retry-After': String(seconds) });
  }

  /** From a wait in milliseconds, with a message that names the whole seconds the client will be told. */
  static after(retryAfterMs: number, message: (seconds: number) => string, limit: string): RateLimitedError {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new RateLimitedError(message(seconds), seconds, limit);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid access token is required') {
    super('UNAUTHENTICATED', message, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(dependency: 'PostgreSQL' | 'Redis', cause?: unknown) {
    super('SERVICE_UNAVAILABLE', `${dependency} is unavailable; try again shortly`, { dependency: dependency.toLowerCase() });
    this.cause = cause;
  }
}
