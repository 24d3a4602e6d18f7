/** The outcome of one counted hit. */
export type HitOutcome = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Fixed-window counters: a window opens with the first hit on a key and lasts `windowMs`; hits past
 * `limit` within it are refused until it closes. Each hit is one atomic step, shared by every instance
 * through Redis (in-process in the embedded default).
 */
export abstract class RateLimiter {
  abstract hit(key: string, limit: number, windowMs: number): Promise<HitOutcome>;
}
