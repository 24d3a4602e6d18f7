import { createHash } from 'node:crypto';
import { ErrorReply } from '@redis/client';
import type { RedisClient } from './redis-connection.js';

/** A Lua script run by SHA, loaded on first use and again after a Redis restart (NOSCRIPT). */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run<T>(client: RedisClient, keys: string[], args: (string | number)[]): Promise<T> {
    const options = { keys, arguments: args.map(String) };
    try {
      return (await client.evalSha(this.sha, options)) as T;
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await client.eval(this.source, options)) as T;
    }
  }
}

/** Lua that sets `now` to Redis's own clock in epoch ms, so every instance agrees on time. */
export const LUA_NOW_MS = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
