import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { Role } from '../../users/entities/user.entity.js';
import { Authenticated } from './authenticated.decorator.js';

export const REQUIRED_ROLES = 'requiredRoles';

/** The route needs an access token of a user holding one of these roles (403 FORBIDDEN otherwise). */
export function Roles(...roles: Role[]) {
  return applyDecorators(SetMetadata(REQUIRED_ROLES, roles), Authenticated('FORBIDDEN'));
}
