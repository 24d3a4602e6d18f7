import { createKeyv } from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CacheableMemory } from 'cacheable';
import { Keyv } from 'keyv';
import { RedisConnection } from '../redis/redis-connection.js';
import { RateLimitsModule } from '../rate-limits/rate-limits.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { User } from './entities/user.entity.js';
import { UsersController } from './users.controller.js';
import { UsernameChangeLimit } from './username-change.limit.js';
import { UsersService } from './users.service.js';

/**
 * Cached profiles are plain JSON: Keyv's default serializer (which revives Buffers and BigInts) cost ~3 % of
 * the CPU of GET /api/auth/me.
 */
function plainJson(keyv: Keyv): Keyv {
  keyv.serialize = JSON.stringify;
  keyv.deserialize = JSON.parse;
  return keyv;
}

@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    // Global in the app, but the command line has no other import of it (UsernameChangeLimit needs it).
    RateLimitsModule,
    CacheModule.registerAsync({
      imports: [RedisModule],
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => ({
        stores: [
          redis.client
            ? plainJson(createKeyv(redis.client, { throwOnErrors: true }))
            : new Keyv({ store: new CacheableMemory({ lruSize: 10_000 }) }),
        ],
      }),
    }),
  ],
  controllers: [UsersController],
  providers: [UsersService, UsernameChangeLimit],
  exports: [UsersService],
})
export class UsersModule {}
