import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '../audit/audit.service.js';
import { RateLimitedError } from '../common/errors/domain-error.js';
import { channelOf } from '../common/identifiers/identifier.js';
import { maskIdentifier } from '../common/logging/mask.js';
import type { Configuration } from '../config/configuration.js';
import type { LimitsConfig } from '../config/limits.config.js';
import type { OtpConfig } from '../config/otp.config.js';
import { LimitMetrics, type LimitName } from '../rate-limits/limit-metrics.js';
import { OtpHasher } from './otp-hasher.js';
import { OtpAttemptsExceededError, OtpExpiredError, OtpInvalidError } from './otp.errors.js';
import { OtpStore, type IssuePolicy, type IssueRefusal, type OtpSlot, type VerifyPolicy } from './otp.store.js';

export interface IssuedCode {
  /** The code to deliver. For a phantom slot it matches nothing that is stored. */
  code: string;
  expiresInSeconds: number;
  resendInSeconds: number;
}

/** What each refusal says. None depends on whether an account exists: phantom flows count the same. */
const REFUSALS: Record<IssueRefusal, { limit: LimitName; message: (seconds: number) => string }> = {
  locked: { limit: 'identifier-locked', message: (s) => `Too many wrong codes for this identifier; try again in ${s} s` },
  cooldown: { limit: 'identifier-cooldown', message: (s) => `A code was sent recently; you can request another in ${s} s` },
  hourly: { limit: 'identifier-hourly', message: (s) => `Too many codes for this identifier this hour; try again in ${s} s` },
  daily: { limit: 'identifier-daily', message: (s) => `Too many codes for this identifier today; try again in ${s} s` },
  'sms-daily-cap': { limit: 'sms-daily-cap', message: (s) => `SMS codes are paused for today; use email or try again in ${s} s` },
  'sms-prefix': { limit: 'sms-prefix', message: (s) => `Too many SMS codes to numbers like this one; try again in ${s} s` },
};

/** Issues and checks one-time codes, within the per-identifier and SMS limits; knows nothing of users or delivery. */
@Injectable()
export class OtpService {
  private readonly logger = new Logger(OtpService.name);
  private readonly config: OtpConfig;
  private readonly limits: LimitsConfig;
  private readonly hasher: OtpHasher;
  private readonly verifyPolicy: Omit<VerifyPolicy, 'issue'>;
  private lastCapAlert = 0;

  constructor(
    private readonly store: OtpStore,
    private readonly audit: AuditService,
    private readonly metrics: LimitMetrics,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('otp', { infer: true });
    this.limits = config.getOrThrow('limits', { infer: true });
    this.hasher = new OtpHasher(this.config.hmacSecret, this.config.length);
    const { lockoutAfterKilledCodes, lockoutWindowSeconds, lockoutSeconds } = this.limits.identifier;
    this.verifyPolicy = {
      maxAttempts: this.config.maxAttempts,
      lockoutAfterKilledCodes,
      lockoutWindowMs: lockoutWindowSeconds * 1000,
      lockoutMs: lockoutSeconds * 1000,
    };
  }

  /**
   * Stores a new code for the slot. With `usable: false` (a phantom flow: REGISTER for a taken identifier,
   * LOGIN for an unknown one) the stored record has the same shape, limits and attempt counting, but no
   * code can match it.
   */
  async issue(slot: OtpSlot, usable: boolean): Promise<IssuedCode> {
    const code = this.hasher.generate();
    const stored = usable ? this.hasher.hash(slot, code) : this.hasher.unmatchable();
    const outcome = await this.store.issue(slot, stored, this.issuePolicy(slot));
    if (!outcome.issued) {
      if (outcome.reason === 'sms-daily-cap') this.alertSmsCap();
      this.refuse(REFUSALS[outcome.reason], outcome.retryAfterMs);
    }
    return { code, expiresInSeconds: this.config.ttlSeconds, resendInSeconds: this.config.resendCooldownSeconds };
  }

  /** Consumes the code if it matches; otherwise counts the attempt and throws the matching error. */
  async verify(slot: OtpSlot, code: string): Promise<void> {
    const policy = { ...this.verifyPolicy, issue: this.issuePolicy(slot) };
    const outcome = await this.store.verify(slot, this.hasher.hash(slot, code), policy);
    switch (outcome.status) {
      case 'verified':
        return;
      case 'mismatch':
        throw new OtpInvalidError(outcome.attemptsRemaining);
      case 'exhausted':
        if (outcome.justLocked) await this.recordLock(slot, outcome.identifierLocked);
        throw new OtpAttemptsExceededError(outcome.nextCode);
      case 'locked':
        return this.refuse(REFUSALS.locked, outcome.retryAfterMs);
      case 'expired':
        throw new OtpExpiredError();
      case 'none':
        throw new OtpInvalidError();
    }
  }

  private issuePolicy(slot: OtpSlot): IssuePolicy {
    const policy: IssuePolicy = {
      ttlMs: this.config.ttlSeconds * 1000,
      cooldownMs: this.config.resendCooldownSeconds * 1000,
      perHour: this.limits.identifier.perHour,
      perDay: this.limits.identifier.perDay,
    };
    if (channelOf(slot.identifier) === 'sms') {
      const { dailyCap, prefixDigits, prefixLimit, prefixWindowSeconds } = this.limits.sms;
      const prefix = slot.identifier.replace(/\D/g, '').slice(0, prefixDigits);
      policy.sms = { prefix, dailyCap, prefixLimit, prefixWindowMs: prefixWindowSeconds * 1000 };
    }
    return policy;
  }

  private refuse(refusal: (typeof REFUSALS)[IssueRefusal], retryAfterMs: number): never {
    this.metrics.countRefused(refusal.limit);
    throw RateLimitedError.after(retryAfterMs, refusal.message, refusal.limit);
  }

  private async recordLock(slot: OtpSlot, identifierLocked: boolean): Promise<void> {
    const details = { purpose: slot.purpose, identifier: maskIdentifier(slot.identifier) };
    this.metrics.countLock('code');
    await this.audit.record({ type: 'otp_locked', details });
    if (!identifierLocked) return;
    this.metrics.countLock('identifier');
    const { lockoutAfterKilledCodes, lockoutSeconds } = this.limits.identifier;
    await this.audit.record({
      type: 'otp_identifier_locked',
      details: { ...details, killed_codes: lockoutAfterKilledCodes, locked_for_seconds: lockoutSeconds },
    });
  }

  /** The daily SMS cap is an operator alert: logged at error level (at most once a minute) and counted. */
  private alertSmsCap(): void {
    const now = Date.now();
    if (now - this.lastCapAlert < 60_000) return;
    this.lastCapAlert = now;
    this.logger.error(
      `SMS daily cap of ${this.limits.sms.dailyCap} reached: SMS codes are refused until 00:00 UTC (SMS_DAILY_CAP). ` +
        'A sudden rise is the signature of SMS pumping.',
    );
  }
}
