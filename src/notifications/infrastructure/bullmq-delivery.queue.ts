import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Job, Queue } from 'bullmq';
import { ConcurrencyLimit } from '../../common/concurrency/concurrency-limit.js';
import { TurnBatcher } from '../../common/concurrency/turn-batcher.js';
import { ServiceUnavailableError } from '../../common/errors/domain-error.js';
import type { Configuration } from '../../config/configuration.js';
import type { DeliveryJob } from '../delivery-job.js';
import { DELIVERY_QUEUE_NAME, DeliveryQueue } from '../delivery-queue.js';
import { DeliveryService } from '../delivery.service.js';

/** A BullMQ job: the deliveries queued in one turn of the event loop. */
export type DeliveryBatch = { deliveries: DeliveryJob[] };

/**
 * Deliveries per BullMQ job, at most: enough to take BullMQ's per-job cost off a burst, few enough that a
 * worker holding 50 jobs does not hoard deliveries other workers could be sending.
 */
const BATCH = 20;
/** Provider calls in flight per worker process, at most, whatever the batches. */
const SENDS_IN_FLIGHT = 50;

/**
 * Queues deliveries in Redis with BullMQ. The deliveries asked for in one turn of the event loop go into one
 * job (under a burst of code requests, one job serves up to BATCH of them: BullMQ's scripts for adding, taking and
 * finishing a job were a third of the CPU of a code request). Jobs hold sealed notices only, and are removed
 * when they complete or fail, so nothing of a code is kept. Enqueueing is bounded by DEPENDENCY_TIMEOUT_MS.
 */
@Injectable()
export class BullMqDeliveryQueue extends DeliveryQueue {
  private readonly logger = new Logger('DeliveryQueue');
  private readonly timeoutMs: number;
  private readonly batches: TurnBatcher<DeliveryJob, void>;
  private lastErrorLog = 0;

  constructor(
    @InjectQueue(DELIVERY_QUEUE_NAME) private readonly queue: Queue<DeliveryBatch, void, 'codes'>,
    private readonly delivery: DeliveryService,
    config: ConfigService<Configuration, true>,
  ) {
    super();
    this.timeoutMs = config.getOrThrow('app.dependencyTimeoutMs', { infer: true });
    // Unheard, BullMQ prints each connection error with its stack trace (every reconnect attempt while Redis
    // is away); one line every 5 s says as much. Enqueueing answers the outage itself, with a 503.
    this.queue.on('error', (error) => this.logError(error));
    this.batches = new TurnBatcher<DeliveryJob, void>(async (deliveries) => {
      await this.queue.add(
        'codes',
        { deliveries },
        {
          attempts: this.delivery.maxAttempts,
          backoff: { type: 'exponential', delay: this.delivery.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
      return deliveries.map(() => undefined);
    }, BATCH);
  }

  async enqueue(job: DeliveryJob): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServiceUnavailableError('Redis')), this.timeoutMs);
    });
    try {
      await Promise.race([this.batches.submit(job), deadline]);
    } catch (error) {
      throw error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError('Redis', error);
    } finally {
      clearTimeout(timer);
    }
  }

  private logError(error: Error): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 5000) return;
    this.lastErrorLog = now;
    this.logger.warn(`delivery queue: ${error.message || error.name}`);
  }
}

/**
 * The BullMQ worker. It runs in the API process unless DELIVERY_WORKER=false (then run `npm run worker`
 * elsewhere). A job's deliveries go out together (at most SENDS_IN_FLIGHT provider calls at a time across
 * jobs). When some failed retryably, the job keeps only those and is thrown back to BullMQ, which retries
 * it with exponential backoff, so a delivery that went out is not sent again (unless this process dies or
 * cannot rewrite the job in between: delivery is at least once). Final failures are dropped from the job
 * (DeliveryService has logged and counted them); a job with nothing left to retry completes.
 */
@Processor(DELIVERY_QUEUE_NAME, { autorun: false, concurrency: 50 })
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly enabled: boolean;
  private readonly sends = new ConcurrencyLimit(SENDS_IN_FLIGHT);

  constructor(
    private readonly delivery: DeliveryService,
    config: ConfigService<Configuration, true>,
  ) {
    super();
    this.enabled = config.getOrThrow('notifications.deliveryWorker', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    void this.worker.run().catch((error: unknown) => this.logger.error(`the delivery worker stopped: ${String(error)}`));
  }

  async process(job: Job<DeliveryBatch, void, 'codes'>): Promise<void> {
    const attempt = job.attemptsMade + 1;
    const { deliveries } = job.data;
    const results = await Promise.allSettled(
      deliveries.map((delivery) => this.sends.run(() => this.delivery.attempt(delivery, attempt))),
    );
    // attempt() reports provider failures as outcomes; anything it throws is unexpected and retried as well.
    const again = deliveries.filter((_, i) => {
      const result = results[i];
      return result.status === 'rejected' || result.value.outcome === 'retry';
    });
    if (again.length === 0) return;
    if (again.length < deliveries.length) await job.updateData({ deliveries: again });
    throw new Error(`${again.length} of ${deliveries.length} deliveries to retry`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`delivery worker: ${error.message}`);
  }
}
