import { ConfigService } from '@nestjs/config';
import { InProcessOtpStore } from '../src/otp/infrastructure/in-process-otp.store.js';
import { RedisOtpStore } from '../src/otp/infrastructure/redis-otp.store.js';
import { OtpPurpose } from '../src/otp/otp-purpose.js';
import type { OtpStore } from '../src/otp/otp.store.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { InProcessVerificationTokenStore } from '../src/verification-tokens/infrastructure/in-process-verification-token.store.js';
import { RedisVerificationTokenStore } from '../src/verification-tokens/infrastructure/redis-verification-token.store.js';
import type { VerificationTokenStore } from '../src/verification-tokens/verification-token.store.js';
import { build } from './support/builders.js';

/**
 * The embedded default's in-process stores must keep the Redis scripts' rules exactly: one table of
 * cases, run against both adapters (Redis when REDIS_URL is set, as in CI).
 */
const policy = { ttlMs: 60_000, cooldownMs: 30_000 };

async function redisConnection(): Promise<RedisConnection> {
  const config = { getOrThrow: (key: string) => (key === 'backends' ? { redisUrl: process.env.REDIS_URL } : 1000) };
  const connection = new RedisConnection(config as unknown as ConfigService<never, true>);
  await connection.onModuleInit();
  return connection;
}

const kinds = process.env.REDIS_URL ? ['in-process', 'redis'] : ['in-process'];

describe.each(kinds)('%s stores', (kind) => {
  let redis: RedisConnection | undefined;
  let otp: OtpStore;
  let tokens: VerificationTokenStore;

  beforeAll(async () => {
    redis = kind === 'redis' ? await redisConnection() : undefined;
    otp = redis ? new RedisOtpStore(redis) : new InProcessOtpStore();
    tokens = redis ? new RedisVerificationTokenStore(redis) : new InProcessVerificationTokenStore();
  });
  afterAll(async () => {
    (otp as Partial<InProcessOtpStore>).onModuleDestroy?.();
    (tokens as Partial<InProcessVerificationTokenStore>).onModuleDestroy?.();
    await redis?.onApplicationShutdown();
  });

  const slot = () => ({ purpose: OtpPurpose.LOGIN, identifier: build.email() });

  it('issues, refuses within the cooldown with the time left, and verifies once', async () => {
    const s = slot();
    expect(await otp.issue(s, 'hash-1', policy)).toEqual({ issued: true });
    const again = await otp.issue(s, 'hash-2', policy);
    expect(again.issued).toBe(false);
    expect(!again.issued && again.retryAfterMs).toBeGreaterThan(29_000);
    expect(await otp.verify(s, 'hash-1', 5)).toEqual({ status: 'verified' });
    expect(await otp.verify(s, 'hash-1', 5)).toEqual({ status: 'none' });
  });

  it('counts mismatches, then reports exhaustion even for the right hash', async () => {
    const s = slot();
    await otp.issue(s, 'right', policy);
    expect(await otp.verify(s, 'wrong', 3)).toEqual({ status: 'mismatch', attemptsRemaining: 2 });
    expect(await otp.verify(s, 'righ', 3)).toEqual({ status: 'mismatch', attemptsRemaining: 1 });
    expect(await otp.verify(s, 'wrong', 3)).toEqual({ status: 'exhausted', justLocked: true });
    expect(await otp.verify(s, 'right', 3)).toEqual({ status: 'exhausted', justLocked: false });
  });

  it('reports expiry of an unused code, and nothing for a slot never issued', async () => {
    const s = slot();
    await otp.issue(s, 'h', { ttlMs: 50, cooldownMs: 0 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await otp.verify(s, 'h', 5)).toEqual({ status: 'expired' });
    expect(await otp.verify(slot(), 'h', 5)).toEqual({ status: 'none' });
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
});
