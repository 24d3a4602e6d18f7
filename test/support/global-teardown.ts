import { rmSync } from 'node:fs';
import pg from 'pg';

/** Undoes global-setup.ts: drops the per-worker databases, stops the embedded ones and removes their DATA_DIRs. */
export default async function globalTeardown(): Promise<void> {
  const run = globalThis.otpgateTestRun;
  if (run?.databases) {
    const client = new pg.Client({ connectionString: run.databases.url });
    await client.connect();
    try {
      for (const name of run.databases.names) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  if (run?.embedded) {
    for (const { server, db } of run.embedded.servers) {
      await server.stop();
      await db.close();
    }
    rmSync(run.embedded.dir, { recursive: true, force: true });
  }
}
