// npm run bench [-- --smoke] [-- --users 1000000] [-- --only <operation>]
//
// Starts the built service in production mode against real PostgreSQL and Redis (delivery on the in-memory
// outbox, the resend cooldown set to 0 by configuration), prepares what each operation consumes, and drives
// it with autocannon on loopback: 50 connections, a warm-up, then a measured window. Beside it, a bare
// node:http server verifying an HS256 JWT is the floor no Node service beats here. Then the signing cost:
// `me`, `login` and `refresh` on an ES256 instance and an HS256 one, alternately. Prints one table, writes it
// to bench/results/<date>.md, and exits non-zero if any request failed.
//
// It owns its databases (BENCH_DATABASE_URL, default .../otpgate_bench, and <database>_hs256) and Redis
// databases (BENCH_REDIS_URL, default db 11, and db 13): all are emptied at the start. `--users N` also owns
// <database>_big and Redis db 12.
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { alternate } from './lib/compare.mjs';
import { connectRedis, prepareDatabase, startServer, stopServer, watchRss } from './lib/instances.mjs';
import { baselineToken, logins, me, measure, otpRequests, otpVerifications, redisBytesPerCode, refreshes } from './lib/operations.mjs';
import { renderReport } from './lib/report.mjs';
import { seedBenchUsers, seedUsers } from './lib/seed.mjs';
import { BASELINE_PORT, BIG, BIG_TARGET, HS256_TARGET, log, MAIN, ONLY, SECRETS, SMOKE } from './lib/settings.mjs';

async function main() {
  for (const target of [MAIN, HS256_TARGET, ...(BIG ? [BIG_TARGET] : [])]) {
    await prepareDatabase(target.databaseUrl);
    target.redis = await connectRedis(target.redisUrl);
  }
  const baseline = fork('bench/baseline-server.mjs', { env: { ...process.env, JWT_SECRET: SECRETS.JWT_SECRET, PORT: String(BASELINE_PORT) }, stdio: 'ignore' });
  await once(baseline, 'message');

  const phases = [await runPhase('empty table')];
  const comparisons = [];
  comparisons.push({
    title: 'Signing: HS256 vs ES256 (the default)',
    target: 0.1,
    ...(await alternate([{ target: HS256_TARGET, label: 'HS256' }, { target: MAIN, label: 'ES256' }], { me, login: logins, refresh: refreshes })),
  });
  if (BIG) {
    await seedUsers(BIG_TARGET, BIG);
    await MAIN.redis.flushDb();
    comparisons.push({
      title: `Empty table vs ${BIG.toLocaleString('en')} users`,
      ...(await alternate([{ target: MAIN, label: 'empty' }, { target: BIG_TARGET, label: 'large' }], { otp_request: otpRequests, login: logins, me })),
    });
  }
  baseline.kill();
  for (const target of [MAIN, HS256_TARGET, BIG_TARGET]) await target.redis?.close();

  const report = renderReport(phases, comparisons);
  process.stdout.write(`${report}\n`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${new Date().toISOString().slice(0, 10)}${SMOKE ? '-smoke' : ''}${BIG ? '-1m' : ''}.md`;
  writeFileSync(file, `${report}\n`);
  log(`written to ${file}`);
  const failed = [...phases.flatMap((p) => p.rows), ...comparisons.flatMap((c) => c.rows)].filter((r) => r.errors > 0);
  if (failed.length) {
    log(`requests failed in: ${failed.map((r) => r.name).join(', ')}`);
    process.exit(1);
  }
}

/** Every operation once on MAIN, against the bare baseline, with the service's memory. */
async function runPhase(label) {
  log(`phase: ${label}`);
  const { server, startupMs } = await startServer(MAIN);
  const rss = watchRss(server.pid);
  try {
    const users = await seedBenchUsers(MAIN, 5_000);
    const rows = [await measure('baseline', { url: `http://127.0.0.1:${BASELINE_PORT}/`, headers: { authorization: `Bearer ${baselineToken(users[0].id)}` } })];
    rss.lap();
    const operations = { me, otp_request: otpRequests, otp_verify: otpVerifications, login: logins, refresh: refreshes };
    for (const [name, prepare] of Object.entries(operations)) {
      if (ONLY && ONLY !== name) continue;
      const row = await measure(name, await prepare(MAIN, users));
      row.rssMb = rss.lap();
      log(`${name}: service peak RSS ${row.rssMb} MB`);
      rows.push(row);
    }
    return { label, rows, startupMs, peakRssMb: rss.stop(), memory: await redisBytesPerCode(MAIN.redis) };
  } finally {
    await stopServer(server);
  }
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
