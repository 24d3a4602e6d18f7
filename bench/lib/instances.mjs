// Service instances and what they run on: databases, Redis, the built service in production mode.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createClient } from '@redis/client';
import pg from 'pg';
import { SECRETS } from './settings.mjs';

export async function connectRedis(url) {
  const redis = createClient({ url });
  await redis.connect();
  await redis.flushDb();
  return redis;
}

/** Creates the database if needed, migrates it, and empties what a run fills (signing keys included). */
export async function prepareDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
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
  await sql(databaseUrl, 'TRUNCATE users, audit_events, signing_keys');
}

export async function sql(databaseUrl, text, params) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** The built service as production starts it; resolves once /health answers. */
export async function startServer({ port, databaseUrl, redisUrl, env }) {
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
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      ...SECRETS,
      EMAIL_PROVIDER: 'outbox',
      SMS_PROVIDER: 'outbox',
      // Rate limits raised for the run: every request comes from one address (loopback).
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      IP_LIMIT_OTP_REQUESTS: '1000000000',
      IP_LIMIT_OTP_VERIFIES: '1000000000',
      QUEUE_PREFIX: 'bench',
      LOG_LEVEL: 'warn',
      ...env,
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

export async function stopServer(server) {
  server.kill('SIGTERM');
  await once(server, 'exit');
}

/** The V8 flags `npm run start:prod` starts the service with (the heap settings are part of what is measured). */
function productionNodeFlags() {
  const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts['start:prod'];
  return script.split(/\s+/).filter((word) => word.startsWith('--') && !word.endsWith('/config/env-file.js'));
}

/** The service's peak RSS over the phase, and since the last `lap()` (logged per operation). */
export function watchRss(pid) {
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
