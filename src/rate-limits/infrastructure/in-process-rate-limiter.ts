import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
import { RateLimiter, type HitOutcome } from '../rate-limiter.js';

/** The embedded default's RateLimiter: the Redis script's rule, in one synchronous step. */
@Injectable()
export class InProcessRateLimiter extends RateLimiter implements OnModuleDestroy {
  private readonly counters = new ExpiringMap<number>();

  async hit(key: string, limit: number, windowMs: number): Promise<HitOutcome> {
    const hits = (this.counters.get(key) ?? 0) + 1;
    if (hits === 1) this.counters.set(key, hits, windowMs);
    else this.counters.update(key, hits);
    return hits > limit ? { allowed: false, retryAfterMs: this.counters.ttl(key) } : { allowed: true };
  }

  onModuleDestroy(): void {
    this.counters.onModuleDestroy();
  }
}
