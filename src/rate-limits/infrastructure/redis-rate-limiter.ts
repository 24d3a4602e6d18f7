import { Injectable } from '@nestjs/common';
import { LuaScript } from '../../redis/lua-script.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import { RateLimiter, type HitOutcome } from '../rate-limiter.js';

/** KEYS: counter. ARGV: windowMs, limit. Returns {1, 0} when allowed, {0, msUntilTheWindowCloses} when not. */
const HIT = new LuaScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if n > tonumber(ARGV[2]) then return {0, redis.call('PTTL', KEYS[1])} end
return {1, 0}
`);

@Injectable()
export class RedisRateLimiter extends RateLimiter {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async hit(key: string, limit: number, windowMs: number): Promise<HitOutcome> {
    const [allowed, retryAfterMs] = await this.redis.run((client) => HIT.run<[number, number]>(client, [key], [windowMs, limit]));
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs };
  }
}
