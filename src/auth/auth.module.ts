import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '../audit/audit.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OtpModule } from '../otp/otp.module.js';
import { UsersModule } from '../users/users.module.js';
import { VerificationTokensModule } from '../verification-tokens/verification-tokens.module.js';
import { AccountStatusService } from './account-status.service.js';
import { AuthController } from './auth.controller.js';
import { CodeDispatchService } from './code-dispatch.service.js';
import { IdentifierChangeController } from './identifier-change.controller.js';
import { IdentifierChangeService } from './identifier-change.service.js';
import { IntrospectionController } from './introspection.controller.js';
import { IntrospectionService } from './introspection.service.js';
import { OtpFlowService } from './otp-flow.service.js';
import { OtpController } from './otp.controller.js';
import { PhoneSignInController } from './phone-sign-in.controller.js';
import { PhoneSignInService } from './phone-sign-in.service.js';
import { SessionsModule } from './sessions.module.js';
import { SignInService } from './sign-in.service.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';
import { TokenAliasController } from './token-alias.controller.js';

@Module({
  imports: [PassportModule, SessionsModule, AuditModule, UsersModule, OtpModule, VerificationTokensModule, NotificationsModule],
  controllers: [OtpController, AuthController, TokenAliasController, PhoneSignInController, IdentifierChangeController, IntrospectionController],
  providers: [CodeDispatchService, OtpFlowService, SignInService, AccountStatusService, PhoneSignInService, IdentifierChangeService, IntrospectionService, JwtStrategy],
  exports: [AccountStatusService, SessionsModule],
})
export class AuthModule {}
