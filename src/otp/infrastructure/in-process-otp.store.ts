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
    const locked = records.find((record) => record.lockedUntil > now);
    if (locked) return refused('locked', locked.lockedUntil - now);
    const own = records[0];
    if (now - own.last < policy.cooldownMs) return refused('cooldown', policy.cooldownMs - (now - own.last));
    for (const record of records) {
      if (now - record.hourStart >= HOUR_MS) Object.assign(record, { hourStart: now, hourCount: 0 });
      if (record.hourCount >= policy.perHour) return refused('hourly', record.hourStart + HOUR_MS - now);
    }
    for (const record of records) {
      if (now - record.dayStart >= DAY_MS) Object.assign(record, { dayStart: now, dayCount: 0 });
      if (record.dayCount >= policy.perDay) return refused('daily', record.dayStart + DAY_MS - now);
    }
    if (policy.sms) {
      const { prefix, dailyCap, prefixLimit, prefixWindowMs } = policy.sms;
      const today = Math.floor(now / DAY_MS);
      const sentToday = this.smsDay.day === today ? this.smsDay.count : 0;
      if (dailyCap > 0 && sentToday >= dailyCap) return refused('sms-daily-cap', (today + 1) * DAY_MS - now);
      if (prefixLimit > 0) {
        const count = this.smsPrefixes.get(prefix) ?? 0;
        if (count >= prefixLimit) return refused('sms-prefix', this.smsPrefixes.ttl(prefix));
        if (count === 0) this.smsPrefixes.set(prefix, 1, prefixWindowMs);
        else this.smsPrefixes.update(prefix, count + 1);
      }
      this.smsDay = { day: today, count: sentToday + 1 };
    }
    this.codes.set(otpKey(slot), { hash: codeHash, attempts: 0 }, policy.ttlMs);
    const expiresAt = now + policy.ttlMs;
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
    const locked = keys.map((k) => this.sent.get(k)).find((record) => record && record.lockedUntil > now);
    if (locked) return { status: 'locked', retryAfterMs: locked.lockedUntil - now };
    const sent = this.sent.get(keys[0]);
    const pending = this.codes.get(key);
    if (!pending) {
      return sent?.expiresAt !== undefined && now >= sent.expiresAt ? { status: 'expired' } : { status: 'none' };
    }
    if (pending.attempts >= policy.maxAttempts) return { status: 'exhausted', justLocked: false, identifierLocked: false };
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
    return { status: 'exhausted', justLocked: true, identifierLocked };
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

function refused(reason: Extract<IssueOutcome, { issued: false }>['reason'], retryAfterMs: number): IssueOutcome {
  return { issued: false, reason, retryAfterMs };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
