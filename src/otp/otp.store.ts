import { SHARES_LIMITS_WITH, type OtpPurpose } from './otp-purpose.js';

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

/** Why a code was not issued: the first limit that refused it. */
export type IssueRefusal = 'locked' | 'cooldown' | 'hourly' | 'daily' | 'sms-daily-cap' | 'sms-prefix';

/**
 * Refused: `reason` is the limit with the longest wait and `retryAfterMs` that wait, so that a request after
 * it passes every limit (as far as anyone can tell now), not just the first one checked.
 */
export type IssueOutcome = { issued: true } | { issued: false; reason: IssueRefusal; retryAfterMs: number };

export type VerifyOutcome =
  | { status: 'verified' }
  | { status: 'mismatch'; attemptsRemaining: number }
  /**
   * This attempt (`justLocked`) or an earlier one used the last try: the code is dead. `identifierLocked`:
   * this was one killed code too many, so the identifier is now locked for the purpose. `nextCode`: when
   * a new code for the slot will pass every limit, and the limit that makes it wait (none: at once).
   */
  | { status: 'exhausted'; justLocked: boolean; identifierLocked: boolean; nextCode: NextCode }
  /** A code was sent, never used, and its life is over. */
  | { status: 'expired' }
  | { status: 'none' }
  /**
   * The identifier is locked for this purpose after too many killed codes. `retryAfterMs`: until a new code
   * will pass every limit (the lock, and any other that outlasts it).
   */
  | { status: 'locked'; retryAfterMs: number };

/** When `issue` would next succeed for a slot, as far as its limits can tell now. */
export interface NextCode {
  afterMs: number;
  /** The limit with the longest wait; absent when nothing waits. */
  limit?: IssueRefusal;
}

export interface IssuePolicy {
  ttlMs: number;
  cooldownMs: number;
  perHour: number;
  perDay: number;
  /** Only for a code that goes out by SMS: the service-wide caps it counts against (0 = no cap). */
  sms?: { prefix: string; dailyCap: number; prefixLimit: number; prefixWindowMs: number };
}

export interface VerifyPolicy {
  maxAttempts: number;
  /** This many codes killed by wrong attempts within `lockoutWindowMs` lock the identifier for `lockoutMs`. */
  lockoutAfterKilledCodes: number;
  lockoutWindowMs: number;
  lockoutMs: number;
  /** The policy the slot's next code will be issued under, to say when that can be (`nextCode`). */
  issue: IssuePolicy;
}

/**
 * Where pending codes live: under `otp:<PURPOSE>:<identifier>`, as a keyed hash and an attempt count,
 * with a time to live equal to the code's remaining life. Beside it, `otp-sent:<PURPOSE>:<identifier>`
 * keeps what must outlive the code: the last issue time, the expiry (for OTP_EXPIRED), the hourly and
 * daily counts, the killed-code count and the lock. Both operations check every limit and write in one
 * atomic step, so a refused request changes no counter and concurrent requests cannot slip past a limit.
 */
export abstract class OtpStore {
  abstract issue(slot: OtpSlot, codeHash: string, policy: IssuePolicy): Promise<IssueOutcome>;

  /**
   * Compares in constant time and, in the same atomic step, consumes the code on a match or counts a
   * wrong attempt otherwise.
   */
  abstract verify(slot: OtpSlot, codeHash: string, policy: VerifyPolicy): Promise<VerifyOutcome>;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * `otp:<PURPOSE>:<identifier>`; a slot bound to a user (CHANGE_IDENTIFIER) is `otp:<PURPOSE>:<user>:<identifier>`,
 * so two users moving to the same identifier cannot replace or kill each other's code.
 */
export function otpKey({ purpose, identifier, subject }: OtpSlot): string {
  return subject ? `otp:${purpose}:${subject}:${identifier}` : `otp:${purpose}:${identifier}`;
}

export function otpSentKey({ purpose, identifier, subject }: Pick<OtpSlot, 'purpose' | 'identifier' | 'subject'>): string {
  return subject ? `otp-sent:${purpose}:${subject}:${identifier}` : `otp-sent:${purpose}:${identifier}`;
}

/** The slot's own bookkeeping key first, then those of the purposes it shares limits with (SHARES_LIMITS_WITH). */
export function limitKeys(slot: OtpSlot): string[] {
  const shared = SHARES_LIMITS_WITH[slot.purpose] ?? [];
  return [otpSentKey(slot), ...shared.map((purpose) => otpSentKey({ purpose, identifier: slot.identifier }))];
}

/** Service-wide SMS count of the current UTC day. */
export const SMS_DAY_KEY = 'limit:sms:day';

export function smsPrefixKey(prefix: string): string {
  return `limit:sms:prefix:${prefix}`;
}
