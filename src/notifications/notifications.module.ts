import { Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { usesRedis } from '../config/backends.config.js';
import { BullMqDeliveryModule } from './bullmq-delivery.module.js';
import { CodeDeliveryService } from './code-delivery.service.js';
import { DeliveryCoreModule } from './delivery-core.module.js';
import { DevInboxModule, devInboxEnabled } from './dev-inbox.module.js';
import { InProcessDeliveryModule } from './in-process-delivery.module.js';
import { MetricsController } from './metrics.controller.js';

/**
 * Code delivery: senders picked by configuration, and a queue that takes delivery off the request path
 * (BullMQ with Redis, in-process without). Exports only the service that queues a code.
 */
@Module({
  imports: [
    DeliveryCoreModule,
    ConditionalModule.registerWhen(BullMqDeliveryModule, usesRedis, { debug: false }),
    ConditionalModule.registerWhen(InProcessDeliveryModule, (env) => !usesRedis(env), { debug: false }),
    ConditionalModule.registerWhen(DevInboxModule, devInboxEnabled, { debug: false }),
  ],
  controllers: [MetricsController],
  providers: [CodeDeliveryService],
  exports: [CodeDeliveryService],
})
export class NotificationsModule {}
