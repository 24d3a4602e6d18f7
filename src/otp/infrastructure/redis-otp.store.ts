import { Injectable } from '@nestjs/common';
import { LUA_NOW_MS, LuaScript } from '../../redis/lua-script.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import {
  OtpStore,
  otpKey,
  otpSentKey,
  sentRecordTtlMs,
  type IssueOutcome,
  type IssuePolicy,
  type OtpSlot,
  type VerifyOutcome,
} from '../otp.store.js';

/**
 * KEYS: otp, otp-sent. ARGV: hash, ttlMs, cooldownMs, sentTtlMs.
 * Returns {1, 0} when stored, {0, retryAfterMs} during the cooldown.
 */
const ISSUE = new LuaScript(`
${LUA_NOW_MS}
local last = tonumber(redis.call('HGET', KEYS[2], 'last'))
local cooldown = tonumber(ARGV[3])
if last and now - last < cooldown then return {0, cooldown - (now - last)} end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'a', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'last', now, 'exp', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {1, 0}
`);

/**
 * KEYS: otp, otp-sent. ARGV: candidate hash, maxAttempts.
 * Returns {status, attemptsRemaining}. The hashes are compared byte by byte without an early exit.
 */
const VERIFY = new LuaScript(`
local rec = redis.call('HMGET', KEYS[1], 'h', 'a')
if not rec[1] then
  local exp = tonumber(redis.call('HGET', KEYS[2], 'exp'))
  if exp then
    ${LUA_NOW_MS}
    if now >= exp then return {'expired', 0} end
  end
  return {'none', 0}
end
local max = tonumber(ARGV[2])
local attempts = tonumber(rec[2])
if attempts >= max then return {'exhausted', 0} end
local stored, given = rec[1], ARGV[1]
local diff = (#stored == #given) and 0 or 1
for i = 1, #given do
  diff = bit.bor(diff, bit.bxor(string.byte(stored, i) or 0, string.byte(given, i)))
end
if diff == 0 then
  redis.call('DEL', KEYS[1])
  redis.call('HDEL', KEYS[2], 'exp')
  return {'verified', 0}
end
attempts = redis.call('HINCRBY', KEYS[1], 'a', 1)
if attempts >= max then
  redis.call('HDEL', KEYS[2], 'exp')
  return {'exhausted', 1}
end
return {'mismatch', max - attempts}
`);

@Injectable()
export class RedisOtpStore extends OtpStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome> {
    const [issued, retryAfterMs] = await this.redis.run((client) =>
      ISSUE.run<[number, number]>(client, [otpKey(slot), otpSentKey(slot)], [
        codeHash,
        policy.ttlMs,
        policy.cooldownMs,
        sentRecordTtlMs(policy),
      ]),
    );
    return issued === 1 ? { issued: true } : { issued: false, retryAfterMs };
  }

  async verify(slot: OtpSlot, codeHash: string, maxAttempts: number): Promise<VerifyOutcome> {
    const [status, remaining] = await this.redis.run((client) =>
      VERIFY.run<[VerifyOutcome['status'], number]>(client, [otpKey(slot), otpSentKey(slot)], [codeHash, maxAttempts]),
    );
    switch (status) {
      case 'mismatch':
        return { status, attemptsRemaining: remaining };
      case 'exhausted':
        return { status, justLocked: remaining === 1 };
      default:
        return { status };
    }
  }
}
