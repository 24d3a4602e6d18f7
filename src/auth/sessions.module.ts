import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { SigningKeysModule } from '../signing-keys/signing-keys.module.js';
import { UsersModule } from '../users/users.module.js';
import { TokenRevocation } from './entities/token-revocation.entity.js';
import { InProcessSessionStore } from './infrastructure/in-process-session.store.js';
import { RedisSessionStore } from './infrastructure/redis-session.store.js';
import { RevocationRepository } from './revocation.repository.js';
import { RevocationsService } from './revocations.service.js';
import { SessionStore } from './session.store.js';
import { SessionsService } from './sessions.service.js';

/** Token pairs and sessions, without the HTTP flows: used by auth, admin and the command line. */
@Module({
  imports: [RedisModule, AuditModule, SigningKeysModule, UsersModule, TypeOrmModule.forFeature([TokenRevocation])],
  providers: [
    SessionsService,
    RevocationsService,
    RevocationRepository,
    {
      provide: SessionStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisSessionStore(redis) : new InProcessSessionStore()),
    },
  ],
  exports: [SessionsService, SigningKeysModule],
})
export class SessionsModule {}
