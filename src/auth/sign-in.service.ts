import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { OtpPurpose } from '../otp/otp-purpose.js';
import { toUserResponse } from '../users/dto/user-response.dto.js';
import { UsersService } from '../users/users.service.js';
import { VerificationTokensService } from '../verification-tokens/verification-tokens.service.js';
import type { RegisterDto } from './dto/register.dto.js';
import type { SessionDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

/**
 * Step three: a verification token becomes an account (register) or a session (login). The token is
 * checked before anything about the account, and is given back if the step fails.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersService,
    private readonly verificationTokens: VerificationTokensService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  register(dto: RegisterDto): Promise<SessionDto> {
    return this.verificationTokens.spend(dto.verification_token, OtpPurpose.REGISTER, dto.identifier, async () => {
      const user = await this.users.create({
        identifier: dto.identifier,
        username: dto.username,
        firstName: dto.first_name,
        lastName: dto.last_name,
      });
      return { success: true, user: toUserResponse(user), tokens: await this.sessions.start(user) };
    });
  }

  login(identifier: string, verificationToken: string, ip?: string): Promise<SessionDto> {
    return this.verificationTokens.spend(verificationToken, OtpPurpose.LOGIN, identifier, async () => {
      const user = await this.users.signIn(identifier);
      if (user.roles.includes('admin')) {
        await this.audit.record({ type: 'admin_login', actorId: user.id, subjectId: user.id, ip });
      }
      return { success: true, user: toUserResponse(user), tokens: await this.sessions.start(user) };
    });
  }
}
