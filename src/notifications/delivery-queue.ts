import type { DeliveryJob } from './delivery-job.js';

/** Takes messages off the request path. Adapters: BullMQ (with Redis) and in-process (embedded default). */
export abstract class DeliveryQueue {
  /** Resolves once the job is safely queued; never waits for the provider. */
  abstract enqueue(job: DeliveryJob): Promise<void>;
}

export const DELIVERY_QUEUE_NAME = 'delivery';
