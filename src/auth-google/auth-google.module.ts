import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module.js';
import { InProcessOneTimeStore, OneTimeStore, RedisOneTimeStore } from '../redis/one-time.store.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { UsersModule } from '../users/users.module.js';
import { GoogleAuthController } from './google-auth.controller.js';
import { GoogleAuthService } from './google-auth.service.js';

/** Sign in with Google (passport-google-oauth20), off unless configured. */
@Module({
  imports: [RedisModule, UsersModule, SessionsModule],
  controllers: [GoogleAuthController],
  providers: [
    GoogleAuthService,
    {
      provide: OneTimeStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisOneTimeStore(redis) : new InProcessOneTimeStore()),
    },
  ],
})
export class AuthGoogleModule {}
