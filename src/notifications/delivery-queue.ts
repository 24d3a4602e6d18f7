import type { DeliveryJob } from './delivery-job.js';

/** Takes messages off the request path. Adapters: BullMQ (with Redis) and in-process (embedded default). */
export abstract class DeliveryQueue {
  /** Resolves once the job is safely queued; never waits for the provider. */
  abstract enqueue(job: DeliveryJob): Promise<void>;
}

/**
 * The BullMQ queue of delivery batches. It was 'delivery' while a job held one delivery: the new name keeps a
 * worker of such an earlier build (during a rolling deploy) from ever taking a batch it cannot read, while
 * it drains what its own build queued.
 */
export const DELIVERY_QUEUE_NAME = 'deliveries';
