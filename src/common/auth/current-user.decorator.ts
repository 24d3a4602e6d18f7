import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** What the JWT guard attaches to the request once the access token is valid. */
export interface AuthenticatedUser {
  id: string;
  /** The access token's id. */
  jti: string;
  /** When the access token expires, in seconds since the epoch. */
  exp: number;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user,
);
