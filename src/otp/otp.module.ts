import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { RedisModule } from '../redis/redis.module.js';
import { InProcessOtpStore } from './infrastructure/in-process-otp.store.js';
import { RedisOtpStore } from './infrastructure/redis-otp.store.js';
import { OtpStore } from './otp.store.js';
import { OtpService } from './otp.service.js';

@Module({
  imports: [RedisModule, AuditModule],
  providers: [
    {
      provide: OtpStore,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisOtpStore(redis) : new InProcessOtpStore()),
    },
    OtpService,
  ],
  exports: [OtpService],
})
export class OtpModule {}
