import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '../audit/audit.service.js';
import { RateLimitedError } from '../common/errors/domain-error.js';
import { maskIdentifier } from '../common/logging/mask.js';
import type { Configuration } from '../config/configuration.js';
import type { OtpConfig } from '../config/otp.config.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpAttemptsExceededError, OtpExpiredError, OtpInvalidError } from './otp.errors.js';
import { OtpStore, type OtpSlot } from './otp.store.js';

export interface IssuedCode {
  /** The code to deliver. For a phantom slot it matches nothing that is stored. */
  code: string;
  expiresInSeconds: number;
  resendInSeconds: number;
}

/** Issues and checks one-time codes; knows nothing of users or delivery. */
@Injectable()
export class OtpService {
  private readonly config: OtpConfig;
  private readonly hasher: OtpHasher;

  constructor(
    private readonly store: OtpStore,
    private readonly audit: AuditService,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('otp', { infer: true });
    this.hasher = new OtpHasher(this.config.hmacSecret, this.config.length);
  }

  /**
   * Stores a new code for the slot. With `usable: false` (a phantom flow: REGISTER for a taken identifier,
   * LOGIN for an unknown one) the stored record has the same shape, cooldown and attempt counting, but no
   * code can match it.
   */
  async issue(slot: OtpSlot, usable: boolean): Promise<IssuedCode> {
    const code = this.hasher.generate();
    const stored = usable ? this.hasher.hash(slot, code) : this.hasher.unmatchable();
    const outcome = await this.store.issue(slot, stored, {
      ttlMs: this.config.ttlSeconds * 1000,
      cooldownMs: this.config.resendCooldownSeconds * 1000,
    });
    if (!outcome.issued) {
      const seconds = Math.ceil(outcome.retryAfterMs / 1000);
      throw new RateLimitedError(`A code was sent recently; you can request another in ${seconds} s`, seconds);
    }
    return { code, expiresInSeconds: this.config.ttlSeconds, resendInSeconds: this.config.resendCooldownSeconds };
  }

  /** Consumes the code if it matches; otherwise counts the attempt and throws the matching error. */
  async verify(slot: OtpSlot, code: string): Promise<void> {
    const outcome = await this.store.verify(slot, this.hasher.hash(slot, code), this.config.maxAttempts);
    switch (outcome.status) {
      case 'verified':
        return;
      case 'mismatch':
        throw new OtpInvalidError(outcome.attemptsRemaining);
      case 'exhausted':
        if (outcome.justLocked) {
          await this.audit.record({
            type: 'otp_locked',
            details: { purpose: slot.purpose, identifier: maskIdentifier(slot.identifier) },
          });
        }
        throw new OtpAttemptsExceededError();
      case 'expired':
        throw new OtpExpiredError();
      case 'none':
        throw new OtpInvalidError();
    }
  }
}
