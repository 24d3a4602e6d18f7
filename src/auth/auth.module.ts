import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { AuditModule } from '../audit/audit.module.js';
import type { Configuration } from '../config/configuration.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OtpModule } from '../otp/otp.module.js';
import { UsersModule } from '../users/users.module.js';
import { VerificationTokensModule } from '../verification-tokens/verification-tokens.module.js';
import { AccountStatusService } from './account-status.service.js';
import { AuthController } from './auth.controller.js';
import { IdentifierChangeController } from './identifier-change.controller.js';
import { IdentifierChangeService } from './identifier-change.service.js';
import { PhoneSignInController } from './phone-sign-in.controller.js';
import { PhoneSignInService } from './phone-sign-in.service.js';
import { OtpFlowService } from './otp-flow.service.js';
import { OtpController } from './otp.controller.js';
import { InProcessSessionStore } from './infrastructure/in-process-session.store.js';
import { RedisSessionStore } from './infrastructure/redis-session.store.js';
import { SessionStore } from './session.store.js';
import { SessionsService } from './sessions.service.js';
import { TokenAliasController } from './token-alias.controller.js';
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
    RedisModule,
    AuditModule,
    UsersModule,
    OtpModule,
    VerificationTokensModule,
    NotificationsModule,
  ],
  controllers: [OtpController, AuthController, TokenAliasController, PhoneSignInController, IdentifierChangeController],
  providers: [
    OtpFlowService,
    SignInService,
    SessionsService,
    AccountStatusService,
    PhoneSignInService,
    IdentifierChangeService,
    JwtStrategy,
    {
      provide: SessionStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisSessionStore(redis) : new InProcessSessionStore()),
    },
  ],
  exports: [AccountStatusService, SessionsService],
})
export class AuthModule {}
