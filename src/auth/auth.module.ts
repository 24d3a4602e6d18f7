import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import type { Configuration } from '../config/configuration.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OtpModule } from '../otp/otp.module.js';
import { UsersModule } from '../users/users.module.js';
import { VerificationTokensModule } from '../verification-tokens/verification-tokens.module.js';
import { AuthController } from './auth.controller.js';
import { OtpFlowService } from './otp-flow.service.js';
import { OtpController } from './otp.controller.js';
import { SessionTokensService } from './session-tokens.service.js';
import { SignInService } from './sign-in.service.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Configuration, true>) => ({
        secret: createSecretKey(Buffer.from(config.getOrThrow('auth.jwtSecret', { infer: true }), 'utf8')),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    UsersModule,
    OtpModule,
    VerificationTokensModule,
    NotificationsModule,
  ],
  controllers: [OtpController, AuthController],
  providers: [OtpFlowService, SignInService, SessionTokensService, JwtStrategy],
})
export class AuthModule {}
