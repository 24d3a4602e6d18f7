import { Injectable } from '@nestjs/common';
import { channelOf } from '../common/identifiers/identifier.js';
import { OtpPurpose, type SignInPurpose } from '../otp/otp-purpose.js';
import { OtpService } from '../otp/otp.service.js';
import { CodeDispatchService } from './code-dispatch.service.js';
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
  constructor(
    private readonly users: UsersService,
    private readonly otp: OtpService,
    private readonly codes: CodeDispatchService,
    private readonly verificationTokens: VerificationTokensService,
  ) {}

  async request(identifier: string, purpose: SignInPurpose): Promise<OtpRequestedDto> {
    const exists = await this.users.existsByIdentifier(identifier);
    // A phantom flow (REGISTER for a taken identifier, LOGIN for an unknown one) stores a code nobody can
    // enter and tells the owner the truth, while the caller sees exactly what a real flow shows.
    const usable = purpose === OtpPurpose.REGISTER ? !exists : exists;
    const sent = await this.codes.send(
      { purpose, identifier },
      usable ? undefined : { kind: exists ? 'already-registered' : 'no-account' },
    );
    return { success: true, message: 'OTP sent successfully', identifier, purpose, channel: channelOf(identifier), ...sent };
  }

  async verify(identifier: string, purpose: SignInPurpose, code: string): Promise<OtpVerifiedDto> {
    await this.otp.verify({ purpose, identifier }, code);
    const token = await this.verificationTokens.issue(purpose, identifier);
    return { success: true, verification_token: token.token, purpose, expires_in_seconds: token.expiresInSeconds };
  }
}
