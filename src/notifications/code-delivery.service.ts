import { Injectable } from '@nestjs/common';
import { DeliveryQueue } from './delivery-queue.js';
import { DeliveryService } from './delivery.service.js';
import type { CodeNotice } from './messages.js';

/** Queues a code, or the truthful notice that replaces it, for delivery over the identifier's channel. */
@Injectable()
export class CodeDeliveryService {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly queue: DeliveryQueue,
  ) {}

  /** Returns once the message is queued; `lifeSeconds` bounds how long delivery may be tried. */
  async deliver(identifier: string, notice: CodeNotice, lifeSeconds: number): Promise<void> {
    await this.queue.enqueue(this.delivery.createJob(identifier, notice, lifeSeconds));
  }
}
