import { Injectable } from '@nestjs/common';
import { LUA_NOW_MS, LuaScript } from '../../redis/lua-script.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import {
  DAY_MS,
  HOUR_MS,
  OtpStore,
  SMS_DAY_KEY,
  otpKey,
  otpSentKey,
  smsPrefixKey,
  type IssueOutcome,
  type IssuePolicy,
  type IssueRefusal,
  type OtpSlot,
  type VerifyOutcome,
  type VerifyPolicy,
} from '../otp.store.js';

/**
 * KEYS: otp, otp-sent[, sms-day, sms-prefix]. ARGV: hash, ttlMs, cooldownMs, perHour, perDay
 * [, smsDailyCap, prefixLimit, prefixWindowMs].
 * Checks every limit first and writes only when all pass. Returns {1, 'issued', 0} or {0, reason, retryAfterMs}.
 * Windows start at their first code (hour, day); the SMS day is the UTC day of Redis's clock.
 */
const ISSUE = new LuaScript(`
${LUA_NOW_MS}
local HOUR, DAY = ${HOUR_MS}, ${DAY_MS}
local s = redis.call('HMGET', KEYS[2], 'last', 'hs', 'hc', 'ds', 'dc', 'lock')
local last, lock = tonumber(s[1]), tonumber(s[6]) or 0
local hs, hc, ds, dc = tonumber(s[2]) or 0, tonumber(s[3]) or 0, tonumber(s[4]) or 0, tonumber(s[5]) or 0
if lock > now then return {0, 'locked', lock - now} end
local cooldown = tonumber(ARGV[3])
if last and now - last < cooldown then return {0, 'cooldown', cooldown - (now - last)} end
if now - hs >= HOUR then hs, hc = now, 0 end
if hc >= tonumber(ARGV[4]) then return {0, 'hourly', hs + HOUR - now} end
if now - ds >= DAY then ds, dc = now, 0 end
if dc >= tonumber(ARGV[5]) then return {0, 'daily', ds + DAY - now} end
if KEYS[3] then
  local today = math.floor(now / DAY)
  local cap, plimit = tonumber(ARGV[6]), tonumber(ARGV[7])
  local day = redis.call('HMGET', KEYS[3], 'd', 'n')
  local sent = (tonumber(day[1]) == today) and tonumber(day[2]) or 0
  if cap > 0 and sent >= cap then return {0, 'sms-daily-cap', (today + 1) * DAY - now} end
  if plimit > 0 then
    local p = tonumber(redis.call('GET', KEYS[4])) or 0
    if p >= plimit then return {0, 'sms-prefix', redis.call('PTTL', KEYS[4])} end
    if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[8]) end
  end
  redis.call('HSET', KEYS[3], 'd', today, 'n', sent + 1)
  redis.call('PEXPIRE', KEYS[3], 2 * DAY)
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'a', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local exp = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[2], 'last', now, 'exp', exp, 'hs', hs, 'hc', hc + 1, 'ds', ds, 'dc', dc + 1)
local keep = math.max(ds + DAY, hs + HOUR, exp, now + cooldown) - now
if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
return {1, 'issued', 0}
`);

/**
 * KEYS: otp, otp-sent. ARGV: candidate hash, maxAttempts, killedCodesForLock, lockWindowMs, lockMs.
 * Returns {status, n}: attempts remaining (mismatch), 1/2 = just locked the code/the identifier
 * (exhausted), ms left (locked). The hashes are compared byte by byte without an early exit.
 */
const VERIFY = new LuaScript(`
${LUA_NOW_MS}
local s = redis.call('HMGET', KEYS[2], 'exp', 'lock', 'ks', 'kc')
local lock = tonumber(s[2]) or 0
if lock > now then return {'locked', lock - now} end
local rec = redis.call('HMGET', KEYS[1], 'h', 'a')
if not rec[1] then
  local exp = tonumber(s[1])
  if exp and now >= exp then return {'expired', 0} end
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
if attempts < max then return {'mismatch', max - attempts} end
local ks, kc = tonumber(s[3]) or 0, tonumber(s[4]) or 0
local window, lockMs = tonumber(ARGV[4]), tonumber(ARGV[5])
if now - ks >= window then ks, kc = now, 0 end
kc = kc + 1
local locked = kc >= tonumber(ARGV[3])
local keep
if locked then
  redis.call('HSET', KEYS[2], 'lock', now + lockMs, 'ks', 0, 'kc', 0)
  keep = lockMs
else
  redis.call('HSET', KEYS[2], 'ks', ks, 'kc', kc)
  keep = ks + window - now
end
redis.call('HDEL', KEYS[2], 'exp')
if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
return {'exhausted', locked and 2 or 1}
`);

@Injectable()
export class RedisOtpStore extends OtpStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome> {
    const keys = [otpKey(slot), otpSentKey(slot)];
    const args: (string | number)[] = [codeHash, policy.ttlMs, policy.cooldownMs, policy.perHour, policy.perDay];
    if (policy.sms) {
      keys.push(SMS_DAY_KEY, smsPrefixKey(policy.sms.prefix));
      args.push(policy.sms.dailyCap, policy.sms.prefixLimit, policy.sms.prefixWindowMs);
    }
    const [issued, reason, retryAfterMs] = await this.redis.run((client) =>
      ISSUE.run<[number, IssueRefusal | 'issued', number]>(client, keys, args),
    );
    return issued === 1 ? { issued: true } : { issued: false, reason: reason as IssueRefusal, retryAfterMs };
  }

  async verify(slot: OtpSlot, codeHash: string, policy: VerifyPolicy): Promise<VerifyOutcome> {
    const [status, n] = await this.redis.run((client) =>
      VERIFY.run<[VerifyOutcome['status'], number]>(client, [otpKey(slot), otpSentKey(slot)], [
        codeHash,
        policy.maxAttempts,
        policy.lockoutAfterKilledCodes,
        policy.lockoutWindowMs,
        policy.lockoutMs,
      ]),
    );
    switch (status) {
      case 'mismatch':
        return { status, attemptsRemaining: n };
      case 'exhausted':
        return { status, justLocked: n > 0, identifierLocked: n === 2 };
      case 'locked':
        return { status, retryAfterMs: n };
      default:
        return { status };
    }
  }
}
