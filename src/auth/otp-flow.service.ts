import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { channelOf } from '../common/identifiers/identifier.js';
import type { Configuration } from '../config/configuration.js';
import { CodeDeliveryService } from '../notifications/code-delivery.service.js';
import { OtpPurpose, type SignInPurpose } from '../otp/otp-purpose.js';
import { OtpService } from '../otp/otp.service.js';
import { UsersService } from '../users/users.service.js';
import { VerificationTokensService } from '../verification-tokens/verification-tokens.service.js';
import type { OtpRequestedDto } from './dto/otp-requested.dto.js';
import type { OtpVerifiedDto } from './dto/otp-verified.dto.js';

/**
 * Steps one and two of sign-up and sign-in: send a code, then trade the right code for a verification
 * token. The request step answers identically whether or not an account exists.
 */
@Injectable()
export class OtpFlowService {
  private readonly debugEcho: boolean;

  constructor(
    private readonly users: UsersService,
    private readonly otp: OtpService,
    private readonly delivery: CodeDeliveryService,
    private readonly verificationTokens: VerificationTokensService,
    config: ConfigService<Configuration, true>,
  ) {
    this.debugEcho = config.getOrThrow('otp.debugEcho', { infer: true });
  }

  async request(identifier: string, purpose: SignInPurpose): Promise<OtpRequestedDto> {
    const exists = await this.users.existsByIdentifier(identifier);
    // A phantom flow (REGISTER for a taken identifier, LOGIN for an unknown one) stores a code nobody can
    // enter and tells the owner the truth, while the caller sees exactly what a real flow shows.
    const usable = purpose === OtpPurpose.REGISTER ? !exists : exists;
    const issued = await this.otp.issue({ purpose, identifier }, usable);
    await this.delivery.deliver(
      identifier,
      usable
        ? { kind: 'code', code: issued.code, purpose, ttlSeconds: issued.expiresInSeconds }
        : { kind: exists ? 'already-registered' : 'no-account' },
      issued.expiresInSeconds,
    );
    return {
      success: true,
      message: 'OTP sent successfully',
      identifier,
      purpose,
      channel: channelOf(identifier),
      expires_in_seconds: issued.expiresInSeconds,
      resend_in_seconds: issued.resendInSeconds,
      ...(this.debugEcho ? { otp: issued.code } : {}),
    };
  }

  async verify(identifier: string, purpose: SignInPurpose, code: string): Promise<OtpVerifiedDto> {
    await this.otp.verify({ purpose, identifier }, code);
    const token = await this.verificationTokens.issue(purpose, identifier);
    return { success: true, verification_token: token.token, purpose, expires_in_seconds: token.expiresInSeconds };
  }
}
