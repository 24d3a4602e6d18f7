import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { EventEmitter } from 'node:events';
import type { Job, Queue } from 'bullmq';
import type { Configuration } from '../../config/configuration.js';
import type { DeliveryJob } from '../delivery-job.js';
import type { AttemptResult, DeliveryService } from '../delivery.service.js';
import { BullMqDeliveryQueue, DeliveryProcessor, type DeliveryBatch } from './bullmq-delivery.queue.js';

const config = { getOrThrow: () => 1000 } as unknown as ConfigService<Configuration, true>;
const delivery = (to: string): DeliveryJob => ({ to, sealed: `sealed-for-${to}`, expiresAt: Date.now() + 60_000 });

describe('BullMqDeliveryQueue', () => {
  it('queues the deliveries of one turn as one job, with the retry policy', async () => {
    const add = jest.fn(async () => ({}));
    const queue = new BullMqDeliveryQueue(
      Object.assign(new EventEmitter(), { add }) as unknown as Queue<DeliveryBatch, void, 'codes'>,
      { maxAttempts: 5, backoffMs: 1000 } as DeliveryService,
      config,
    );
    const [a, b, c] = [delivery('a@x.test'), delivery('b@x.test'), delivery('c@x.test')];
    await Promise.all([queue.enqueue(a), queue.enqueue(b)]);
    await queue.enqueue(c);
    expect(add.mock.calls).toEqual([
      ['codes', { deliveries: [a, b] }, { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true }],
      ['codes', { deliveries: [c] }, expect.anything()],
    ]);
  });

  it('logs the queue connection errors of an outage in one line per 5 s, instead of BullMQ printing each', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const events = new EventEmitter();
      new BullMqDeliveryQueue(events as unknown as Queue<DeliveryBatch, void, 'codes'>, {} as DeliveryService, config);
      for (let i = 0; i < 3; i++) events.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      expect(warn.mock.calls).toEqual([['delivery queue: connect ECONNREFUSED 127.0.0.1:6379']]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('DeliveryProcessor', () => {
  function processorAnswering(outcomes: Record<string, AttemptResult['outcome']>) {
    const attempts: [string, number][] = [];
    const service = {
      attempt: async (job: DeliveryJob, attempt: number): Promise<AttemptResult> => {
        attempts.push([job.to, attempt]);
        const outcome = outcomes[job.to];
        return outcome === 'retry' ? { outcome, delayMs: 10 } : { outcome };
      },
    } as unknown as DeliveryService;
    const processor = new DeliveryProcessor(service, { getOrThrow: () => true } as unknown as ConfigService<Configuration, true>);
    return { processor, attempts };
  }

  function batchJob(deliveries: DeliveryJob[], attemptsMade = 0) {
    const job = {
      name: 'codes',
      data: { deliveries },
      attemptsMade,
      updateData: jest.fn(async (data: DeliveryBatch) => void (job.data = data)),
    };
    return job;
  }

  it('keeps only the deliveries to retry in the job, so the ones sent are not sent again', async () => {
    const { processor, attempts } = processorAnswering({ 'sent@x.test': 'sent', 'retry@x.test': 'retry', 'gone@x.test': 'failed' });
    const job = batchJob([delivery('sent@x.test'), delivery('retry@x.test'), delivery('gone@x.test')]);
    await expect(processor.process(job as unknown as Job<DeliveryBatch, void, 'codes'>)).rejects.toThrow('1 of 3 deliveries to retry');
    expect(job.updateData).toHaveBeenCalledWith({ deliveries: [expect.objectContaining({ to: 'retry@x.test' })] });
    expect(attempts).toEqual([
      ['sent@x.test', 1],
      ['retry@x.test', 1],
      ['gone@x.test', 1],
    ]);
  });

  it('completes a job with nothing left to retry, final failures included', async () => {
    const { processor } = processorAnswering({ 'sent@x.test': 'sent', 'gone@x.test': 'failed', 'late@x.test': 'dropped' });
    const job = batchJob([delivery('sent@x.test'), delivery('gone@x.test'), delivery('late@x.test')], 2);
    await expect(processor.process(job as unknown as Job<DeliveryBatch, void, 'codes'>)).resolves.toBeUndefined();
    expect(job.updateData).not.toHaveBeenCalled();
  });

  it('retries a whole job without rewriting it when every delivery is to retry', async () => {
    const { processor } = processorAnswering({ 'a@x.test': 'retry', 'b@x.test': 'retry' });
    const job = batchJob([delivery('a@x.test'), delivery('b@x.test')]);
    await expect(processor.process(job as unknown as Job<DeliveryBatch, void, 'codes'>)).rejects.toThrow('2 of 2');
    expect(job.updateData).not.toHaveBeenCalled();
  });

  it('keeps a delivery whose attempt threw for the retry', async () => {
    const service = {
      attempt: async (job: DeliveryJob): Promise<AttemptResult> => {
        if (job.to === 'odd@x.test') throw new Error('unexpected');
        return { outcome: 'sent' };
      },
    } as unknown as DeliveryService;
    const processor = new DeliveryProcessor(service, { getOrThrow: () => true } as unknown as ConfigService<Configuration, true>);
    const job = batchJob([delivery('ok@x.test'), delivery('odd@x.test')]);
    await expect(processor.process(job as unknown as Job<DeliveryBatch, void, 'codes'>)).rejects.toThrow('1 of 2');
    expect(job.updateData).toHaveBeenCalledWith({ deliveries: [expect.objectContaining({ to: 'odd@x.test' })] });
  });
});
