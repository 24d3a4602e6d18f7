import { Global, Module } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { InProcessRateLimiter } from './infrastructure/in-process-rate-limiter.js';
import { RedisRateLimiter } from './infrastructure/redis-rate-limiter.js';
import { IpLimitGuard } from './ip-limit.guard.js';
import { LimitMetrics } from './limit-metrics.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * The per-address limits (IpLimitGuard on a Redis counter, in-process in the embedded default) and the
 * counters of every refusal. The per-identifier and SMS limits live with the codes (OtpStore), where
 * they are checked in the same atomic step that stores a code.
 */
@Global()
@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: RateLimiter,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisRateLimiter(redis) : new InProcessRateLimiter()),
    },
    LimitMetrics,
    IpLimitGuard,
  ],
  exports: [RateLimiter, LimitMetrics, IpLimitGuard],
})
export class RateLimitsModule {}
