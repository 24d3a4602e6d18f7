import { Module } from '@nestjs/common';
import { DeliveryCoreModule } from './delivery-core.module.js';
import { DeliveryQueue } from './delivery-queue.js';
import { InProcessDeliveryQueue } from './infrastructure/in-process-delivery.queue.js';

/** Delivery in this process, off the request path (the embedded default, without Redis). */
@Module({
  imports: [DeliveryCoreModule],
  providers: [{ provide: DeliveryQueue, useClass: InProcessDeliveryQueue }],
  exports: [DeliveryQueue],
})
export class InProcessDeliveryModule {}
