import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ioredisOptions } from '../config/backends.config.js';
import type { Configuration } from '../config/configuration.js';
import { DeliveryCoreModule } from './delivery-core.module.js';
import { DELIVERY_QUEUE_NAME, DeliveryQueue } from './delivery-queue.js';
import { BullMqDeliveryQueue, DeliveryProcessor } from './infrastructure/bullmq-delivery.queue.js';

/** Delivery through a BullMQ queue in Redis (imported when REDIS_URL is set). */
@Module({
  imports: [
    DeliveryCoreModule,
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Configuration, true>) => ({
        connection: { ...ioredisOptions(config.getOrThrow('backends', { infer: true }).redisUrl!), maxRetriesPerRequest: null },
        prefix: config.getOrThrow('notifications.queuePrefix', { infer: true }),
      }),
    }),
    BullModule.registerQueueAsync({
      name: DELIVERY_QUEUE_NAME,
      inject: [ConfigService],
      // The producer side fails fast while Redis is away instead of queueing commands in memory.
      useFactory: (config: ConfigService<Configuration, true>) => ({
        connection: { ...ioredisOptions(config.getOrThrow('backends', { infer: true }).redisUrl!), enableOfflineQueue: false },
        // Nobody listens to the queue's event stream: keep it short instead of BullMQ's 10,000 entries.
        streams: { events: { maxLen: 100 } },
      }),
    }),
  ],
  providers: [BullMqDeliveryQueue, DeliveryProcessor, { provide: DeliveryQueue, useExisting: BullMqDeliveryQueue }],
  exports: [DeliveryQueue],
})
export class BullMqDeliveryModule {}
