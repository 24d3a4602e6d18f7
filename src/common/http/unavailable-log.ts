import { Logger } from '@nestjs/common';

interface Window {
  count: number;
  /** The first 503 of the window, named with its request id and cause, so one can be traced. */
  first: string;
}

/**
 * The log of 503s answered because a dependency is down or conflicted: one line per dependency per second,
 * with a count and the first request of that second, instead of one line per request (an outage answered
 * ~50 requests a second, each with its own WARN line). Refusals at capacity are grouped the same way
 * (requests-in-flight.ts).
 */
export class UnavailableLog {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly logger: Logger = new Logger('Errors')) {}

  /** `what`: the error's message ("PostgreSQL is unavailable; ..."), which names the dependency. */
  record(what: string, requestId: string, cause: string): void {
    const open = this.windows.get(what);
    if (open) {
      open.count++;
      return;
    }
    this.windows.set(what, { count: 1, first: `request ${requestId}: ${cause}` });
    setTimeout(() => this.report(what), 1000).unref();
  }

  private report(what: string): void {
    const window = this.windows.get(what)!;
    this.windows.delete(what);
    const requests = window.count === 1 ? '1 request' : `${window.count} requests`;
    this.logger.warn(`${what}: ${requests} answered 503 in the last second (first: ${window.first})`);
  }
}
