import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
import {
  DAY_MS,
  HOUR_MS,
  OtpStore,
  limitKeys,
  otpKey,
  type IssueOutcome,
  type IssuePolicy,
  type IssueRefusal,
  type NextCode,
  type OtpSlot,
  type VerifyOutcome,
  type VerifyPolicy,
} from '../otp.store.js';

interface PendingCode {
  hash: string;
  attempts: number;
}

/** What the Redis scripts keep in `otp-sent:<PURPOSE>:<identifier>`. */
interface SentRecord {
  last: number;
  expiresAt?: number;
  hourStart: number;
  hourCount: number;
  dayStart: number;
  dayCount: number;
  killStart: number;
  killCount: number;
  lockedUntil: number;
}

/**
 * The embedded default's OtpStore: the same rules as the Redis scripts, each operation one synchronous
 * (so atomic) step. It serves one process, which is all the embedded default runs.
 */
@Injectable()
export class InProcessOtpStore extends OtpStore implements OnModuleDestroy {
  private readonly codes = new ExpiringMap<PendingCode>();
  private readonly sent = new ExpiringMap<SentRecord>();
  private readonly smsPrefixes = new ExpiringMap<number>();
  private smsDay = { day: -1, count: 0 };

  async issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome> {
    const now = Date.now();
    const keys = limitKeys(slot);
    const records = keys.map((key) => ({ key, ...(this.sent.get(key) ?? emptyRecord()) }));
    const wait = this.nextCode(records, policy, now);
    if (wait.limit) return { issued: false, reason: wait.limit, retryAfterMs: wait.afterMs };
    for (const record of records) {
      if (now - record.hourStart >= HOUR_MS) Object.assign(record, { hourStart: now, hourCount: 0 });
      if (now - record.dayStart >= DAY_MS) Object.assign(record, { dayStart: now, dayCount: 0 });
    }
    if (policy.sms) {
      const { prefix, prefixLimit, prefixWindowMs } = policy.sms;
      const today = Math.floor(now / DAY_MS);
      if (prefixLimit > 0) {
        const count = this.smsPrefixes.get(prefix) ?? 0;
        if (count === 0) this.smsPrefixes.set(prefix, 1, prefixWindowMs);
        else this.smsPrefixes.update(prefix, count + 1);
      }
      this.smsDay = { day: today, count: this.smsSentOn(today) + 1 };
    }
    this.codes.set(otpKey(slot), { hash: codeHash, attempts: 0 }, policy.ttlMs);
    const expiresAt = now + policy.ttlMs;
    const own = records[0];
    Object.assign(own, { last: now, expiresAt });
    for (const { key, ...record } of records) {
      const updated = { ...record, hourCount: record.hourCount + 1, dayCount: record.dayCount + 1 };
      const keep = Math.max(record.dayStart + DAY_MS, record.hourStart + HOUR_MS, expiresAt, now + policy.cooldownMs) - now;
      this.sent.set(key, updated, Math.max(keep, this.sent.ttl(key)));
    }
    return { issued: true };
  }

  async verify(slot: OtpSlot, codeHash: string, policy: VerifyPolicy): Promise<VerifyOutcome> {
    const now = Date.now();
    const key = otpKey(slot);
    const keys = limitKeys(slot);
    const nextCode = () => this.nextCode(keys.map((k) => this.sent.get(k) ?? emptyRecord()), policy.issue, now);
    const locked = keys.map((k) => this.sent.get(k)).find((record) => record && record.lockedUntil > now);
    if (locked) return { status: 'locked', retryAfterMs: nextCode().afterMs };
    const sent = this.sent.get(keys[0]);
    const pending = this.codes.get(key);
    if (!pending) {
      return sent?.expiresAt !== undefined && now >= sent.expiresAt ? { status: 'expired' } : { status: 'none' };
    }
    if (pending.attempts >= policy.maxAttempts) return { status: 'exhausted', justLocked: false, identifierLocked: false, nextCode: nextCode() };
    if (sameHash(pending.hash, codeHash)) {
      this.codes.delete(key);
      if (sent) sent.expiresAt = undefined;
      return { status: 'verified' };
    }
    pending.attempts += 1;
    if (pending.attempts < policy.maxAttempts) {
      return { status: 'mismatch', attemptsRemaining: policy.maxAttempts - pending.attempts };
    }
    if (sent) sent.expiresAt = undefined;
    let identifierLocked = false;
    for (const recordKey of keys) {
      const record = this.sent.get(recordKey) ?? emptyRecord();
      if (now - record.killStart >= policy.lockoutWindowMs) Object.assign(record, { killStart: now, killCount: 0 });
      record.killCount += 1;
      const lockNow = record.killCount >= policy.lockoutAfterKilledCodes;
      if (lockNow) Object.assign(record, { lockedUntil: now + policy.lockoutMs, killStart: 0, killCount: 0 });
      identifierLocked ||= lockNow;
      const keep = lockNow ? policy.lockoutMs : record.killStart + policy.lockoutWindowMs - now;
      this.sent.set(recordKey, record, Math.max(keep, this.sent.ttl(recordKey)));
    }
    return { status: 'exhausted', justLocked: true, identifierLocked, nextCode: nextCode() };
  }

  /** Every limit a new code must pass, read without changing anything: the longest wait and its limit. */
  private nextCode(records: SentRecord[], policy: IssuePolicy, now: number): NextCode {
    const next: NextCode = { afterMs: 0 };
    const wait = (limit: IssueRefusal, ms: number) => {
      if (ms > next.afterMs) Object.assign(next, { afterMs: ms, limit });
    };
    for (const record of records) wait('locked', record.lockedUntil - now);
    wait('cooldown', policy.cooldownMs - (now - records[0].last));
    for (const record of records) {
      if (now - record.hourStart < HOUR_MS && record.hourCount >= policy.perHour) wait('hourly', record.hourStart + HOUR_MS - now);
    }
    for (const record of records) {
      if (now - record.dayStart < DAY_MS && record.dayCount >= policy.perDay) wait('daily', record.dayStart + DAY_MS - now);
    }
    if (policy.sms) {
      const { prefix, dailyCap, prefixLimit } = policy.sms;
      const today = Math.floor(now / DAY_MS);
      if (dailyCap > 0 && this.smsSentOn(today) >= dailyCap) wait('sms-daily-cap', (today + 1) * DAY_MS - now);
      if (prefixLimit > 0 && (this.smsPrefixes.get(prefix) ?? 0) >= prefixLimit) wait('sms-prefix', Math.max(this.smsPrefixes.ttl(prefix), 1));
    }
    return next;
  }

  private smsSentOn(day: number): number {
    return this.smsDay.day === day ? this.smsDay.count : 0;
  }

  onModuleDestroy(): void {
    this.codes.onModuleDestroy();
    this.sent.onModuleDestroy();
    this.smsPrefixes.onModuleDestroy();
  }
}

function emptyRecord(): SentRecord {
  return { last: -Infinity, hourStart: 0, hourCount: 0, dayStart: 0, dayCount: 0, killStart: 0, killCount: 0, lockedUntil: 0 };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
