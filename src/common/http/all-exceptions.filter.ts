import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import type { ErrorBody } from '../errors/error-body.dto.js';
import { asPostgresUnavailable, asRedisUnavailable } from '../errors/unavailable.js';
import { UnavailableLog } from './unavailable-log.js';

/**
 * The single place where failures become HTTP responses. Domain errors keep their code; framework and
 * parser errors are mapped onto the contract's codes; anything else is a bug, logged with the request id
 * and answered with INTERNAL_ERROR and no stack trace.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception, this.logger);
  }
}

/** The 503s of an outage, one line per second for the whole process. */
const unavailable = new UnavailableLog();

/** Answers with the contract's error body; `logger` is left out by a caller that accounts for the error itself. */
export function sendError(request: FastifyRequest, reply: FastifyReply, exception: unknown, logger?: Logger): void {
  const error = toDomainError(exception);
  if (error.code === 'INTERNAL_ERROR') {
    logger?.error(`${request.method} ${request.url.split('?')[0]} failed (request ${request.id})`, errorStack(exception));
  } else if (error.code === 'SERVICE_UNAVAILABLE') {
    if (logger) unavailable.record(error.message, String(request.id), describeCause(error.cause ?? exception));
  }
  const body: ErrorBody = {
    success: false,
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    request_id: String(request.id),
  };
  if (reply.sent) return;
  void reply
    .status(error.status)
    .headers(error.headers ?? {})
    // Also set here: errors raised before routing (a malformed URL) never reach the onRequest hook.
    .header('x-request-id', String(request.id))
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}

export function toDomainError(exception: unknown): DomainError {
  if (exception instanceof DomainError) return exception;
  const unavailable = asRedisUnavailable(exception) ?? asPostgresUnavailable(exception);
  if (unavailable) return unavailable;
  if (exception instanceof HttpException) return fromHttpException(exception);
  const fastifyError = exception as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
    return fromStatus(fastifyError.statusCode, text(fastifyError.message), text(fastifyError.code));
  }
  return new DomainError('INTERNAL_ERROR', 'An unexpected error occurred');
}

function fromHttpException(exception: HttpException): DomainError {
  const response = exception.getResponse();
  const inner = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const message = Array.isArray(inner) ? inner.map(text).join('; ') : text(inner) || exception.message;
  // Fastify's own errors (body parser, URL) reach here wrapped, with their code on the cause.
  return fromStatus(exception.getStatus(), message, text((exception.cause as { code?: unknown } | undefined)?.code));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function fromStatus(status: number, message: string, fastifyCode: string): DomainError {
  switch (status as HttpStatus) {
    case HttpStatus.NOT_FOUND:
      return new DomainError('NOT_FOUND', message.startsWith('Cannot ') ? `No route: ${message.slice(7)}` : message || 'Not found');
    case HttpStatus.METHOD_NOT_ALLOWED:
      return new DomainError('METHOD_NOT_ALLOWED', message || 'Method not allowed');
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is larger than this service accepts');
    case HttpStatus.UNAUTHORIZED:
      return new DomainError('UNAUTHENTICATED', 'A valid access token is required');
    case HttpStatus.FORBIDDEN:
      return new DomainError('FORBIDDEN', message || 'You do not have access to this resource');
    case HttpStatus.TOO_MANY_REQUESTS:
      return new DomainError('RATE_LIMITED', message || 'Too many requests');
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return new DomainError('VALIDATION_FAILED', 'The request body must be JSON (Content-Type: application/json)');
    case 431 as HttpStatus:
      return new DomainError('HEADERS_TOO_LARGE', 'The request headers are larger than this service accepts');
    default:
      return new DomainError('VALIDATION_FAILED', describeBadRequest(fastifyCode, message));
  }
}

/** Fastify's own 400s, said plainly. (A body that is not valid JSON never gets here: the JSON parser says what and where.) */
function describeBadRequest(fastifyCode: string, message: string): string {
  if (fastifyCode === 'FST_ERR_BAD_URL') return 'The request URL is not valid';
  if (fastifyCode === 'FST_ERR_MAX_PARAM_LENGTH') return 'A path parameter is longer than this service accepts';
  return message || 'The request is not valid';
}

function errorStack(exception: unknown): string | undefined {
  return exception instanceof Error ? exception.stack : String(exception);
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
