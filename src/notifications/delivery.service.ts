import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { channelOf } from '../common/identifiers/identifier.js';
import { maskIdentifier, scrub } from '../common/logging/mask.js';
import type { Configuration } from '../config/configuration.js';
import { NoticeSealer, type DeliveryJob } from './delivery-job.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { renderEmail, renderSms, type CodeNotice } from './messages.js';
import { DeliveryFailure, EmailSender, SmsSender } from './senders.js';

export type AttemptResult =
  | { outcome: 'sent' | 'dropped' | 'failed' }
  /** Try again after `delayMs`. */
  | { outcome: 'retry'; delayMs: number };

/**
 * One delivery attempt of a queued job, with the retry policy both queues share: retryable failures are
 * retried with exponential backoff up to the attempt limit, but never past the code's expiry; permanent
 * failures are not retried. Every attempt is one structured log event and one metric.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger('Delivery');
  private readonly sealer: NoticeSealer;
  private readonly product: string;
  readonly maxAttempts: number;
  readonly backoffMs: number;

  constructor(
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    private readonly metrics: DeliveryMetrics,
    config: ConfigService<Configuration, true>,
  ) {
    this.sealer = new NoticeSealer(config.getOrThrow('otp.hmacSecret', { infer: true }));
    this.product = config.getOrThrow('app.productName', { infer: true });
    const { deliveryMaxAttempts, deliveryBackoffMs } = config.getOrThrow('notifications', { infer: true });
    this.maxAttempts = deliveryMaxAttempts;
    this.backoffMs = deliveryBackoffMs;
  }

  createJob(to: string, notice: CodeNotice, lifeSeconds: number): DeliveryJob {
    return { to, sealed: this.sealer.seal(notice), expiresAt: Date.now() + lifeSeconds * 1000 };
  }

  /** The delay before retry number `attempt` + 1 (exponential, as BullMQ's 'exponential' backoff). */
  backoffAfter(attempt: number): number {
    return this.backoffMs * 2 ** (attempt - 1);
  }

  async attempt(job: DeliveryJob, attempt: number): Promise<AttemptResult> {
    const channel = channelOf(job.to);
    const provider = channel === 'email' ? this.email.provider : this.sms.provider;
    const event = { to: maskIdentifier(job.to), channel, provider, attempt };
    if (Date.now() >= job.expiresAt) {
      this.record(event, 'dropped', 'the code expired before it could be delivered');
      return { outcome: 'dropped' };
    }
    try {
      const notice = this.sealer.open(job.sealed);
      if (channel === 'email') await this.email.send(renderEmail(job.to, notice, this.product));
      else await this.sms.send(renderSms(job.to, notice, this.product));
      this.record(event, 'sent');
      return { outcome: 'sent' };
    } catch (error) {
      const failure = error instanceof DeliveryFailure ? error : new DeliveryFailure(describe(error), true);
      const delayMs = this.backoffAfter(attempt);
      if (failure.retryable && attempt < this.maxAttempts && Date.now() + delayMs < job.expiresAt) {
        this.record(event, 'retried', failure.message);
        return { outcome: 'retry', delayMs };
      }
      const why = !failure.retryable
        ? 'permanent failure'
        : attempt >= this.maxAttempts
          ? 'no attempts left'
          : 'the code expires before the next try';
      this.record(event, 'failed', `${failure.message} (${why}, giving up)`);
      return { outcome: 'failed' };
    }
  }

  private record(event: Record<string, unknown>, outcome: 'sent' | 'retried' | 'failed' | 'dropped', detail?: string): void {
    this.metrics.count(String(event.provider), outcome);
    const line = JSON.stringify({ event: 'delivery', outcome, ...event, ...(detail ? { detail: scrub(detail) } : {}) });
    if (outcome === 'sent') this.logger.log(line);
    else if (outcome === 'retried') this.logger.warn(line);
    else this.logger.error(line);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
