import { Injectable } from '@nestjs/common';
import { TokenVerifier } from '../signing-keys/token-verifier.js';
import { UsersService } from '../users/users.service.js';
import type { IntrospectionDto } from './dto/introspection.dto.js';
import { SessionsService } from './sessions.service.js';

const INACTIVE: IntrospectionDto = { active: false };

/**
 * RFC 7662 for resource servers that must honour revocation: a token is active when its signature, key,
 * issuer, audience and lifetime hold, it was not ended by logout, logout-all, refresh reuse or an admin, and
 * its user is still active. Refresh tokens are never reported active: no resource server needs them.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  async introspect(token: string): Promise<IntrospectionDto> {
    const claims = await this.verifier.verify(token, 'access');
    if (!claims) return INACTIVE;
    const [revoked, profile] = await Promise.all([this.sessions.isRevoked(claims), this.users.getProfile(claims.sub)]);
    if (revoked || !profile?.is_active) return INACTIVE;
    return {
      active: true,
      token_type: 'access_token',
      sub: claims.sub,
      roles: profile.roles,
      username: profile.username,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      iss: claims.iss,
      aud: claims.aud,
    };
  }
}
