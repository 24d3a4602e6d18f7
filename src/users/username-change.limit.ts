import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RateLimitedError } from '../common/errors/domain-error.js';
import type { Configuration } from '../config/configuration.js';
import type { LimitsConfig } from '../config/limits.config.js';
import { LimitMetrics } from '../rate-limits/limit-metrics.js';
import { RateLimiter } from '../rate-limits/rate-limiter.js';

/**
 * USERNAME_CHANGE_LIMIT attempts to change one user's username per USERNAME_CHANGE_WINDOW_SECONDS: each
 * attempt answers whether the username is taken (409 USERNAME_TAKEN), so without a bound one account could
 * enumerate every username. Counted per user (a fixed window on the shared counter, one atomic step),
 * before the change is tried, whether it then succeeds or not.
 */
@Injectable()
export class UsernameChangeLimit {
  private readonly config: LimitsConfig['usernameChanges'];

  constructor(
    private readonly limiter: RateLimiter,
    private readonly metrics: LimitMetrics,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('limits', { infer: true }).usernameChanges;
  }

  async count(userId: string): Promise<void> {
    if (this.config.limit === 0) return;
    const outcome = await this.limiter.hit(`limit:username-change:${userId}`, this.config.limit, this.config.windowSeconds * 1000);
    if (outcome.allowed) return;
    this.metrics.countRefused('username-change');
    throw RateLimitedError.after(outcome.retryAfterMs, (s) => `Too many username changes; try again in ${s} s`, 'username-change');
  }
}
