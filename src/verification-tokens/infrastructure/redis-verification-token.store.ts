import { Injectable } from '@nestjs/common';
import { LuaScript } from '../../redis/lua-script.js';
import { RedisConnection } from '../../redis/redis-connection.js';
import { VerificationTokenStore, verificationTokenKey } from '../verification-token.store.js';

/** KEYS: vt. ARGV: binding. Returns the remaining ms when taken, -1 otherwise. */
const TAKE = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
return ttl
`);

@Injectable()
export class RedisVerificationTokenStore extends VerificationTokenStore {
  constructor(private readonly redis: RedisConnection) {
    super();
  }

  async save(tokenHash: string, binding: string, ttlMs: number): Promise<void> {
    await this.redis.run((client) => client.set(verificationTokenKey(tokenHash), binding, { PX: ttlMs }));
  }

  async take(tokenHash: string, binding: string): Promise<number | undefined> {
    const ttl = await this.redis.run((client) => TAKE.run<number>(client, [verificationTokenKey(tokenHash)], [binding]));
    return ttl > 0 ? ttl : undefined;
  }

  async restore(tokenHash: string, binding: string, ttlMs: number): Promise<void> {
    await this.redis.run((client) =>
      client.set(verificationTokenKey(tokenHash), binding, { PX: Math.max(1, ttlMs), NX: true }),
    );
  }
}
