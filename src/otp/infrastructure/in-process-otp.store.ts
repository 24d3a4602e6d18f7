import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
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

interface PendingCode {
  hash: string;
  attempts: number;
}

interface SentRecord {
  last: number;
  expiresAt?: number;
}

/** The embedded default's OtpStore: the same rules as the Redis scripts, in synchronous (atomic) steps. */
@Injectable()
export class InProcessOtpStore extends OtpStore implements OnModuleDestroy {
  private readonly codes = new ExpiringMap<PendingCode>();
  private readonly sent = new ExpiringMap<SentRecord>();

  async issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome> {
    const now = Date.now();
    const sent = this.sent.get(otpSentKey(slot));
    if (sent && now - sent.last < policy.cooldownMs) {
      return { issued: false, retryAfterMs: policy.cooldownMs - (now - sent.last) };
    }
    this.codes.set(otpKey(slot), { hash: codeHash, attempts: 0 }, policy.ttlMs);
    this.sent.set(otpSentKey(slot), { last: now, expiresAt: now + policy.ttlMs }, sentRecordTtlMs(policy));
    return { issued: true };
  }

  async verify(slot: OtpSlot, codeHash: string, maxAttempts: number): Promise<VerifyOutcome> {
    const key = otpKey(slot);
    const sent = this.sent.get(otpSentKey(slot));
    const pending = this.codes.get(key);
    if (!pending) {
      return sent?.expiresAt !== undefined && Date.now() >= sent.expiresAt ? { status: 'expired' } : { status: 'none' };
    }
    if (pending.attempts >= maxAttempts) return { status: 'exhausted', justLocked: false };
    if (sameHash(pending.hash, codeHash)) {
      this.codes.delete(key);
      if (sent) sent.expiresAt = undefined;
      return { status: 'verified' };
    }
    pending.attempts += 1;
    if (pending.attempts >= maxAttempts) {
      if (sent) sent.expiresAt = undefined;
      return { status: 'exhausted', justLocked: true };
    }
    return { status: 'mismatch', attemptsRemaining: maxAttempts - pending.attempts };
  }

  onModuleDestroy(): void {
    this.codes.onModuleDestroy();
    this.sent.onModuleDestroy();
  }
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
