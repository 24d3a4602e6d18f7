import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExpiringMap } from '../common/in-process/expiring-map.js';
import { LuaScript } from './lua-script.js';
import { RedisConnection } from './redis-connection.js';

/** Short-lived single-use values (OAuth state, exchange codes): put once, taken at most once. */
export abstract class OneTimeStore {
  abstract put(key: string, value: string, ttlMs: number): Promise<void>;
  /** Returns and deletes the value in one atomic step; undefined when absent or already taken. */
  abstract take(key: string): Promise<string | undefined>;
}

const TAKE = new LuaScript(`local v = redis.call('GET', KEYS[1]); if v then redis.call('DEL', KEYS[1]) end; return v`);

@Injectable()
export class RedisOneTimeStore extends OneTimeStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.run((client) => client.set(key, value, { PX: ttlMs }));
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.redis.run((client) => TAKE.run<string | null>(client, [key], []))) ?? undefined;
  }
}

@Injectable()
export class InProcessOneTimeStore extends OneTimeStore implements OnModuleDestroy {
  private readonly values = new ExpiringMap<string>();

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.values.set(key, value, ttlMs);
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.values.get(key);
    this.values.delete(key);
    return value;
  }

  onModuleDestroy(): void {
    this.values.onModuleDestroy();
  }
}
