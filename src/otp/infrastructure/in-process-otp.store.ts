import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
import {
  DAY_MS,
  HOUR_MS,
  OtpStore,
  otpKey,
  otpSentKey,
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
    const sentKey = otpSentKey(slot);
    const record: SentRecord = this.sent.get(sentKey) ?? {
      last: -Infinity,
      hourStart: 0,
      hourCount: 0,
      dayStart: 0,
      dayCount: 0,
      killStart: 0,
      killCount: 0,
      lockedUntil: 0,
    };
    if (record.lockedUntil > now) return refused('locked', record.lockedUntil - now);
    if (now - record.last < policy.cooldownMs) return refused('cooldown', policy.cooldownMs - (now - record.last));
    const newHour = now - record.hourStart >= HOUR_MS;
    const hourStart = newHour ? now : record.hourStart;
    const hourCount = newHour ? 0 : record.hourCount;
    if (hourCount >= policy.perHour) return refused('hourly', hourStart + HOUR_MS - now);
    const newDay = now - record.dayStart >= DAY_MS;
    const dayStart = newDay ? now : record.dayStart;
    const dayCount = newDay ? 0 : record.dayCount;
    if (dayCount >= policy.perDay) return refused('daily', dayStart + DAY_MS - now);
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
    const updated = { ...record, last: now, expiresAt, hourStart, hourCount: hourCount + 1, dayStart, dayCount: dayCount + 1 };
    const keep = Math.max(dayStart + DAY_MS, hourStart + HOUR_MS, expiresAt, now + policy.cooldownMs) - now;
    this.sent.set(sentKey, updated, Math.max(keep, this.sent.ttl(sentKey)));
    return { issued: true };
  }

  async verify(slot: OtpSlot, codeHash: string, policy: VerifyPolicy): Promise<VerifyOutcome> {
    const now = Date.now();
    const key = otpKey(slot);
    const sentKey = otpSentKey(slot);
    const sent = this.sent.get(sentKey);
    if (sent && sent.lockedUntil > now) return { status: 'locked', retryAfterMs: sent.lockedUntil - now };
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
    if (!sent) return { status: 'exhausted', justLocked: true, identifierLocked: false };
    sent.expiresAt = undefined;
    if (now - sent.killStart >= policy.lockoutWindowMs) {
      sent.killStart = now;
      sent.killCount = 0;
    }
    sent.killCount += 1;
    const identifierLocked = sent.killCount >= policy.lockoutAfterKilledCodes;
    if (identifierLocked) {
      sent.lockedUntil = now + policy.lockoutMs;
      sent.killStart = 0;
      sent.killCount = 0;
    }
    const keep = identifierLocked ? policy.lockoutMs : sent.killStart + policy.lockoutWindowMs - now;
    if (this.sent.ttl(sentKey) < keep) this.sent.set(sentKey, sent, keep);
    return { status: 'exhausted', justLocked: true, identifierLocked };
  }

  onModuleDestroy(): void {
    this.codes.onModuleDestroy();
    this.sent.onModuleDestroy();
    this.smsPrefixes.onModuleDestroy();
  }
}

function refused(reason: Extract<IssueOutcome, { issued: false }>['reason'], retryAfterMs: number): IssueOutcome {
  return { issued: false, reason, retryAfterMs };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
