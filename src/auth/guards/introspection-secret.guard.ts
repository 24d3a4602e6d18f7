import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../../common/errors/domain-error.js';
import type { Configuration } from '../../config/configuration.js';

/**
 * Lets in callers that present one of INTROSPECTION_SECRET's secrets as a bearer token. Every configured
 * secret is compared, in constant time over their hashes, so neither the match nor its position leaks.
 */
@Injectable()
export class IntrospectionSecretGuard implements CanActivate {
  private readonly secrets: Buffer[];

  constructor(config: ConfigService<Configuration, true>) {
    this.secrets = config.getOrThrow('auth.introspectionSecrets', { infer: true }).map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
    const given = digest(match?.[1] ?? '');
    let found = false;
    for (const secret of this.secrets) found = timingSafeEqual(secret, given) || found;
    if (!match || !found) throw new UnauthenticatedError('Introspection needs Authorization: Bearer <one of INTROSPECTION_SECRET>');
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
