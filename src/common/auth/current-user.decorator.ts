import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { UserResponseDto } from '../../users/dto/user-response.dto.js';

/** What the JWT guard attaches to the request once the access token is valid. */
export interface AuthenticatedUser {
  id: string;
  /** The access token's id. */
  jti: string;
  /** When the access token expires, in seconds since the epoch. */
  exp: number;
  /** The user as of this request (active, from the cache that every change invalidates). */
  profile: UserResponseDto;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user,
);
