import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { OtpPurpose } from '../otp/otp-purpose.js';
import { OtpService } from '../otp/otp.service.js';
import type { OtpSlot } from '../otp/otp.store.js';
import { CodeDispatchService } from './code-dispatch.service.js';
import { toUserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/entities/user.entity.js';
import { AccountDisabledError, IdentifierTakenError } from '../users/users.errors.js';
import { UsersService } from '../users/users.service.js';
import type { PhoneOtpSentDto, PhoneSignedInDto, VerifyPhoneOtpDto } from './dto/phone-sign-in.dto.js';
import { SessionsService } from './sessions.service.js';

/** A flow 2 code: its own purpose, so nothing of flow 1 shows through (its limits: SHARES_LIMITS_WITH). */
function phoneSlot(phone: string): OtpSlot {
  return { purpose: OtpPurpose.PHONE_SIGN_IN, identifier: phone };
}

/**
 * Flow 2, the product's first specification: one code to a phone, then signed in, the account created on
 * first sign-in. The code's purpose is PHONE_SIGN_IN whether or not the phone has an account, so sending
 * and verifying look and count the same either way.
 */
@Injectable()
export class PhoneSignInService {
  constructor(
    private readonly users: UsersService,
    private readonly otp: OtpService,
    private readonly codes: CodeDispatchService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async send(phone: string): Promise<PhoneOtpSentDto> {
    const sent = await this.codes.send(phoneSlot(phone));
    return { success: true, message: 'OTP sent successfully', phone, ...sent };
  }

  async verify(dto: VerifyPhoneOtpDto, ip?: string): Promise<PhoneSignedInDto> {
    await this.otp.verify(phoneSlot(dto.phone), dto.otp);
    const existing = await this.users.findByIdentifier(dto.phone);
    const { user, created } = existing ? { user: existing, created: false } : await this.createOrFind(dto);
    if (!user.isActive) throw new AccountDisabledError();
    if (!created) await this.users.recordLogin(user, true);
    if (user.roles.includes('admin')) await this.audit.record({ type: 'admin_login', actorId: user.id, subjectId: user.id, ip });
    return {
      success: true,
      message: 'Login successful',
      created,
      user: toUserResponse(user),
      tokens: await this.sessions.start(user),
    };
  }

  /** Creates the account; if the same phone was registered a moment ago (a race), signs into that one. */
  private async createOrFind(dto: VerifyPhoneOtpDto): Promise<{ user: User; created: boolean }> {
    try {
      const user = await this.users.create({
        identifier: dto.phone,
        username: null,
        firstName: dto.first_name,
        lastName: dto.last_name,
        unverifiedEmail: dto.email,
      });
      return { user, created: true };
    } catch (error) {
      const raced = error instanceof IdentifierTakenError ? await this.users.findByIdentifier(dto.phone) : null;
      if (!raced) throw error;
      return { user: raced, created: false };
    }
  }
}
