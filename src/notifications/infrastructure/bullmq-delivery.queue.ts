import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { ServiceUnavailableError } from '../../common/errors/domain-error.js';
import type { Configuration } from '../../config/configuration.js';
import type { DeliveryJob } from '../delivery-job.js';
import { DELIVERY_QUEUE_NAME, DeliveryQueue } from '../delivery-queue.js';
import { DeliveryService } from '../delivery.service.js';

/**
 * Queues deliveries in Redis with BullMQ. Jobs hold the sealed notice only, and are removed when they
 * complete or fail, so nothing of a code is kept. Enqueueing is bounded by DEPENDENCY_TIMEOUT_MS.
 */
@Injectable()
export class BullMqDeliveryQueue extends DeliveryQueue {
  private readonly timeoutMs: number;

  constructor(
    @InjectQueue(DELIVERY_QUEUE_NAME) private readonly queue: Queue<DeliveryJob>,
    private readonly delivery: DeliveryService,
    config: ConfigService<Configuration, true>,
  ) {
    super();
    this.timeoutMs = config.getOrThrow('app.dependencyTimeoutMs', { infer: true });
  }

  async enqueue(job: DeliveryJob): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServiceUnavailableError('Redis')), this.timeoutMs);
    });
    try {
      await Promise.race([
        this.queue.add('code', job, {
          attempts: this.delivery.maxAttempts,
          backoff: { type: 'exponential', delay: this.delivery.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        }),
        deadline,
      ]);
    } catch (error) {
      throw error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError('Redis', error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The BullMQ worker. It runs in the API process unless DELIVERY_WORKER=false (then run `npm run worker`
 * elsewhere). A retryable failure is thrown back to BullMQ, which retries with exponential backoff; a final
 * one is thrown as UnrecoverableError, so BullMQ does not retry it.
 */
@Processor(DELIVERY_QUEUE_NAME, { autorun: false, concurrency: 50 })
export class DeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly enabled: boolean;

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

  async process(job: Job<DeliveryJob>): Promise<void> {
    const result = await this.delivery.attempt(job.data, job.attemptsMade + 1);
    if (result.outcome === 'retry') throw new Error('retryable delivery failure');
    if (result.outcome === 'failed') throw new UnrecoverableError('delivery failed for good');
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`delivery worker: ${error.message}`);
  }
}
