// Users straight into PostgreSQL.
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { sql } from './instances.mjs';
import { log } from './settings.mjs';

/** The users the operations act on. */
export async function seedBenchUsers({ databaseUrl }, count) {
  const rows = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), email: `bench.${i}.${randomUUID().slice(0, 6)}@bench.test` }));
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await sql(
      databaseUrl,
      `INSERT INTO users (id, email, is_verified) SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::boolean[])`,
      [chunk.map((r) => r.id), chunk.map((r) => r.email), chunk.map(() => true)],
    );
  }
  return rows;
}

/** The 1M-user table, with COPY. */
export async function seedUsers({ databaseUrl }, count) {
  log(`seeding ${count.toLocaleString('en')} users with COPY`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  let i = 0;
  const source = new Readable({
    read() {
      for (let n = 0; n < 5000 && i < count; n++, i++) {
        this.push(`${randomUUID()}\tu${i}x\tseed.${i}@seed.test\t\\N\tt\n`);
      }
      if (i >= count) this.push(null);
    },
  });
  await pipeline(source, client.query(copyStreams.from('COPY users (id, username, email, phone, is_verified) FROM STDIN')));
  await client.query('ANALYZE users');
  await client.end();
  log(`seeded in ${Math.round((performance.now() - started) / 1000)} s`);
}
