// What a bench run measures with, from its arguments and environment.
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
export const SMOKE = args.includes('--smoke');
export const BIG = Number(args[args.indexOf('--users') + 1]) || 0;
/** `--only login` measures the baseline and one operation (for profiling). */
export const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
export const DURATION = SMOKE ? 2 : 10;
export const WARMUP = SMOKE ? 1 : 3;
export const CONNECTIONS = 50;
/** Alternating rounds per operation when comparing two instances. */
export const ROUNDS = SMOKE ? 1 : 5;
export const BASELINE_PORT = 3901;
/** Codes and verification tokens prepared per operation: more than the fastest run consumes. */
export const PREPARED = 12_000 * (WARMUP + DURATION);

export const SECRETS = {
  JWT_SECRET: randomBytes(32).toString('base64url'),
  JWT_KEYS_SECRET: randomBytes(32).toString('base64url'),
  OTP_HMAC_SECRET: randomBytes(32).toString('base64url'),
};

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/otpgate_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/11';

/** An instance beside MAIN: its own database (`<name>_<suffix>`) and the Redis database `offset` after MAIN's. */
function beside(port, suffix, offset, env = {}) {
  const databaseUrl = new URL(DATABASE_URL);
  databaseUrl.pathname = `${databaseUrl.pathname}_${suffix}`;
  const redisUrl = new URL(REDIS_URL);
  redisUrl.pathname = `/${Number(redisUrl.pathname.slice(1) || 0) + offset}`;
  return { port, databaseUrl: databaseUrl.toString(), redisUrl: redisUrl.toString(), env };
}

/** What one service instance runs on and where its requests go (ES256, the default signing). */
export const MAIN = { port: 3900, databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, env: {} };
/** The instance on the large table (`--users`). */
export const BIG_TARGET = beside(3902, 'big', 1);
/** The instance signing with HS256, for the signing cost. */
export const HS256_TARGET = beside(3903, 'hs256', 2, { JWT_ALGORITHM: 'HS256' });

export const TARGETS = {
  me: { rps: 10_000, p99: 15, baseline: 0.33 },
  otp_request: { rps: 3_000, p99: 40 },
  otp_verify: { rps: 4_000, p99: 30 },
  login: { rps: 2_500, p99: 40 },
  refresh: { rps: 2_500, p99: 40 },
};

export const log = (message) => process.stderr.write(`[bench] ${message}\n`);
