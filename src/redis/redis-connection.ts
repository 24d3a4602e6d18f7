import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createClient, type RedisClientType } from '@redis/client';
import { ServiceUnavailableError } from '../common/errors/domain-error.js';
import { asRedisUnavailable } from '../common/errors/unavailable.js';
import type { Configuration } from '../config/configuration.js';

export type RedisClient = RedisClientType;

/**
 * The one node-redis client of the process, or none when REDIS_URL is unset (the embedded default, where
 * every Redis-backed port uses its in-process adapter). Commands fail fast while Redis is away: no offline
 * queue, a per-command timeout, and reconnection in the background, so requests get a 503 and the service
 * recovers by itself.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: RedisClient | undefined;
  private readonly logger = new Logger(RedisConnection.name);
  private readonly timeoutMs: number;
  private lastErrorLog = 0;

  constructor(config: ConfigService<Configuration, true>) {
    const url = config.getOrThrow('backends', { infer: true }).redisUrl;
    this.timeoutMs = config.getOrThrow('app.dependencyTimeoutMs', { infer: true });
    if (!url) return;
    this.client = createClient({
      url,
      // No per-command timeout option: it creates an AbortSignal per command (seen at ~4 % of CPU under
      // load); run() puts one deadline on the whole operation instead.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.timeoutMs,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
      },
    });
    this.client.on('error', (error: Error) => this.logError(error));
    this.client.on('ready', () => this.logger.log('Redis connection ready'));
  }

  async onModuleInit(): Promise<void> {
    if (!this.client) return;
    const connecting = this.client.connect().catch((error: unknown) => this.logError(error));
    const ready = await Promise.race([
      connecting.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, 3 * this.timeoutMs, false).unref()),
    ]);
    if (!ready) this.logger.warn('Redis is not answering; requests that need it answer 503 until it does');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client?.isOpen) await this.client.close();
  }

  /** Runs commands, turning "Redis is unreachable or slow" into SERVICE_UNAVAILABLE. */
  async run<T>(operation: (client: RedisClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) throw new Error('RedisConnection.run called without REDIS_URL');
    if (!client.isReady) throw new ServiceUnavailableError('Redis');
    // node-redis times out commands only while they wait in its queue; one already written to a server
    // that stopped answering would wait forever, so the whole operation gets its own deadline.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ServiceUnavailableError('Redis')), this.timeoutMs);
    });
    try {
      return await Promise.race([operation(client), deadline]);
    } catch (error) {
      throw asRedisUnavailable(error) ?? error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** True when Redis answers a PING in time. */
  async isHealthy(): Promise<boolean> {
    try {
      return (await this.run((client) => client.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  private logError(error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog < 5000) return;
    this.lastErrorLog = now;
    this.logger.warn(`Redis: ${error instanceof Error ? error.message || error.name : String(error)}`);
  }
}
