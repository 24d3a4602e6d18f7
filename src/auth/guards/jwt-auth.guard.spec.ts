import { Reflector } from '@nestjs/core';
import { ServiceUnavailableError } from '../../common/errors/domain-error.js';
import { InvalidAccessTokenError } from '../strategies/jwt.strategy.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';

describe('JwtAuthGuard.handleRequest', () => {
  const guard = new JwtAuthGuard(new Reflector());
  const user = { id: 'u1' };

  it('lets a validated user through', () => {
    expect(guard.handleRequest(null, user, undefined)).toBe(user);
  });

  it('answers 401 for a token the verifier refused, a revoked one, or none, saying which', () => {
    expect(() => guard.handleRequest(null, false, new InvalidAccessTokenError('invalid token'))).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'The access token is not valid or has expired' }),
    );
    expect(() => guard.handleRequest(null, false, undefined)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'The access token has been revoked' }),
    );
    expect(() => guard.handleRequest(null, false, new Error('No auth token'))).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'A valid access token is required (Authorization: Bearer <access>)' }),
    );
  });

  it('never answers 401 when checking a token failed: a dependency is a 503, anything else a 500', () => {
    expect(() => guard.handleRequest(new ServiceUnavailableError('Redis'), false, undefined)).toThrow(
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', status: 503 }),
    );
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    expect(() => guard.handleRequest(poolTimeout, false, undefined)).toThrow(expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }));
    expect(() => guard.handleRequest(new TypeError('cache broke'), false, undefined)).toThrow(
      expect.objectContaining({ code: 'INTERNAL_ERROR', status: 500 }),
    );
  });
});
