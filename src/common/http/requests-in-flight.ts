import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

/** Paths never refused: a load balancer's health check and the metrics scrape must see a busy instance. */
const ALWAYS_SERVED = new Set(['/health', '/metrics']);

/** The answer past the bound, made once: refusing must stay cheap when the process is already overloaded. */
export const AT_CAPACITY = new DomainError(
  'SERVICE_UNAVAILABLE',
  'The service is at capacity; try again shortly',
  { reason: 'at_capacity' },
  { 'retry-after': '1' },
);

/**
 * Bounds the requests this process works on at once (MAX_REQUESTS_IN_FLIGHT). When PostgreSQL or Redis
 * slows down, requests pile up for up to their timeouts; past the bound the next ones get an immediate 503
 * instead of joining the pile, so a stall cannot grow the heap until V8 (capped by start:prod's
 * --max-old-space-size) aborts the process. Refusals are logged as one line per second, not one each.
 */
export class RequestsInFlight {
  private readonly logger = new Logger('Capacity');
  private count = 0;
  private refused = 0;

  constructor(private readonly limit: number) {}

  /** Counts the request until its response is finished or its connection closes; false when over the limit. */
  admit(request: FastifyRequest, reply: FastifyReply): boolean {
    if (this.limit === 0 || ALWAYS_SERVED.has(request.routeOptions.url ?? '')) return true;
    if (this.count >= this.limit) {
      if (this.refused++ === 0) setTimeout(() => this.report(), 1000).unref();
      return false;
    }
    this.count++;
    reply.raw.once('close', () => this.count--);
    return true;
  }

  private report(): void {
    this.logger.warn(`${this.refused} requests refused at capacity (MAX_REQUESTS_IN_FLIGHT=${this.limit}) in the last second`);
    this.refused = 0;
  }
}
