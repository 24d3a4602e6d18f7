import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnauthenticatedError } from '../../common/errors/domain-error.js';
import { toDomainError } from '../../common/http/all-exceptions.filter.js';
import { IS_PUBLIC } from '../../common/auth/public.decorator.js';
import { InvalidAccessTokenError } from '../strategies/jwt.strategy.js';

/** Deny by default: every route needs a valid access token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    // passport reports a bad token as `info`; an `error` was thrown while checking a good one (Redis or
    // PostgreSQL slow or down): a 503 or a 500, never a 401, which would make clients drop a valid session.
    if (error) throw toDomainError(error);
    if (!user) throw new UnauthenticatedError(describe(info));
    return user;
  }
}

/**
 * passport's `info`: an InvalidAccessTokenError from the verifier, undefined when JwtStrategy.validate
 * refused a valid token (revoked, or its user deactivated or gone), or passport-jwt's own error when there
 * is no bearer token at all.
 */
function describe(info: unknown): string {
  if (info instanceof InvalidAccessTokenError) return 'The access token is not valid or has expired';
  if (info === undefined) return 'The access token has been revoked';
  return 'A valid access token is required (Authorization: Bearer <access>)';
}
