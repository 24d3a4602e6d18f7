import { DomainError } from '../common/errors/domain-error.js';
import type { IssueRefusal, NextCode } from './otp.store.js';

export class OtpInvalidError extends DomainError {
  constructor(attemptsRemaining?: number) {
    super(
      'OTP_INVALID',
      attemptsRemaining === undefined
        ? 'The code is wrong or no code is pending; request a new one'
        : `The code is wrong; ${attemptsRemaining} attempt${attemptsRemaining === 1 ? '' : 's'} left`,
      attemptsRemaining === undefined ? undefined : { attempts_remaining: attemptsRemaining },
    );
  }
}

export class OtpExpiredError extends DomainError {
  constructor() {
    super('OTP_EXPIRED', 'The code has expired; request a new one');
  }
}

/** Why a new code must wait, said after the wait. */
const WAITING_FOR: Record<IssueRefusal, string> = {
  locked: ': too many codes for this identifier were killed by wrong attempts, so it is locked for a while',
  cooldown: '',
  hourly: ': this identifier has had its codes for this hour',
  daily: ': this identifier has had its codes for today',
  'sms-daily-cap': ': SMS codes are paused for today',
  'sms-prefix': ': too many SMS codes went to numbers like this one',
};

/**
 * The code is dead. Says when a new one can be requested, in `details.retry_after_seconds` and `Retry-After`
 * (0: at once): the wait the next request will in fact meet, so a client that follows it is not refused.
 */
export class OtpAttemptsExceededError extends DomainError {
  constructor({ afterMs, limit }: NextCode) {
    const seconds = Math.max(0, Math.ceil(afterMs / 1000));
    super(
      'OTP_ATTEMPTS_EXCEEDED',
      seconds === 0
        ? 'Too many wrong codes; this code no longer works, request a new one'
        : `Too many wrong codes; this code no longer works. A new one can be requested in ${seconds} s${limit ? WAITING_FOR[limit] : ''}`,
      { retry_after_seconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }
}
