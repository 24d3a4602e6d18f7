import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Configuration } from '../config/configuration.js';
import { RedisConnection } from '../redis/redis-connection.js';
import type { HealthDto } from './health.dto.js';

@Injectable()
export class HealthService {
  private readonly timeoutMs: number;
  private readonly databaseMode: 'external' | 'embedded';

  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisConnection,
    config: ConfigService<Configuration, true>,
  ) {
    this.timeoutMs = config.getOrThrow('app.dependencyTimeoutMs', { infer: true });
    this.databaseMode = config.getOrThrow('backends', { infer: true }).databaseUrl ? 'external' : 'embedded';
  }

  async check(): Promise<HealthDto> {
    const [postgres, redis] = await Promise.all([this.postgresUp(), this.redis.client ? this.redis.isHealthy() : true]);
    return {
      status: postgres && redis ? 'ok' : 'degraded',
      postgres: { status: postgres ? 'up' : 'down', mode: this.databaseMode },
      redis: { status: redis ? 'up' : 'down', mode: this.redis.client ? 'external' : 'embedded' },
    };
  }

  private async postgresUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, this.timeoutMs, false)));
    const query = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
