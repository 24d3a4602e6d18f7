interface Waiter<R> {
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the items its callers push during one turn of the event loop and hands them to `run` together
 * (DataLoader's idea). Under load each round trip to PostgreSQL or Redis then serves many requests: one
 * socket write and one statement or script per batch instead of per request. A caller alone waits for
 * nothing but the end of the current turn. A failed batch fails each of its callers with the same error.
 */
export class TurnBatcher<T, R> {
  private items: T[] = [];
  private waiters: Waiter<R>[] = [];

  constructor(
    /** Results in the order of `items`. */
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.items.length === 0) setImmediate(() => this.flush());
      this.items.push(item);
      this.waiters.push({ resolve, reject });
      if (this.items.length >= this.maxBatch) this.flush();
    });
  }

  private flush(): void {
    if (this.items.length === 0) return;
    const { items, waiters } = this;
    this.items = [];
    this.waiters = [];
    // run() starts on a microtask so that even a synchronous throw reaches the callers as a rejection.
    Promise.resolve(items)
      .then((batch) => this.run(batch))
      .then(
        (results) => waiters.forEach((waiter, i) => waiter.resolve(results[i])),
        (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
      );
  }
}
