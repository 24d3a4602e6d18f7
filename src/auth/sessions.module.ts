import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { AuditModule } from '../audit/audit.module.js';
import type { Configuration } from '../config/configuration.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { InProcessSessionStore } from './infrastructure/in-process-session.store.js';
import { RedisSessionStore } from './infrastructure/redis-session.store.js';
import { SessionStore } from './session.store.js';
import { SessionsService } from './sessions.service.js';

/** JWT signing and sessions, without the HTTP flows: used by auth, admin and the command line. */
@Module({
  imports: [
    RedisModule,
    AuditModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Configuration, true>) => ({
        secret: createSecretKey(Buffer.from(config.getOrThrow('auth.jwtSecret', { infer: true }), 'utf8')),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    SessionsService,
    {
      provide: SessionStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisSessionStore(redis) : new InProcessSessionStore()),
    },
  ],
  exports: [SessionsService],
})
export class SessionsModule {}
