import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Configuration } from '../config/configuration.js';
import type { CodeNotice } from '../notifications/messages.js';
import { CodeDeliveryService } from '../notifications/code-delivery.service.js';
import type { OtpSlot } from '../otp/otp.store.js';
import { OtpService } from '../otp/otp.service.js';

/** The part of a "code sent" answer every flow shares. */
export interface CodeSentTail {
  expires_in_seconds: number;
  resend_in_seconds: number;
  /** Only with OTP_DEBUG_ECHO (refused in production). */
  otp?: string;
}

/**
 * Issues a code for a slot and queues its delivery. With `insteadOfCode` (the phantom cases of the
 * enumeration rule) the stored code can never match and the owner gets that truthful notice instead; the
 * caller's answer is the same either way.
 */
@Injectable()
export class CodeDispatchService {
  private readonly debugEcho: boolean;

  constructor(
    private readonly otp: OtpService,
    private readonly delivery: CodeDeliveryService,
    config: ConfigService<Configuration, true>,
  ) {
    this.debugEcho = config.getOrThrow('otp.debugEcho', { infer: true });
  }

  async send(slot: OtpSlot, insteadOfCode?: CodeNotice): Promise<CodeSentTail> {
    const issued = await this.otp.issue(slot, !insteadOfCode);
    await this.delivery.deliver(
      slot.identifier,
      insteadOfCode ?? { kind: 'code', code: issued.code, purpose: slot.purpose, ttlSeconds: issued.expiresInSeconds },
      issued.expiresInSeconds,
    );
    return {
      expires_in_seconds: issued.expiresInSeconds,
      resend_in_seconds: issued.resendInSeconds,
      ...(this.debugEcho ? { otp: issued.code } : {}),
    };
  }
}
