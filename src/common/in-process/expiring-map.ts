import type { OnModuleDestroy } from '@nestjs/common';

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A Map whose entries vanish after their time to live: the in-process stand-in for Redis keys with a TTL
 * in the embedded default. Every method is synchronous, so a read-modify-write done inside one call is
 * atomic, as a Lua script is in Redis. Expired entries are swept periodically so memory stays bounded.
 */
export class ExpiringMap<V> implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    sweepIntervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs).unref();
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Milliseconds left to live, or 0 when the key is absent. */
  ttl(key: string): number {
    return this.get(key) === undefined ? 0 : this.entries.get(key)!.expiresAt - this.now();
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** Replaces the value and keeps the remaining time to live. */
  update(key: string, value: V): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = value;
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
