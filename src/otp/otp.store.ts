import type { OtpPurpose } from './otp-purpose.js';

export interface OtpSlot {
  purpose: OtpPurpose;
  /** Canonical identifier. */
  identifier: string;
  /**
   * Who asked, when the code must only work for them (CHANGE_IDENTIFIER: the signed-in user). Part of the
   * keyed hash, not of the key.
   */
  subject?: string;
}

export type IssueOutcome = { issued: true } | { issued: false; retryAfterMs: number };

export type VerifyOutcome =
  | { status: 'verified' }
  | { status: 'mismatch'; attemptsRemaining: number }
  /** This attempt (`justLocked`) or an earlier one used the last try: the code is dead. */
  | { status: 'exhausted'; justLocked: boolean }
  /** A code was sent, never used, and its life is over. */
  | { status: 'expired' }
  | { status: 'none' };

export interface IssuePolicy {
  ttlMs: number;
  cooldownMs: number;
}

/**
 * Where pending codes live: under `otp:<PURPOSE>:<identifier>`, as a keyed hash and an attempt count,
 * with a time to live equal to the code's remaining life. Both operations are atomic.
 */
export abstract class OtpStore {
  /** Stores a new code hash, replacing the previous one, unless the resend cooldown is still running. */
  abstract issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome>;

  /**
   * Compares in constant time and, in the same atomic step, consumes the code on a match or counts a
   * wrong attempt otherwise.
   */
  abstract verify(slot: OtpSlot, codeHash: string, maxAttempts: number): Promise<VerifyOutcome>;
}

export function otpKey({ purpose, identifier }: OtpSlot): string {
  return `otp:${purpose}:${identifier}`;
}

/** Issue bookkeeping that outlives the code: when the last one was sent and when it expires. */
export function otpSentKey({ purpose, identifier }: OtpSlot): string {
  return `otp-sent:${purpose}:${identifier}`;
}

/** How long the bookkeeping is kept after a code is issued. */
export function sentRecordTtlMs(policy: IssuePolicy): number {
  return Math.max(policy.ttlMs, policy.cooldownMs) + 15 * 60_000;
}
