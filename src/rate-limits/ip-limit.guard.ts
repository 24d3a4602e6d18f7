import { applyDecorators, Injectable, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RateLimitedError } from '../common/errors/domain-error.js';
import type { Configuration } from '../config/configuration.js';
import type { LimitsConfig } from '../config/limits.config.js';
import { clientAddressKey } from './client-address.js';
import { LimitMetrics } from './limit-metrics.js';
import { RateLimiter } from './rate-limiter.js';

/** The per-client-address budgets; each is shared by every route that names it. */
export type IpLimitName = 'otp-request' | 'otp-verify';

const IP_LIMIT = 'otpgate:ip-limit';

/**
 * Counts the request against the client address's budget and answers 429 past it. The address is
 * Fastify's `request.ip`: the socket peer, or the client named in X-Forwarded-For only when the peer is
 * a TRUST_PROXY proxy, so a spoofed header from anyone else changes nothing.
 */
@Injectable()
export class IpLimitGuard implements CanActivate {
  private readonly config: LimitsConfig['ip'];

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    private readonly metrics: LimitMetrics,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('limits', { infer: true }).ip;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.get<IpLimitName | undefined>(IP_LIMIT, context.getHandler());
    if (!name) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const client = clientAddressKey(request.ip, this.config.ipv6PrefixLength);
    const limit = name === 'otp-request' ? this.config.otpRequests : this.config.otpVerifies;
    const outcome = await this.limiter.hit(`limit:ip:${name}:${client}`, limit, this.config.windowSeconds * 1000);
    if (outcome.allowed) return true;
    this.metrics.countRefused(`ip-${name}`);
    const what = name === 'otp-request' ? 'code requests' : 'code attempts';
    throw RateLimitedError.after(outcome.retryAfterMs, (s) => `Too many ${what} from your network; try again in ${s} s`, `ip-${name}`);
  }
}

/** Counts the route against one per-address budget. */
export function IpLimit(name: IpLimitName): MethodDecorator {
  return applyDecorators(SetMetadata(IP_LIMIT, name), UseGuards(IpLimitGuard));
}
