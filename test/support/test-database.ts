import { DataSource } from 'typeorm';
import { typeOrmOptions } from '../../src/database/typeorm-options.js';

let migrated: Promise<void> | undefined;

/**
 * Brings the test database's schema up to date, once per test file (a no-op after the first file).
 * Refuses databases whose name does not say "test", because the suites empty the tables they use.
 */
export function migrateTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`e2e tests empty their tables: DATABASE_URL must name a test database, got "${name}"`);
  }
  migrated ??= (async () => {
    const dataSource = await new DataSource(typeOrmOptions({ url, poolSize: 1, timeoutMs: 5000 })).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
  })();
  return migrated;
}

/**
 * Empties every table the migrations have made but their bookkeeping and the signing keys: a running app
 * holds its keys and would refuse every token it issued once its next poll found the table empty.
 */
export async function emptyTables(dataSource: DataSource): Promise<void> {
  const tables: { name: string }[] = await dataSource.query(
    'SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL($1)',
    [[dataSource.options.migrationsTableName ?? 'migrations', 'signing_keys']],
  );
  if (tables.length) await dataSource.query(`TRUNCATE TABLE ${tables.map((t) => t.name).join(', ')} CASCADE`);
}
