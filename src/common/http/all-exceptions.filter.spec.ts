import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError, RateLimitedError } from '../errors/domain-error.js';
import { toDomainError } from './all-exceptions.filter.js';

describe('toDomainError', () => {
  it('keeps domain errors as they are', () => {
    const error = new RateLimitedError('slow down', 10);
    expect(toDomainError(error)).toBe(error);
  });

  it.each([
    [new NotFoundException('Cannot GET /x'), 'NOT_FOUND', 404],
    [new PayloadTooLargeException(), 'PAYLOAD_TOO_LARGE', 413],
    [new HttpException('Request Header Fields Too Large', 431), 'HEADERS_TOO_LARGE', 431],
    [new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'"), 'VALIDATION_FAILED', 400],
    [Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 }), 'VALIDATION_FAILED', 400],
  ])('maps %s to %s', (exception, code, status) => {
    const error = toDomainError(exception);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [new Error('timeout exceeded when trying to connect')],
    [new QueryFailedError('SELECT 1', [], new Error('Query read timeout'))],
    [new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))],
    [Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    [Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' })],
  ])('recognises PostgreSQL being unavailable: %s', (exception) => {
    expect(toDomainError(exception)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'postgresql' } });
  });

  it.each([
    ['42703', 'column "nope" does not exist'],
    ['40002', 'integrity constraint violation'],
  ])('does not take a query bug for an outage (%s)', (code, message) => {
    const bug = new QueryFailedError('SELECT nope', [], Object.assign(new Error(message), { code }));
    expect(toDomainError(bug)).toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
  });

  it('hides unexpected errors behind INTERNAL_ERROR', () => {
    const error = toDomainError(new TypeError('x is undefined'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' });
  });
});
