import { Injectable } from '@nestjs/common';
import { LUA_NOW_MS, LuaScript } from '../../redis/lua-script.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import {
  DAY_MS,
  HOUR_MS,
  OtpStore,
  SMS_DAY_KEY,
  limitKeys,
  otpKey,
  smsPrefixKey,
  type IssueOutcome,
  type IssuePolicy,
  type IssueRefusal,
  type OtpSlot,
  type VerifyOutcome,
  type VerifyPolicy,
} from '../otp.store.js';

/**
 * Lua for both scripts: every limit a new code for the slot must pass, read without writing. KEYS[2..n+1]
 * are the bookkeeping hashes (the slot's own otp-sent first, then those it shares limits with), KEYS[n+2]
 * and KEYS[n+3] the SMS day and prefix counters when the code goes by SMS. Returns the longest wait, its
 * limit (nil when nothing waits) and the records read. Windows start at their first code (hour, day); the
 * SMS day is the UTC day of Redis's clock.
 */
const NEXT_CODE = `
local HOUR, DAY = ${HOUR_MS}, ${DAY_MS}
local function nextCode(n, cooldown, perHour, perDay, cap, plimit)
  local limit, wait, records = nil, 0, {}
  local function consider(l, ms) if ms > wait then limit, wait = l, ms end end
  for i = 2, n + 1 do
    local s = redis.call('HMGET', KEYS[i], 'hs', 'hc', 'ds', 'dc', 'lock', 'last')
    records[#records + 1] = { hs = tonumber(s[1]) or 0, hc = tonumber(s[2]) or 0, ds = tonumber(s[3]) or 0, dc = tonumber(s[4]) or 0,
      lock = tonumber(s[5]) or 0, last = tonumber(s[6]) }
  end
  for _, r in ipairs(records) do consider('locked', r.lock - now) end
  if records[1].last then consider('cooldown', cooldown - (now - records[1].last)) end
  for _, r in ipairs(records) do
    if now - r.hs < HOUR and r.hc >= perHour then consider('hourly', r.hs + HOUR - now) end
  end
  for _, r in ipairs(records) do
    if now - r.ds < DAY and r.dc >= perDay then consider('daily', r.ds + DAY - now) end
  end
  local smsDay, smsPrefix = KEYS[n + 2], KEYS[n + 3]
  if smsDay then
    local today = math.floor(now / DAY)
    local day = redis.call('HMGET', smsDay, 'd', 'n')
    local sent = (tonumber(day[1]) == today) and tonumber(day[2]) or 0
    if cap > 0 and sent >= cap then consider('sms-daily-cap', (today + 1) * DAY - now) end
    if plimit > 0 and (tonumber(redis.call('GET', smsPrefix)) or 0) >= plimit then consider('sms-prefix', math.max(redis.call('PTTL', smsPrefix), 1)) end
  end
  return limit, wait, records
end
`;

/**
 * KEYS: otp, then n bookkeeping hashes (own first), then, for SMS, sms-day and sms-prefix. ARGV: hash,
 * ttlMs, cooldownMs, perHour, perDay, n [, smsDailyCap, prefixLimit, prefixWindowMs].
 * Checks every limit first and writes only when all pass. Returns {1, 'issued', 0} or {0, limit, waitMs}.
 */
const ISSUE = new LuaScript(`
${LUA_NOW_MS}
${NEXT_CODE}
local n, cooldown = tonumber(ARGV[6]), tonumber(ARGV[3])
local limit, wait, records = nextCode(n, cooldown, tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[7]) or 0, tonumber(ARGV[8]) or 0)
if limit then return {0, limit, wait} end
local smsDay, smsPrefix = KEYS[n + 2], KEYS[n + 3]
if smsDay then
  local today = math.floor(now / DAY)
  local day = redis.call('HMGET', smsDay, 'd', 'n')
  local sent = (tonumber(day[1]) == today) and tonumber(day[2]) or 0
  if tonumber(ARGV[8]) > 0 and redis.call('INCR', smsPrefix) == 1 then redis.call('PEXPIRE', smsPrefix, ARGV[9]) end
  redis.call('HSET', smsDay, 'd', today, 'n', sent + 1)
  redis.call('PEXPIRE', smsDay, 2 * DAY)
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'a', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local exp = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[2], 'last', now, 'exp', exp)
for i, r in ipairs(records) do
  if now - r.hs >= HOUR then r.hs, r.hc = now, 0 end
  if now - r.ds >= DAY then r.ds, r.dc = now, 0 end
  local key = KEYS[i + 1]
  redis.call('HSET', key, 'hs', r.hs, 'hc', r.hc + 1, 'ds', r.ds, 'dc', r.dc + 1)
  local keep = math.max(r.ds + DAY, r.hs + HOUR, exp, now + cooldown) - now
  if redis.call('PTTL', key) < keep then redis.call('PEXPIRE', key, keep) end
end
return {1, 'issued', 0}
`);

/**
 * KEYS: otp, then n bookkeeping hashes (own first), then, for SMS, sms-day and sms-prefix. ARGV: candidate
 * hash, maxAttempts, killedCodesForLock, lockWindowMs, lockMs, n, then the next code's cooldownMs, perHour,
 * perDay [, smsDailyCap, prefixLimit].
 * Returns {status, x, waitMs, limit}: attempts remaining (mismatch), 1/2 = just killed the code/also locked
 * the identifier (exhausted); waitMs and limit say when a new code will pass every limit (exhausted, locked).
 * The hashes are compared byte by byte without an early exit. A killed code counts in every bookkeeping
 * hash, and locks each one that reaches the limit.
 */
const VERIFY = new LuaScript(`
${LUA_NOW_MS}
${NEXT_CODE}
local n = tonumber(ARGV[6])
local function after(status, x)
  local limit, wait = nextCode(n, tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]) or 0, tonumber(ARGV[11]) or 0)
  return {status, x, wait, limit or ''}
end
for i = 2, n + 1 do
  local lock = tonumber(redis.call('HGET', KEYS[i], 'lock')) or 0
  if lock > now then return after('locked', 0) end
end
local rec = redis.call('HMGET', KEYS[1], 'h', 'a')
if not rec[1] then
  local exp = tonumber(redis.call('HGET', KEYS[2], 'exp'))
  if exp and now >= exp then return {'expired', 0} end
  return {'none', 0}
end
local max = tonumber(ARGV[2])
local attempts = tonumber(rec[2])
if attempts >= max then return after('exhausted', 0) end
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
redis.call('HDEL', KEYS[2], 'exp')
local killLimit, window, lockMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local lockedAny = false
for i = 2, n + 1 do
  local key = KEYS[i]
  local k = redis.call('HMGET', key, 'ks', 'kc')
  local ks, kc = tonumber(k[1]) or 0, tonumber(k[2]) or 0
  if now - ks >= window then ks, kc = now, 0 end
  kc = kc + 1
  local keep
  if kc >= killLimit then
    redis.call('HSET', key, 'lock', now + lockMs, 'ks', 0, 'kc', 0)
    keep = lockMs
    lockedAny = true
  else
    redis.call('HSET', key, 'ks', ks, 'kc', kc)
    keep = ks + window - now
  end
  if redis.call('PTTL', key) < keep then redis.call('PEXPIRE', key, keep) end
end
return after('exhausted', lockedAny and 2 or 1)
`);

@Injectable()
export class RedisOtpStore extends OtpStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome> {
    const records = limitKeys(slot);
    const keys = [otpKey(slot), ...records, ...smsKeys(policy)];
    const args: (string | number)[] = [codeHash, policy.ttlMs, policy.cooldownMs, policy.perHour, policy.perDay, records.length];
    if (policy.sms) args.push(policy.sms.dailyCap, policy.sms.prefixLimit, policy.sms.prefixWindowMs);
    const [issued, reason, retryAfterMs] = await this.redis.run((client) =>
      ISSUE.run<[number, IssueRefusal | 'issued', number]>(client, keys, args),
    );
    return issued === 1 ? { issued: true } : { issued: false, reason: reason as IssueRefusal, retryAfterMs };
  }

  async verify(slot: OtpSlot, codeHash: string, policy: VerifyPolicy): Promise<VerifyOutcome> {
    const records = limitKeys(slot);
    const { issue } = policy;
    const args: (string | number)[] = [
      codeHash,
      policy.maxAttempts,
      policy.lockoutAfterKilledCodes,
      policy.lockoutWindowMs,
      policy.lockoutMs,
      records.length,
      issue.cooldownMs,
      issue.perHour,
      issue.perDay,
    ];
    if (issue.sms) args.push(issue.sms.dailyCap, issue.sms.prefixLimit);
    const [status, n, waitMs, limit] = await this.redis.run((client) =>
      VERIFY.run<[VerifyOutcome['status'], number, number?, (IssueRefusal | '')?]>(client, [otpKey(slot), ...records, ...smsKeys(issue)], args),
    );
    switch (status) {
      case 'mismatch':
        return { status, attemptsRemaining: n };
      case 'exhausted':
        return { status, justLocked: n > 0, identifierLocked: n === 2, nextCode: { afterMs: waitMs ?? 0, ...(limit ? { limit } : {}) } };
      case 'locked':
        return { status, retryAfterMs: waitMs ?? 0 };
      default:
        return { status };
    }
  }
}

function smsKeys(policy: IssuePolicy): string[] {
  return policy.sms ? [SMS_DAY_KEY, smsPrefixKey(policy.sms.prefix)] : [];
}
