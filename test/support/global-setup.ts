import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../../src/database/typeorm-options.js';

/**
 * Once per run: bring the test database's schema up to date. Refuses databases whose name does not
 * say "test", because the suites empty the tables they use.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`e2e tests empty their tables: DATABASE_URL must name a test database, got "${name}"`);
  }
  const dataSource = await new DataSource(typeOrmOptions({ url, poolSize: 1, timeoutMs: 5000 })).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
