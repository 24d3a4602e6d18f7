import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { readBackendsConfig } from '../config/backends.config.js';
import { typeOrmOptions } from './typeorm-options.js';

/**
 * The data source of the TypeORM CLI (`npm run migration:run`, `migration:generate`), built from the same
 * options as the app. It needs DATABASE_URL: migrations are applied to a real server; the embedded
 * database applies them itself at start-up.
 */
const { databaseUrl } = readBackendsConfig();
if (!databaseUrl) {
  throw new Error('DATABASE_URL is not set: the migration commands need the PostgreSQL server to migrate');
}

export default new DataSource(typeOrmOptions({ url: databaseUrl, poolSize: 2, timeoutMs: 5000 }));
