// npm run bench [-- --smoke] [-- --users 1000000]
//
// Starts the built service in production mode against real PostgreSQL and Redis (delivery on the in-memory
// outbox, the resend cooldown set to 0 by configuration), prepares what each operation consumes, and drives
// it with autocannon on loopback: 50 connections, a warm-up, then a measured window. Beside it, a bare
// node:http server verifying the same HS256 JWT is the floor no Node service beats here. Prints one table,
// writes it to bench/results/<date>.md, and exits non-zero if any request failed.
//
// It owns its database (BENCH_DATABASE_URL, default .../otpgate_bench) and Redis database (BENCH_REDIS_URL,
// default db 11): both are emptied at the start. `--users N` also owns <database>_big and the next Redis db.
import autocannon from 'autocannon';
import { fork, spawn, spawnSync } from 'node:child_process';
import { createHash, createHmac, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createClient } from '@redis/client';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

const args = process.argv.slice(2);
const SMOKE = args.includes('--smoke');
const BIG = Number(args[args.indexOf('--users') + 1]) || 0;
/** `--only login` measures the baseline and one operation (for profiling). */
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const DURATION = SMOKE ? 2 : 10;
const WARMUP = SMOKE ? 1 : 3;
const CONNECTIONS = 50;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/otpgate_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';
const PORT = 3900;
const BASELINE_PORT = 3901;
/** What one service instance runs on and where its requests go. */
const MAIN = { port: PORT, databaseUrl: DATABASE_URL, redisUrl: REDIS_URL };
/** The instance on the large table (`--users`): its own database and Redis database, beside MAIN. */
const BIG_TARGET = {
  port: 3902,
  databaseUrl: Object.assign(new URL(DATABASE_URL), { pathname: `${new URL(DATABASE_URL).pathname}_big` }).toString(),
  redisUrl: Object.assign(new URL(REDIS_URL), { pathname: `/${Number(new URL(REDIS_URL).pathname.slice(1) || 0) + 1}` }).toString(),
};
/** Alternating rounds per operation when comparing the empty and the large table. */
const ROUNDS = 5;
const JWT_SECRET = randomBytes(32).toString('base64url');
const OTP_HMAC_SECRET = randomBytes(32).toString('base64url');
/** Codes and verification tokens prepared per operation: more than the fastest run consumes. */
const PREPARED = 12_000 * (WARMUP + DURATION);

const TARGETS = {
  me: { rps: 10_000, p99: 15, baseline: 0.33 },
  otp_request: { rps: 3_000, p99: 40 },
  otp_verify: { rps: 4_000, p99: 30 },
  login: { rps: 2_500, p99: 40 },
  refresh: { rps: 2_500, p99: 40 },
};

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

async function main() {
  await prepareDatabase(MAIN.databaseUrl);
  const redis = await connectRedis(MAIN.redisUrl);
  MAIN.redis = redis;

  const baseline = fork('bench/baseline-server.mjs', { env: { ...process.env, JWT_SECRET, PORT: String(BASELINE_PORT) }, stdio: 'ignore' });
  await once(baseline, 'message');

  const phases = [];
  phases.push(await runPhase('empty table'));
  const comparison = BIG ? await compareTableSizes(BIG) : undefined;
  baseline.kill();
  await redis.close();

  const report = renderReport(phases, comparison);
  process.stdout.write(`${report}\n`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${new Date().toISOString().slice(0, 10)}${SMOKE ? '-smoke' : ''}${BIG ? '-1m' : ''}.md`;
  writeFileSync(file, `${report}\n`);
  log(`written to ${file}`);
  const failed = [...phases.flatMap((p) => p.rows), ...(comparison?.rows ?? [])].filter((r) => r.errors > 0);
  if (failed.length) {
    log(`requests failed in: ${failed.map((r) => r.name).join(', ')}`);
    process.exit(1);
  }
}

async function connectRedis(url) {
  const redis = createClient({ url });
  await redis.connect();
  await redis.flushDb();
  return redis;
}

async function runPhase(label) {
  log(`phase: ${label}`);
  const { server, startupMs } = await startServer(MAIN);
  const rss = watchRss(server.pid);
  try {
    const users = await seedBenchUsers(MAIN, 5_000);
    const rows = [];
    const bearer = `Bearer ${signAccess(users[0].id)}`;
    rows.push(await measure('baseline', { url: `http://127.0.0.1:${BASELINE_PORT}/`, headers: { authorization: bearer } }));
    rss.lap();
    const operations = {
      me: async () => ({ url: `http://127.0.0.1:${PORT}/api/auth/me`, headers: { authorization: bearer } }),
      otp_request: async () => otpRequests(MAIN),
      otp_verify: () => otpVerifications(MAIN),
      login: () => logins(MAIN, users),
      refresh: () => refreshes(MAIN, users),
    };
    for (const [name, prepare] of Object.entries(operations)) {
      if (ONLY && ONLY !== name) continue;
      const row = await measure(name, await prepare());
      row.rssMb = rss.lap();
      log(`${name}: service peak RSS ${row.rssMb} MB`);
      rows.push(row);
    }
    const memory = await redisBytesPerCode(MAIN.redis);
    return { label, rows, startupMs, peakRssMb: rss.stop(), memory };
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}

/**
 * The `--users` mode: a second instance on its own database holding `count` users, beside the first on an
 * empty table. This host's speed drifts by tens of percent within minutes, more than the 10 % the table
 * size may cost, so each operation is measured on the two instances alternately, ROUNDS times, and the
 * change is the median of the rounds' changes (each round's pair ran within seconds of each other).
 */
async function compareTableSizes(count) {
  await prepareDatabase(BIG_TARGET.databaseUrl);
  await seedUsers(BIG_TARGET, count);
  BIG_TARGET.redis = await connectRedis(BIG_TARGET.redisUrl);
  await MAIN.redis.flushDb();
  const instances = [];
  try {
    for (const target of [MAIN, BIG_TARGET]) {
      const { server } = await startServer(target);
      const users = await seedBenchUsers(target, 5_000);
      instances.push({ target, server, users, bearer: `Bearer ${signAccess(users[0].id)}` });
    }
    const operations = {
      otp_request: ({ target }) => otpRequests(target),
      login: ({ target, users }) => logins(target, users),
      me: async ({ target, bearer }) => ({ url: `http://127.0.0.1:${target.port}/api/auth/me`, headers: { authorization: bearer } }),
    };
    const rows = [];
    for (const [name, prepare] of Object.entries(operations)) {
      if (ONLY && ONLY !== name) continue;
      const rounds = [];
      let errors = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const empty = await measure(`${name} (empty table)`, await prepare(instances[0]));
        const big = await measure(`${name} (${count} users)`, await prepare(instances[1]));
        rounds.push([empty.rps, big.rps]);
        errors += empty.errors + big.errors;
      }
      rows.push({ name, rounds, errors });
    }
    return { count, rows };
  } finally {
    for (const { server } of instances) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await BIG_TARGET.redis.close();
  }
}

async function prepareDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  await admin.end();
  const migrate = spawnSync(process.execPath, ['node_modules/typeorm/cli.js', 'migration:run', '-d', 'dist/src/database/data-source.js'], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr || migrate.stdout}`);
  await sql(databaseUrl, 'TRUNCATE users, audit_events');
}

async function sql(databaseUrl, text, params) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

async function startServer({ port, databaseUrl, redisUrl }) {
  const started = performance.now();
  // BENCH_PROFILE=1 writes a CPU profile of the service per phase (node --cpu-prof) under bench/results/profiles.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profiles'] : [];
  const extraFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...productionNodeFlags(), ...extraFlags, ...profile, 'dist/src/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET,
      OTP_HMAC_SECRET,
      EMAIL_PROVIDER: 'outbox',
      SMS_PROVIDER: 'outbox',
      // Rate limits raised for the run: every request comes from one address (loopback).
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      IP_LIMIT_OTP_REQUESTS: '1000000000',
      IP_LIMIT_OTP_VERIFIES: '1000000000',
      QUEUE_PREFIX: 'bench',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the service exited with ${server.exitCode} before it was ready`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { server, startupMs: Math.round(performance.now() - started) };
}

/** The V8 flags `npm run start:prod` starts the service with (the heap settings are part of what is measured). */
function productionNodeFlags() {
  const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts['start:prod'];
  return script.split(/\s+/).filter((word) => word.startsWith('--') && !word.startsWith('--env-file'));
}

/** The service's peak RSS over the phase, and since the last `lap()` (logged per operation). */
function watchRss(pid) {
  let peak = 0;
  let lapPeak = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, kb);
      lapPeak = Math.max(lapPeak, kb);
    } catch {
      // the process is gone
    }
  }, 100);
  return {
    lap: () => {
      const mb = Math.round(lapPeak / 1024);
      lapPeak = 0;
      return mb;
    },
    stop: () => (clearInterval(timer), Math.round(peak / 1024)),
  };
}

/** Users straight into PostgreSQL: the ones the operations act on. */
async function seedBenchUsers({ databaseUrl }, count) {
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
async function seedUsers({ databaseUrl }, count) {
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

function b64(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An access token as the service signs them (same secret, HS256). */
function signAccess(userId) {
  const now = Date.now();
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ typ: 'access', fam: 'bench', iat: Math.floor(now / 1000), iatms: now, exp: Math.floor(now / 1000) + 3600, sub: userId, jti: randomUUID() })}`;
  return `${head}.${createHmac('sha256', createSecretKey(Buffer.from(JWT_SECRET))).update(head).digest('base64url')}`;
}

function otpRequests({ port }) {
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}/api/auth/otp/request`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ identifier: `new.${n++}.${process.pid}@bench.test`, purpose: 'REGISTER' }) }) }],
  };
}

/** Pending codes written as the service stores them (keyed hash + attempts), then verified once each. */
async function otpVerifications({ port, redis }) {
  const key = createSecretKey(Buffer.from(OTP_HMAC_SECRET, 'utf8'));
  const identifiers = Array.from({ length: PREPARED }, (_, i) => `verify.${i}@bench.test`);
  for (let i = 0; i < identifiers.length; i += 2000) {
    const multi = redis.multi();
    for (const identifier of identifiers.slice(i, i + 2000)) {
      const hash = createHmac('sha256', key).update(`LOGIN\u0000${identifier}\u0000\u0000123456`).digest().subarray(0, 16).toString('base64url');
      multi.hSet(`otp:LOGIN:${identifier}`, { h: hash, a: 0 }).pExpire(`otp:LOGIN:${identifier}`, 600_000);
    }
    await multi.exec();
  }
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}/api/auth/otp/verify`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ identifier: identifiers[n++ % identifiers.length], otp: '123456', purpose: 'LOGIN' }) }) }],
  };
}

/** Verification tokens as the verify step leaves them (a hash bound to LOGIN and the identifier). */
async function logins({ port, redis }, users) {
  const prepared = Array.from({ length: PREPARED }, (_, i) => ({ identifier: users[i % users.length].email, token: `vt_${randomBytes(32).toString('base64url')}` }));
  for (let i = 0; i < prepared.length; i += 2000) {
    const multi = redis.multi();
    for (const { identifier, token } of prepared.slice(i, i + 2000)) {
      multi.set(`vt:${createHash('sha256').update(token).digest('base64url')}`, `LOGIN:${identifier}`, { PX: 600_000 });
    }
    await multi.exec();
  }
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}/api/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const { identifier, token } = prepared[n++ % prepared.length];
          return { ...req, body: JSON.stringify({ identifier, verification_token: token }) };
        },
      },
    ],
  };
}

/**
 * Sessions signed in through the API; each request takes a live refresh token from the pool and puts the
 * rotated one back, so every token is used once. (autocannon resets a connection's context after each
 * request, so the pool is shared rather than per connection.)
 */
async function refreshes({ port, redis }, users) {
  const chains = [];
  for (let i = 0; i < CONNECTIONS * 3; i++) {
    const token = `vt_${randomBytes(32).toString('base64url')}`;
    const identifier = users[users.length - 1 - i].email;
    await redis.set(`vt:${createHash('sha256').update(token).digest('base64url')}`, `LOGIN:${identifier}`, { PX: 600_000 });
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier, verification_token: token }),
    });
    chains.push((await res.json()).tokens.refresh);
  }
  return {
    url: `http://127.0.0.1:${port}/api/auth/token/refresh`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ refresh: chains.shift() }) }),
        onResponse: (status, body) => {
          if (status === 200) chains.push(JSON.parse(body).refresh);
        },
      },
    ],
  };
}

async function measure(name, options) {
  const base = { connections: CONNECTIONS, pipelining: 1, ...options };
  if (!options.requests) await autocannon({ ...base, duration: WARMUP });
  const result = await autocannon({ ...base, duration: options.requests && name !== 'refresh' ? WARMUP + DURATION : DURATION });
  const errors = result.errors + result.timeouts + result.non2xx;
  const row = {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
  };
  log(`${name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${errors}`);
  return row;
}

async function redisBytesPerCode(redis) {
  const keys = [];
  for await (const batch of redis.scanIterator({ MATCH: 'otp:REGISTER:*', COUNT: 1000 })) {
    keys.push(...batch);
    if (keys.length >= 200) break;
  }
  if (!keys.length) return undefined;
  const sample = keys.slice(0, 200);
  const code = await Promise.all(sample.map((k) => redis.memoryUsage(k)));
  const sent = await Promise.all(sample.map((k) => redis.memoryUsage(k.replace(/^otp:/, 'otp-sent:'))));
  const avg = (xs) => Math.round(xs.reduce((a, b) => a + (b ?? 0), 0) / xs.length);
  return { code: avg(code), sent: avg(sent) };
}

function renderReport(phases, comparison) {
  const lines = [
    `# otpgate benchmark, ${new Date().toISOString()}${SMOKE ? ' (smoke: 2 s windows)' : ''}`,
    '',
    `${CONNECTIONS} connections on loopback, ${WARMUP} s warm-up, ${DURATION} s measured; Node ${process.version}, ${os()}.`,
  ];
  for (const phase of phases) {
    const baseline = phase.rows.find((r) => r.name === 'baseline');
    lines.push('', `## ${phase.label}`, '', '| operation | req/s | p50 ms | p99 ms | errors | of baseline | target |', '|---|---|---|---|---|---|---|');
    for (const row of phase.rows) {
      const target = TARGETS[row.name];
      const verdict = target
        ? `${row.rps >= target.rps && row.p99 < target.p99 && (!target.baseline || row.rps / baseline.rps >= target.baseline) ? 'met' : 'missed'} (>= ${target.rps}, p99 < ${target.p99})`
        : '';
      lines.push(`| ${row.name} | ${row.rps} | ${row.p50} | ${row.p99} | ${row.errors} | ${(row.rps / baseline.rps).toFixed(2)} | ${verdict} |`);
    }
    lines.push(
      '',
      `Peak RSS under load: ${phase.peakRssMb} MB (target < 200). Start-up to ready: ${phase.startupMs} ms (target < 2000).`,
      phase.memory ? `Redis per pending code: ${phase.memory.code} bytes for otp:<PURPOSE>:<id> (target < 200), plus ${phase.memory.sent} bytes for its otp-sent:<PURPOSE>:<id> bookkeeping.` : '',
    );
  }
  if (comparison) {
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    lines.push(
      '',
      `## Empty table vs ${comparison.count.toLocaleString('en')} users`,
      '',
      `Two instances, one on each table, measured alternately (${ROUNDS} rounds of ${DURATION} s each): req/s per round, empty / large;`,
      "the change is the median of the rounds' changes.",
      '',
      '| operation | rounds | median empty | median large | change |',
      '|---|---|---|---|---|',
    );
    for (const { name, rounds } of comparison.rows) {
      const [a, b] = [median(rounds.map((r) => r[0])), median(rounds.map((r) => r[1]))];
      const change = median(rounds.map(([x, y]) => (y - x) / x));
      lines.push(`| ${name} | ${rounds.map(([x, y]) => `${x} / ${y}`).join(', ')} | ${a} | ${b} | ${(change * 100).toFixed(1)} % |`);
    }
  }
  return lines.join('\n');
}

function os() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? 'unknown CPU';
  return `${cpu}, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`;
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
