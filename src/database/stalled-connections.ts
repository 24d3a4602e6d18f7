import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * A query that outlives its query_timeout fails at once, but its connection still waits for that query's
 * answer, and TypeORM hands it back to the pool as healthy: every later query given that connection would
 * queue behind the lost one and time out too, for as long as the server stays silent (for good, after a
 * failover away from a server that hung). Such a connection is closed as it is released, so the pool opens
 * a fresh one instead.
 */
@Injectable()
export class StalledConnections implements OnModuleInit {
  private readonly logger = new Logger('Database');
  private lastLog = 0;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    pool.on('release', (_error, client) => this.closeIfStalled(client));
  }

  private closeIfStalled(client: PoolClient): void {
    // pg's client forgets its active query once the server has answered it (ReadyForQuery, or an error);
    // one still active at release timed out, and the connection still owes its answer. pg has no public
    // accessor for it (`activeQuery` is deprecated in favour of this one).
    const stalled = client as PoolClient & { _getActiveQuery?: () => unknown; connection?: { stream?: { destroy(): void } } };
    if (!stalled._getActiveQuery?.()) return;
    stalled.connection?.stream?.destroy();
    const now = Date.now();
    if (now - this.lastLog < 5000) return;
    this.lastLog = now;
    this.logger.warn('Closed a PostgreSQL connection whose query timed out (DEPENDENCY_TIMEOUT_MS); the pool opens fresh ones');
  }
}
