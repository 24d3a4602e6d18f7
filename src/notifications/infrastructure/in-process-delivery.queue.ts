import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DeliveryJob } from '../delivery-job.js';
import { DeliveryQueue } from '../delivery-queue.js';
import { DeliveryService } from '../delivery.service.js';

/**
 * The embedded default's queue: delivery runs in this process, after the request has been answered, with
 * the same retry policy as the BullMQ worker. Pending retries are dropped at shutdown (they would outlive
 * nothing: the codes they carry live in this process's memory too).
 */
@Injectable()
export class InProcessDeliveryQueue extends DeliveryQueue implements OnApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly delivery: DeliveryService) {
    super();
  }

  async enqueue(job: DeliveryJob): Promise<void> {
    this.schedule(job, 1, 0);
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(job: DeliveryJob, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.delivery.attempt(job, attempt).then((result) => {
        if (result.outcome === 'retry') this.schedule(job, attempt + 1, result.delayMs);
      });
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
