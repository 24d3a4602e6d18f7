import { Injectable } from '@nestjs/common';
import { LUA_NOW_MS, LuaScript } from '../../redis/lua-script.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import {
  SessionStore,
  denyKey,
  revocationsKnownKey,
  revokedFamilyKey,
  sessionKey,
  userSessionsKey,
  validAfterKey,
  type NewFamily,
  type Rotation,
  type RotationOutcome,
  type UserRevocations,
} from '../session.store.js';

/**
 * KEYS: session. ARGV: presented, next hash, refresh jti, access jti, iat ms, grace ms, idle ttl ms, access ttl ms,
 * presented (legacy: the whole token's hash, as sessions created before signed-part hashes hold).
 */
const ROTATE = new LuaScript(`
local s = redis.call('HMGET', KEYS[1], 'u', 'cur', 'prev', 'rot', 'rj', 'aj', 'iat', 'abs')
local user = s[1]
if not user then return {'unknown'} end
${LUA_NOW_MS}
if now >= tonumber(s[8]) then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', 'sessions:' .. user, string.sub(KEYS[1], 9))
  return {'expired'}
end
if ARGV[1] == s[2] or ARGV[9] == s[2] then
  redis.call('HSET', KEYS[1], 'prev', s[2], 'cur', ARGV[2], 'rot', now, 'rj', ARGV[3], 'aj', ARGV[4], 'iat', ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.min(tonumber(ARGV[7]), tonumber(s[8]) - now))
  return {'rotated', user}
end
if (ARGV[1] == s[3] or ARGV[9] == s[3]) and now - tonumber(s[4]) <= tonumber(ARGV[6]) then
  return {'grace', user, s[5], s[6], s[7]}
end
redis.call('DEL', KEYS[1])
redis.call('SREM', 'sessions:' .. user, string.sub(KEYS[1], 9))
redis.call('SET', 'revoked-family:' .. string.sub(KEYS[1], 9), '1', 'PX', ARGV[8])
return {'reuse', user}
`);

/**
 * KEYS: deny, valid-after, revoked-family, revocations-known. ARGV: issued at ms. Returns 1 when revoked, 0 when
 * not, 2 when this Redis does not hold the user's complete record (it lost its data): PostgreSQL must answer.
 */
const IS_REVOKED = new LuaScript(`
if redis.call('EXISTS', KEYS[1], KEYS[3]) > 0 then return 1 end
local after = tonumber(redis.call('GET', KEYS[2]))
if after and tonumber(ARGV[1]) < after then return 1 end
if redis.call('GET', KEYS[4]) == '1' then return 0 end
return 2
`);

/** KEYS: user sessions set, valid-after. ARGV: cut-off ttl ms. Returns the cut-off (Redis's clock, epoch ms). */
const REVOKE_USER = new LuaScript(`
${LUA_NOW_MS}
for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do redis.call('DEL', 'session:' .. family) end
redis.call('DEL', KEYS[1])
local after = tonumber(redis.call('GET', KEYS[2]))
if not after or after < now then redis.call('SET', KEYS[2], now, 'PX', ARGV[1]) end
return now
`);

/**
 * KEYS: revocations-known, valid-after, then revoked-family and deny keys. ARGV: nonce, ttl ms of the record,
 * cut-off ('' for none), its ttl ms, then the ttl ms of each key from KEYS[3]. Adds only: a revocation written
 * while the load read PostgreSQL stays, and a later cut-off is kept. A nonce that is no longer there (another
 * load started, or Redis lost its data meanwhile) stores nothing: what was read may predate the loss.
 */
const COMPLETE_LOAD = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then
  local after = tonumber(redis.call('GET', KEYS[2]))
  if not after or after < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4]) end
end
for i = 3, #KEYS do redis.call('SET', KEYS[i], '1', 'PX', ARGV[i + 2], 'NX') end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
return 1
`);

@Injectable()
export class RedisSessionStore extends SessionStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async create(f: NewFamily): Promise<void> {
    const ttl = Math.min(f.idleTtlMs, f.absoluteExpiresAtMs - Date.now());
    await this.redis.run((client) =>
      client
        .multi()
        .hSet(sessionKey(f.familyId), {
          u: f.userId,
          cur: f.refreshHash,
          rj: f.pair.refreshJti,
          aj: f.pair.accessJti,
          iat: f.pair.issuedAtMs,
          abs: f.absoluteExpiresAtMs,
        })
        .pExpire(sessionKey(f.familyId), ttl)
        .sAdd(userSessionsKey(f.userId), f.familyId)
        // The newest family has the latest absolute expiry, so this only ever extends the set's life.
        .pExpire(userSessionsKey(f.userId), f.absoluteExpiresAtMs - Date.now())
        .exec(),
    );
  }

  async rotate(r: Rotation): Promise<RotationOutcome> {
    const reply = await this.redis.run((client) =>
      ROTATE.run<string[]>(client, [sessionKey(r.familyId)], [
        r.presentedHash,
        r.nextHash,
        r.next.refreshJti,
        r.next.accessJti,
        r.next.issuedAtMs,
        r.graceMs,
        r.idleTtlMs,
        r.accessTtlMs,
        r.presentedLegacyHash,
      ]),
    );
    const [status, userId, refreshJti, accessJti, issuedAtMs] = reply;
    switch (status) {
      case 'rotated':
      case 'reuse':
        return { status, userId };
      case 'grace':
        return { status, userId, pair: { refreshJti, accessJti, issuedAtMs: Number(issuedAtMs) } };
      case 'expired':
        return { status };
      default:
        return { status: 'unknown' };
    }
  }

  async revokeFamily(familyId: string, accessTtlMs: number): Promise<string | undefined> {
    const userId = await this.redis.run((client) => client.hGet(sessionKey(familyId), 'u'));
    await this.redis.run((client) => {
      const multi = client.multi().set(revokedFamilyKey(familyId), '1', { PX: accessTtlMs }).del(sessionKey(familyId));
      return (userId ? multi.sRem(userSessionsKey(userId), familyId) : multi).exec();
    });
    return userId ?? undefined;
  }

  async revokeUser(userId: string, cutoffTtlMs: number): Promise<number> {
    return this.redis.run((client) => REVOKE_USER.run<number>(client, [userSessionsKey(userId), validAfterKey(userId)], [cutoffTtlMs]));
  }

  async denyAccess(jti: string, ttlMs: number): Promise<void> {
    if (ttlMs > 0) await this.redis.run((client) => client.set(denyKey(jti), '1', { PX: ttlMs }));
  }

  async isAccessRevoked(jti: string, userId: string, issuedAtMs: number, familyId: string): Promise<boolean | undefined> {
    const answer = await this.redis.run((client) =>
      IS_REVOKED.run<number>(client, [denyKey(jti), validAfterKey(userId), revokedFamilyKey(familyId), revocationsKnownKey(userId)], [issuedAtMs]),
    );
    return answer === 2 ? undefined : answer === 1;
  }

  async beginLoad(userId: string, nonce: string, ttlMs: number): Promise<void> {
    await this.redis.run((client) => client.set(revocationsKnownKey(userId), nonce, { PX: ttlMs }));
  }

  async completeLoad(userId: string, nonce: string, r: UserRevocations, ttlMs: number): Promise<void> {
    const now = Date.now();
    const ended = [
      ...r.sessions.map((session) => ({ key: revokedFamilyKey(session.id), ttl: session.untilMs - now })),
      ...r.accessTokens.map((token) => ({ key: denyKey(token.id), ttl: token.untilMs - now })),
    ].filter((entry) => entry.ttl > 0);
    const cutoffTtl = r.cutoffMs === undefined ? 0 : (r.cutoffUntilMs ?? 0) - now;
    const cutoff = cutoffTtl > 0 ? [String(r.cutoffMs), cutoffTtl] : ['', 1];
    await this.redis.run((client) =>
      COMPLETE_LOAD.run(
        client,
        [revocationsKnownKey(userId), validAfterKey(userId), ...ended.map((entry) => entry.key)],
        [nonce, ttlMs, ...cutoff, ...ended.map((entry) => entry.ttl)],
      ),
    );
  }
}
