import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';

/** Paths never refused: a load balancer's health check and the metrics scrape must see a busy instance. */
const ALWAYS_SERVED = new Set(['/health', '/metrics']);

/**
 * Bounds the requests this process works on at once (MAX_REQUESTS_IN_FLIGHT). When PostgreSQL or Redis
 * slows down, requests pile up for up to their timeouts; past the bound the next ones get an immediate 503
 * instead of joining the pile, so a stall cannot grow the heap until V8 (capped by start:prod's
 * --max-old-space-size) aborts the process.
 */
export class RequestsInFlight {
  private count = 0;

  constructor(private readonly limit: number) {}

  get current(): number {
    return this.count;
  }

  /** Counts the request until its response is finished or its connection closes; false when over the limit. */
  admit(request: FastifyRequest, reply: FastifyReply): boolean {
    if (this.limit === 0 || ALWAYS_SERVED.has(request.routeOptions.url ?? '')) return true;
    if (this.count >= this.limit) return false;
    this.count++;
    reply.raw.once('close', () => this.count--);
    return true;
  }
}

export function atCapacityError(): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', 'The service is at capacity; try again shortly', { reason: 'at_capacity' }, { 'retry-after': '1' });
}
