import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedUser } from '../../common/auth/current-user.decorator.js';
import { REQUIRED_ROLES } from '../../common/auth/roles.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { Role } from '../../users/entities/user.entity.js';

/**
 * Runs after the JWT guard, on the user it loaded for this request. Roles come from the user (cached, and the
 * cache is dropped whenever roles change), not from the token, so a demoted admin loses access on the next
 * request.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]);
    if (!required?.length) return true;
    const { profile } = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user;
    if (!required.some((role) => profile.roles.includes(role))) {
      throw new DomainError('FORBIDDEN', `This needs the ${required.join(' or ')} role`);
    }
    return true;
  }
}
