import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Once per jest run, before the e2e files: backends of its own for every jest worker, so that files running
 * in parallel never empty each other's tables or Redis keys (reset() deletes every `otp:*`, `limit:*`, ...
 * key, and some counters are service-wide, like the SMS daily cap).
 * - DATABASE_URL set (CI): worker n gets a fresh database `<name>_w<n>` on that server, dropped at the end.
 * - DATABASE_URL unset: worker n gets an embedded PostgreSQL (PGlite) served from this process, and a DATA_DIR
 *   that points to it; the test apps attach to it as the CLI attaches to a running server's (see
 *   src/database/embedded-postgres.ts), and the first one applies the migrations. Starting and migrating a
 *   PGlite of its own takes an app about 10 s.
 * - REDIS_URL set: worker n uses the database index n-1 below the given one (/15: 15, 14, ...).
 * Each worker's share reaches test/support/env.ts as TEST_WORKER_BACKENDS; global-teardown.ts removes it.
 * Jest loads this file outside its module mapping: it must import nothing of the project.
 */
export interface TestRun {
  /** The per-worker databases, and the URL of the server to drop them through. */
  databases?: { url: string; names: string[] };
  /** The embedded databases served to the workers (with the DATA_DIR that leads to each), and where those are. */
  embedded?: { dir: string; servers: { db: PGlite; server: PGLiteSocketServer; dataDir: string }[] };
}

declare global {
  var otpgateTestRun: TestRun | undefined;
}

export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const workers = Math.max(1, globalConfig.maxWorkers);
  const backends: Record<string, string>[] = Array.from({ length: workers }, () => ({}));
  const run: TestRun = {};
  globalThis.otpgateTestRun = run;

  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    run.databases = await createWorkerDatabases(databaseUrl, workers);
    run.databases.names.forEach((name, i) => (backends[i].DATABASE_URL = withPath(databaseUrl, name)));
  } else {
    run.embedded = await serveEmbeddedDatabases(workers);
    run.embedded.servers.forEach(({ dataDir }, i) => (backends[i].TEST_WORKER_DATA_DIR = dataDir));
  }

  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const base = Number(new URL(redisUrl).pathname.slice(1) || 0);
    if (base < workers - 1) {
      throw new Error(`REDIS_URL names database ${base}, but ${workers} jest workers use it and the ${workers - 1} below it: name a higher one (e.g. /15)`);
    }
    backends.forEach((b, i) => (b.REDIS_URL = withPath(redisUrl, String(base - i))));
  }

  process.env.TEST_WORKER_BACKENDS = JSON.stringify(backends);
}

async function createWorkerDatabases(url: string, workers: number): Promise<{ url: string; names: string[] }> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // The e2e files empty their tables, and this drops databases: only ever ones named as test databases.
  if (!/test/i.test(name)) throw new Error(`e2e tests empty their tables: DATABASE_URL must name a test database, got "${name}"`);
  const names = Array.from({ length: workers }, (_, i) => `${name}_w${i + 1}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const worker of names) {
      // WITH (FORCE): a run that was killed may have left connections behind.
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(worker)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(worker)}`);
    }
  } finally {
    await client.end();
  }
  return { url, names };
}

/**
 * In memory, so nothing is left behind and no app can open the same files: one initdb (the slow part), and
 * a copy of its result for every further worker.
 */
async function serveEmbeddedDatabases(workers: number): Promise<NonNullable<TestRun['embedded']>> {
  const dir = mkdtempSync(join(tmpdir(), 'otpgate-test-run-'));
  const first = await PGlite.create();
  const snapshot = workers > 1 ? await first.dumpDataDir('none') : undefined;
  const servers = [];
  for (let n = 1; n <= workers; n++) {
    const db = n === 1 ? first : await PGlite.create({ loadDataDir: snapshot });
    // Several connections: the apps of a file that are open at once, the CLI, and slots still being freed.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
    await server.start();
    // Where EmbeddedPostgres looks for a running server on DATA_DIR: the process that serves it, and its port.
    const dataDir = join(dir, `w${n}`);
    mkdirSync(join(dataDir, 'pglite'), { recursive: true });
    const port = Number(server.getServerConn().split(':').pop());
    writeFileSync(join(dataDir, 'pglite', 'server.json'), JSON.stringify({ pid: process.pid, port }));
    servers.push({ db, server, dataDir });
  }
  return { dir, servers };
}

function withPath(url: string, path: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(path)}`;
  return parsed.toString();
}
