import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from './embedded-postgres.js';

/**
 * Before the app serves: the embedded database gets its migrations applied; a real one must already be
 * current (migrations are a deploy step, `npm run migration:run`), or start-up fails saying so.
 */
@Injectable()
export class SchemaCheck implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly embedded: EmbeddedPostgres,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!(await this.dataSource.showMigrations())) return;
    if (!this.embedded.inUse) {
      throw new Error('The database schema is behind this version of otpgate: run `npm run migration:run` first');
    }
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    this.logger.log(`Applied ${applied.length} migration(s) to the embedded database`);
  }
}
