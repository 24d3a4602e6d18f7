import type { ConfigService } from '@nestjs/config';
import type { AuditService } from '../audit/audit.service.js';
import { RateLimitedError } from '../common/errors/domain-error.js';
import type { Configuration } from '../config/configuration.js';
import { readLimitsConfig } from '../config/limits.config.js';
import { LimitMetrics } from '../rate-limits/limit-metrics.js';
import { OtpPurpose } from './otp-purpose.js';
import { OtpAttemptsExceededError, OtpExpiredError, OtpInvalidError } from './otp.errors.js';
import { OtpService } from './otp.service.js';
import { OtpStore, type IssueOutcome, type IssuePolicy, type OtpSlot, type VerifyOutcome, type VerifyPolicy } from './otp.store.js';

/** A store that records what it is asked and answers from a script; any call it was not given fails. */
class ScriptedOtpStore extends OtpStore {
  readonly issued: { slot: OtpSlot; hash: string; policy: IssuePolicy }[] = [];
  readonly verified: { slot: OtpSlot; hash: string; policy: VerifyPolicy }[] = [];
  issueOutcomes: IssueOutcome[] = [];
  verifyOutcomes: VerifyOutcome[] = [];

  async issue(slot: OtpSlot, hash: string, policy: IssuePolicy): Promise<IssueOutcome> {
    this.issued.push({ slot, hash, policy });
    return this.issueOutcomes.shift() ?? fail('unexpected issue()');
  }

  async verify(slot: OtpSlot, hash: string, policy: VerifyPolicy): Promise<VerifyOutcome> {
    this.verified.push({ slot, hash, policy });
    return this.verifyOutcomes.shift() ?? fail('unexpected verify()');
  }
}

function fail(message: string): never {
  throw new Error(message);
}

const otpConfig = { length: 6, ttlSeconds: 120, maxAttempts: 5, resendCooldownSeconds: 60, hmacSecret: 's'.repeat(32), debugEcho: false };
const limits = readLimitsConfig({});
const config = {
  getOrThrow: (key: string) => (key === 'otp' ? otpConfig : key === 'limits' ? limits : fail(`config ${key}`)),
} as unknown as ConfigService<Configuration, true>;
const slot: OtpSlot = { purpose: OtpPurpose.LOGIN, identifier: '+8801719159900' };

describe('OtpService', () => {
  let store: ScriptedOtpStore;
  let service: OtpService;
  let audited: unknown[];
  let metrics: LimitMetrics;

  beforeEach(() => {
    store = new ScriptedOtpStore();
    audited = [];
    metrics = new LimitMetrics();
    service = new OtpService(store, { record: async (e: unknown) => void audited.push(e) } as unknown as AuditService, metrics, config);
  });

  it('issues a 6-digit code and stores its keyed hash, never the code', async () => {
    store.issueOutcomes = [{ issued: true }];
    const issued = await service.issue(slot, true);
    expect(issued).toEqual({ code: expect.stringMatching(/^\d{6}$/), expiresInSeconds: 120, resendInSeconds: 60 });
    const [{ hash, policy }] = store.issued;
    expect(hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(hash).not.toContain(issued.code);
    expect(policy).toEqual({ ttlMs: 120_000, cooldownMs: 60_000, perHour: 5, perDay: 10, sms: { prefix: '880171', dailyCap: 10_000, prefixLimit: 50, prefixWindowMs: 600_000 } });
  });

  it('stores the same hash that verify later computes for that code and slot', async () => {
    store.issueOutcomes = [{ issued: true }];
    store.verifyOutcomes = [{ status: 'verified' }];
    const { code } = await service.issue(slot, true);
    await service.verify(slot, code);
    expect(store.verified[0].hash).toBe(store.issued[0].hash);
    expect(store.verified[0].policy).toEqual({
      maxAttempts: 5,
      lockoutAfterKilledCodes: 3,
      lockoutWindowMs: 3_600_000,
      lockoutMs: 900_000,
      // What the next code for the slot will be issued under, so the store can say when that can be.
      issue: store.issued[0].policy,
    });
  });

  it('binds the hash to the slot: the same code hashes differently for another purpose', async () => {
    store.issueOutcomes = [{ issued: true }];
    store.verifyOutcomes = [{ status: 'none' }];
    const { code } = await service.issue(slot, true);
    await expect(service.verify({ ...slot, purpose: OtpPurpose.REGISTER }, code)).rejects.toBeInstanceOf(OtpInvalidError);
    expect(store.verified[0].hash).not.toBe(store.issued[0].hash);
  });

  it('stores an unmatchable hash for a phantom flow', async () => {
    store.issueOutcomes = [{ issued: true }];
    store.verifyOutcomes = [{ status: 'mismatch', attemptsRemaining: 4 }];
    const { code } = await service.issue(slot, false);
    await expect(service.verify(slot, code)).rejects.toBeInstanceOf(OtpInvalidError);
    expect(store.verified[0].hash).not.toBe(store.issued[0].hash);
  });

  it('turns a cooldown into RATE_LIMITED with whole seconds, and counts it', async () => {
    store.issueOutcomes = [{ issued: false, reason: 'cooldown', retryAfterMs: 41_200 }];
    const error = await service.issue(slot, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).details).toEqual({ retry_after_seconds: 42, limit: 'identifier-cooldown' });
    expect((error as RateLimitedError).headers).toEqual({ 'Retry-After': '42' });
    expect(metrics.refusedCount('identifier-cooldown')).toBe(1);
  });

  it('gives email codes no SMS policy', async () => {
    store.issueOutcomes = [{ issued: true }];
    await service.issue({ purpose: OtpPurpose.LOGIN, identifier: 'a@example.com' }, true);
    expect(store.issued[0].policy.sms).toBeUndefined();
  });

  it.each([
    ['hourly', 'identifier-hourly'],
    ['daily', 'identifier-daily'],
    ['locked', 'identifier-locked'],
    ['sms-daily-cap', 'sms-daily-cap'],
    ['sms-prefix', 'sms-prefix'],
  ] as const)('names the %s refusal in details.limit', async (reason, limit) => {
    store.issueOutcomes = [{ issued: false, reason, retryAfterMs: 500 }];
    const error = (await service.issue(slot, true).catch((e: unknown) => e)) as RateLimitedError;
    expect(error.details).toEqual({ retry_after_seconds: 1, limit });
    expect(metrics.refusedCount(limit)).toBe(1);
  });

  it('audits and counts the killed code that locks the identifier', async () => {
    store.verifyOutcomes = [{ status: 'exhausted', justLocked: true, identifierLocked: true, nextCode: { afterMs: 900_000, limit: 'locked' } }];
    await expect(service.verify(slot, '000000')).rejects.toBeInstanceOf(OtpAttemptsExceededError);
    expect(audited).toEqual([
      { type: 'otp_locked', details: { purpose: 'LOGIN', identifier: '+88017*****900' } },
      { type: 'otp_identifier_locked', details: { purpose: 'LOGIN', identifier: '+88017*****900', killed_codes: 3, locked_for_seconds: 900 } },
    ]);
    expect(metrics.toPrometheus()).toContain('otpgate_otp_locks_total{scope="identifier"} 1');
  });

  it('audits the attempt that locks a code, with the identifier masked, and only that one', async () => {
    store.verifyOutcomes = [
      { status: 'exhausted', justLocked: true, identifierLocked: false, nextCode: { afterMs: 59_000, limit: 'cooldown' } },
      { status: 'exhausted', justLocked: false, identifierLocked: false, nextCode: { afterMs: 58_000, limit: 'cooldown' } },
    ];
    await expect(service.verify(slot, '000000')).rejects.toBeInstanceOf(OtpAttemptsExceededError);
    await expect(service.verify(slot, '000000')).rejects.toBeInstanceOf(OtpAttemptsExceededError);
    expect(audited).toEqual([{ type: 'otp_locked', details: { purpose: 'LOGIN', identifier: '+88017*****900' } }]);
  });

  const outcomes: [VerifyOutcome, new (...args: never[]) => Error, object | undefined][] = [
    [{ status: 'mismatch', attemptsRemaining: 2 }, OtpInvalidError, { attempts_remaining: 2 }],
    [{ status: 'none' }, OtpInvalidError, undefined],
    [{ status: 'expired' }, OtpExpiredError, undefined],
    [{ status: 'exhausted', justLocked: false, identifierLocked: false, nextCode: { afterMs: 0 } }, OtpAttemptsExceededError, { retry_after_seconds: 0 }],
    [{ status: 'locked', retryAfterMs: 899_001 }, RateLimitedError, { retry_after_seconds: 900, limit: 'identifier-locked' }],
  ];

  it.each([
    [{ afterMs: 41_200, limit: 'cooldown' as const }, 42, 'Too many wrong codes; this code no longer works. A new one can be requested in 42 s'],
    [{ afterMs: 900_000, limit: 'locked' as const }, 900, 'A new one can be requested in 900 s: too many codes for this identifier were killed'],
    [{ afterMs: 3_000_001, limit: 'hourly' as const }, 3001, 'A new one can be requested in 3001 s: this identifier has had its codes for this hour'],
    [{ afterMs: 0 }, 0, 'Too many wrong codes; this code no longer works, request a new one'],
  ])('says when a new code can be requested after a dead one (%j)', async (nextCode, seconds, message) => {
    store.verifyOutcomes = [{ status: 'exhausted', justLocked: false, identifierLocked: false, nextCode }];
    const error = (await service.verify(slot, '123456').catch((e: unknown) => e)) as OtpAttemptsExceededError;
    expect(error).toBeInstanceOf(OtpAttemptsExceededError);
    expect(error.status).toBe(429);
    expect(error.details).toEqual({ retry_after_seconds: seconds });
    expect(error.headers).toEqual({ 'Retry-After': String(seconds) });
    expect(error.message).toContain(message);
  });

  it.each(outcomes)('maps %j to its error', async (outcome, type, details) => {
    store.verifyOutcomes = [outcome];
    const error = await service.verify(slot, '123456').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as OtpInvalidError).details).toEqual(details);
  });
});
