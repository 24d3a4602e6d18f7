import { Module } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { InProcessVerificationTokenStore } from './infrastructure/in-process-verification-token.store.js';
import { RedisVerificationTokenStore } from './infrastructure/redis-verification-token.store.js';
import { VerificationTokenStore } from './verification-token.store.js';
import { VerificationTokensService } from './verification-tokens.service.js';

@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: VerificationTokenStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) =>
        redis.client ? new RedisVerificationTokenStore(redis) : new InProcessVerificationTokenStore(),
    },
    VerificationTokensService,
  ],
  exports: [VerificationTokensService],
})
export class VerificationTokensModule {}
