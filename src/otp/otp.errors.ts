import { DomainError } from '../common/errors/domain-error.js';

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

export class OtpAttemptsExceededError extends DomainError {
  constructor() {
    super('OTP_ATTEMPTS_EXCEEDED', 'Too many wrong codes; this code no longer works, request a new one');
  }
}
