import { ConfigService } from '@nestjs/config';
import { InProcessOtpStore } from '../src/otp/infrastructure/in-process-otp.store.js';
import { RedisOtpStore } from '../src/otp/infrastructure/redis-otp.store.js';
import { OtpPurpose } from '../src/otp/otp-purpose.js';
import { SMS_DAY_KEY, smsPrefixKey, type IssuePolicy, type OtpStore, type VerifyPolicy } from '../src/otp/otp.store.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { InProcessVerificationTokenStore } from '../src/verification-tokens/infrastructure/in-process-verification-token.store.js';
import { RedisVerificationTokenStore } from '../src/verification-tokens/infrastructure/redis-verification-token.store.js';
import type { VerificationTokenStore } from '../src/verification-tokens/verification-token.store.js';
import { build } from './support/builders.js';
import { describeWhen } from './support/describe-when.js';
import { hasRedisServer, ThrowawayRedis } from './support/redis-server.js';

/**
 * The embedded default's in-process stores must keep the Redis scripts' rules exactly: one table of
 * cases, run against both adapters (Redis: REDIS_URL's, as in CI, else a throwaway redis-server).
 */
const policy: IssuePolicy = { ttlMs: 60_000, cooldownMs: 30_000, perHour: 100, perDay: 100 };
const checks = (maxAttempts: number, issue = policy): VerifyPolicy => ({
  maxAttempts,
  lockoutAfterKilledCodes: 100,
  lockoutWindowMs: 3_600_000,
  lockoutMs: 900_000,
  issue,
});
/** A number from `low` to `high` (waits, measured by the store's clock). */
const within = (low: number, high: number) => ({
  asymmetricMatch: (actual: unknown) => typeof actual === 'number' && actual >= low && actual <= high,
  toAsymmetricMatcher: () => `a number from ${low} to ${high}`,
});
const cooldown = (ms: number) => ({ afterMs: within(ms - 1_000, ms), limit: 'cooldown' });

async function redisConnection(redisUrl: string): Promise<RedisConnection> {
  const config = { getOrThrow: (key: string) => (key === 'backends' ? { redisUrl } : 1000) };
  const connection = new RedisConnection(config as unknown as ConfigService<never, true>);
  await connection.onModuleInit();
  return connection;
}

const storesSuite = (kind: 'in-process' | 'redis') => () => {
  const throwaway = kind === 'redis' && !process.env.REDIS_URL ? new ThrowawayRedis() : undefined;
  let redis: RedisConnection | undefined;
  let otp: OtpStore;
  let tokens: VerificationTokenStore;

  beforeAll(async () => {
    await throwaway?.start();
    redis = kind === 'redis' ? await redisConnection(throwaway?.url ?? process.env.REDIS_URL!) : undefined;
    otp = redis ? new RedisOtpStore(redis) : new InProcessOtpStore();
    tokens = redis ? new RedisVerificationTokenStore(redis) : new InProcessVerificationTokenStore();
  });
  afterAll(async () => {
    (otp as Partial<InProcessOtpStore>).onModuleDestroy?.();
    (tokens as Partial<InProcessVerificationTokenStore>).onModuleDestroy?.();
    await redis?.onApplicationShutdown();
    await throwaway?.stop();
  });

  const slot = () => ({ purpose: OtpPurpose.LOGIN, identifier: build.email() });

  it('issues, refuses within the cooldown with the time left, and verifies once', async () => {
    const s = slot();
    expect(await otp.issue(s, 'hash-1', policy)).toEqual({ issued: true });
    const again = await otp.issue(s, 'hash-2', policy);
    expect(again.issued).toBe(false);
    expect(!again.issued && again.retryAfterMs).toBeGreaterThan(29_000);
    expect(await otp.verify(s, 'hash-1', checks(5))).toEqual({ status: 'verified' });
    expect(await otp.verify(s, 'hash-1', checks(5))).toEqual({ status: 'none' });
  });

  it('counts mismatches, then reports exhaustion even for the right hash', async () => {
    const s = slot();
    await otp.issue(s, 'right', policy);
    expect(await otp.verify(s, 'wrong', checks(3))).toEqual({ status: 'mismatch', attemptsRemaining: 2 });
    expect(await otp.verify(s, 'righ', checks(3))).toEqual({ status: 'mismatch', attemptsRemaining: 1 });
    expect(await otp.verify(s, 'wrong', checks(3))).toEqual({ status: 'exhausted', justLocked: true, identifierLocked: false, nextCode: cooldown(30_000) });
    expect(await otp.verify(s, 'right', checks(3))).toEqual({ status: 'exhausted', justLocked: false, identifierLocked: false, nextCode: cooldown(30_000) });
  });

  it('reports expiry of an unused code, and nothing for a slot never issued', async () => {
    const s = slot();
    await otp.issue(s, 'h', { ...policy, ttlMs: 50, cooldownMs: 0 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await otp.verify(s, 'h', checks(5))).toEqual({ status: 'expired' });
    expect(await otp.verify(slot(), 'h', checks(5))).toEqual({ status: 'none' });
  });

  it('allows perHour codes per slot, then refuses until the hour from the first one is over', async () => {
    const s = slot();
    const hourly = { ...policy, cooldownMs: 0, perHour: 3, perDay: 10 };
    for (let i = 0; i < 3; i++) expect(await otp.issue(s, `h${i}`, hourly)).toEqual({ issued: true });
    const refused = await otp.issue(s, 'h3', hourly);
    expect(refused).toMatchObject({ issued: false, reason: 'hourly' });
    expect(!refused.issued && refused.retryAfterMs).toBeGreaterThan(3_590_000);
    // The refused request replaced nothing: the last issued code still verifies.
    expect(await otp.verify(s, 'h2', checks(5))).toEqual({ status: 'verified' });
    expect(await otp.issue({ ...s, purpose: OtpPurpose.REGISTER }, 'other', hourly)).toEqual({ issued: true });
  });

  it('allows perDay codes per slot', async () => {
    const s = slot();
    const daily = { ...policy, cooldownMs: 0, perHour: 10, perDay: 2 };
    await otp.issue(s, 'a', daily);
    await otp.issue(s, 'b', daily);
    const refused = await otp.issue(s, 'c', daily);
    expect(refused).toMatchObject({ issued: false, reason: 'daily' });
    expect(!refused.issued && refused.retryAfterMs).toBeGreaterThan(86_390_000);
  });

  it('locks the slot after N killed codes within the window, for verify and issue alike', async () => {
    const s = slot();
    const quick = { ...policy, cooldownMs: 0 };
    const lockAfter2 = { ...checks(2, quick), lockoutAfterKilledCodes: 2 };
    await otp.issue(s, 'one', quick);
    await otp.verify(s, 'x', lockAfter2);
    expect(await otp.verify(s, 'x', lockAfter2)).toEqual({ status: 'exhausted', justLocked: true, identifierLocked: false, nextCode: { afterMs: 0 } });
    await otp.issue(s, 'two', quick);
    await otp.verify(s, 'x', lockAfter2);
    expect(await otp.verify(s, 'x', lockAfter2)).toEqual({
      status: 'exhausted',
      justLocked: true,
      identifierLocked: true,
      nextCode: { afterMs: within(899_000, 900_000), limit: 'locked' },
    });
    const issue = await otp.issue(s, 'three', quick);
    expect(issue).toMatchObject({ issued: false, reason: 'locked' });
    expect(!issue.issued && issue.retryAfterMs).toBeGreaterThan(899_000);
    expect(await otp.verify(s, 'two', lockAfter2)).toMatchObject({ status: 'locked' });
    // Another purpose of the same identifier is not locked.
    expect(await otp.issue({ ...s, purpose: OtpPurpose.REGISTER }, 'r', quick)).toEqual({ issued: true });
  });

  it('lifts the lock when it ends', async () => {
    const s = slot();
    const shortLock = { ...checks(1, { ...policy, cooldownMs: 0 }), lockoutAfterKilledCodes: 1, lockoutMs: 100 };
    await otp.issue(s, 'one', { ...policy, cooldownMs: 0 });
    expect(await otp.verify(s, 'x', shortLock)).toMatchObject({ status: 'exhausted', justLocked: true, identifierLocked: true, nextCode: { limit: 'locked' } });
    expect(await otp.issue(s, 'two', { ...policy, cooldownMs: 0 })).toMatchObject({ issued: false, reason: 'locked' });
    await new Promise((r) => setTimeout(r, 150));
    expect(await otp.issue(s, 'two', { ...policy, cooldownMs: 0 })).toEqual({ issued: true });
    expect(await otp.verify(s, 'two', shortLock)).toEqual({ status: 'verified' });
  });

  it('counts a slot that shares limits against the other purposes too, and obeys their locks', async () => {
    const identifier = build.email();
    const login = { purpose: OtpPurpose.LOGIN, identifier };
    const shared = { purpose: OtpPurpose.PHONE_SIGN_IN, identifier };
    const twoPerHour = { ...policy, cooldownMs: 0, perHour: 2 };
    expect(await otp.issue(login, 'l1', twoPerHour)).toEqual({ issued: true });
    expect(await otp.issue(shared, 's1', twoPerHour)).toEqual({ issued: true });
    expect(await otp.issue(login, 'l2', twoPerHour)).toMatchObject({ issued: false, reason: 'hourly' });
    expect(await otp.issue(shared, 's2', twoPerHour)).toMatchObject({ issued: false, reason: 'hourly' });

    const other = build.email();
    const quick = { ...policy, cooldownMs: 0 };
    const lockAfter2 = { ...checks(1, quick), lockoutAfterKilledCodes: 2 };
    await otp.issue({ purpose: OtpPurpose.LOGIN, identifier: other }, 'l', quick);
    expect(await otp.verify({ purpose: OtpPurpose.LOGIN, identifier: other }, 'x', lockAfter2)).toMatchObject({ identifierLocked: false });
    const sharedOther = { purpose: OtpPurpose.PHONE_SIGN_IN, identifier: other };
    await otp.issue(sharedOther, 's', quick);
    // One killed code of each: LOGIN's count reaches 2 and locks; the shared slot obeys that lock.
    expect(await otp.verify(sharedOther, 'x', lockAfter2)).toMatchObject({ status: 'exhausted', justLocked: true, identifierLocked: true, nextCode: { limit: 'locked' } });
    expect(await otp.issue(sharedOther, 's2', quick)).toMatchObject({ issued: false, reason: 'locked' });
    expect(await otp.issue({ purpose: OtpPurpose.LOGIN, identifier: other }, 'l2', quick)).toMatchObject({ issued: false, reason: 'locked' });
    expect(await otp.verify(sharedOther, 's', lockAfter2)).toMatchObject({ status: 'locked' });
    expect(await otp.issue({ purpose: OtpPurpose.REGISTER, identifier: other }, 'r', quick)).toEqual({ issued: true });
  });

  it('caps SMS codes per day for the whole service and per destination prefix', async () => {
    await redis?.client?.del([SMS_DAY_KEY, smsPrefixKey('999001'), smsPrefixKey('999002')]);
    const sms = (prefix: string, dailyCap: number, prefixLimit: number): IssuePolicy => ({
      ...policy,
      sms: { prefix, dailyCap, prefixLimit, prefixWindowMs: 60_000 },
    });
    expect(await otp.issue(slot(), 'a', sms('999001', 100, 2))).toEqual({ issued: true });
    expect(await otp.issue(slot(), 'b', sms('999001', 100, 2))).toEqual({ issued: true });
    const prefix = await otp.issue(slot(), 'c', sms('999001', 100, 2));
    expect(prefix).toMatchObject({ issued: false, reason: 'sms-prefix' });
    expect(!prefix.issued && prefix.retryAfterMs).toBeGreaterThan(50_000);
    expect(await otp.issue(slot(), 'd', sms('999002', 100, 2))).toEqual({ issued: true });
    // Three SMS went out today; a cap of 3 refuses the fourth until the next UTC midnight.
    const capped = await otp.issue(slot(), 'e', sms('999002', 3, 0));
    expect(capped).toMatchObject({ issued: false, reason: 'sms-daily-cap' });
    const untilMidnight = 86_400_000 - (Date.now() % 86_400_000);
    expect(!capped.issued && Math.abs(capped.retryAfterMs - untilMidnight)).toBeLessThan(5_000);
    // Email codes (no sms policy) are not capped.
    expect(await otp.issue(slot(), 'f', policy)).toEqual({ issued: true });
  });

  it('says when the slot of a dead code can have a new one: the longest wait of every limit, and its limit', async () => {
    const kill = async (issuePolicy: IssuePolicy, verify: Partial<VerifyPolicy> = {}) => {
      const s = slot();
      expect(await otp.issue(s, 'code', issuePolicy)).toEqual({ issued: true });
      const outcome = await otp.verify(s, 'wrong', { ...checks(1, issuePolicy), ...verify });
      return outcome.status === 'exhausted' ? outcome.nextCode : fail(`not exhausted: ${outcome.status}`);
    };
    expect(await kill({ ...policy, cooldownMs: 0 })).toEqual({ afterMs: 0 });
    expect(await kill(policy)).toEqual(cooldown(30_000));
    expect(await kill({ ...policy, perHour: 1 })).toEqual({ afterMs: within(3_599_000, 3_600_000), limit: 'hourly' });
    expect(await kill({ ...policy, perHour: 5, perDay: 1 })).toEqual({ afterMs: within(86_399_000, 86_400_000), limit: 'daily' });
    expect(await kill(policy, { lockoutAfterKilledCodes: 1, lockoutMs: 60_000 })).toEqual({ afterMs: within(59_000, 60_000), limit: 'locked' });
    const prefix = String(Date.now()).slice(-6);
    const sms = { ...policy, cooldownMs: 0, sms: { prefix, dailyCap: 0, prefixLimit: 1, prefixWindowMs: 120_000 } };
    expect(await kill(sms)).toEqual({ afterMs: within(119_000, 120_000), limit: 'sms-prefix' });
    await redis?.client?.del(smsPrefixKey(prefix));
  });

  it('refuses a new code with the longest wait of the limits it meets, not the first one checked', async () => {
    const s = slot();
    const onePerHour = { ...policy, perHour: 1 };
    await otp.issue(s, 'one', onePerHour);
    // Both the 30 s cooldown and the hourly limit refuse: waiting only the cooldown would be refused again.
    expect(await otp.issue(s, 'two', onePerHour)).toEqual({ issued: false, reason: 'hourly', retryAfterMs: within(3_599_000, 3_600_000) });
  });

  it('keeps its word: a new code is refused before the advertised wait and issued after it', async () => {
    const s = slot();
    const short = { ...policy, cooldownMs: 300 };
    await otp.issue(s, 'one', short);
    const dead = await otp.verify(s, 'wrong', checks(1, short));
    const { afterMs } = dead.status === 'exhausted' ? dead.nextCode : fail('not exhausted');
    expect(afterMs).toBeGreaterThan(0);
    expect(await otp.issue(s, 'early', short)).toMatchObject({ issued: false, reason: 'cooldown' });
    await new Promise((r) => setTimeout(r, afterMs));
    expect(await otp.issue(s, 'two', short)).toEqual({ issued: true });
  });

  it('takes a verification token once, only with its binding, and restores it', async () => {
    const hash = build.username('t');
    await tokens.save(hash, 'LOGIN:a@example.com', 10_000);
    expect(await tokens.take(hash, 'REGISTER:a@example.com')).toBeUndefined();
    const left = await tokens.take(hash, 'LOGIN:a@example.com');
    expect(left).toBeGreaterThan(9_000);
    expect(await tokens.take(hash, 'LOGIN:a@example.com')).toBeUndefined();
    await tokens.restore(hash, 'LOGIN:a@example.com', left!);
    expect(await tokens.take(hash, 'LOGIN:a@example.com')).toBeGreaterThan(8_000);
  });
};

describe('in-process stores', storesSuite('in-process'));
describeWhen(Boolean(process.env.REDIS_URL) || hasRedisServer, 'needs REDIS_URL or the redis-server binary')('redis stores', storesSuite('redis'));

function fail(message: string): never {
  throw new Error(message);
}
