// What each operation sends, prepared so that every request succeeds, and how one is measured.
import autocannon from 'autocannon';
import { createHash, createHmac, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { CONNECTIONS, DURATION, log, PREPARED, SECRETS, WARMUP } from './settings.mjs';

/** A token for the bare baseline server: HS256 with JWT_SECRET, as it verifies them. */
export function baselineToken(userId) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Date.now();
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ typ: 'access', fam: 'bench', iat: Math.floor(now / 1000), iatms: now, exp: Math.floor(now / 1000) + 3600, sub: userId, jti: randomUUID() })}`;
  return `${head}.${createHmac('sha256', createSecretKey(Buffer.from(SECRETS.JWT_SECRET))).update(head).digest('base64url')}`;
}

/** A verification token as the verify step leaves it in Redis (a hash bound to LOGIN and the identifier). */
function loginTokenCommand(multi, identifier) {
  const token = `vt_${randomBytes(32).toString('base64url')}`;
  multi.set(`vt:${createHash('sha256').update(token).digest('base64url')}`, `LOGIN:${identifier}`, { PX: 600_000 });
  return token;
}

/** Signs a user in through the API, as a client would: the pair the instance issues (with its algorithm). */
export async function signIn({ port, redis }, user) {
  const multi = redis.multi();
  const token = loginTokenCommand(multi, user.email);
  await multi.exec();
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: user.email, verification_token: token }),
  });
  if (!res.ok) throw new Error(`sign-in for the bench answered ${res.status}`);
  return (await res.json()).tokens;
}

export async function me(target, users) {
  const { access } = await signIn(target, users[0]);
  return { url: `http://127.0.0.1:${target.port}/api/auth/me`, headers: { authorization: `Bearer ${access}` } };
}

export function otpRequests({ port }) {
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}/api/auth/otp/request`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ identifier: `new.${n++}.${process.pid}@bench.test`, purpose: 'REGISTER' }) }) }],
  };
}

/** Pending codes written as the service stores them (keyed hash + attempts), then verified once each. */
export async function otpVerifications({ port, redis }) {
  const key = createSecretKey(Buffer.from(SECRETS.OTP_HMAC_SECRET, 'utf8'));
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

export async function logins({ port, redis }, users) {
  const prepared = [];
  for (let i = 0; i < PREPARED; i += 2000) {
    const multi = redis.multi();
    for (let j = i; j < Math.min(i + 2000, PREPARED); j++) {
      const identifier = users[j % users.length].email;
      prepared.push({ identifier, token: loginTokenCommand(multi, identifier) });
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
export async function refreshes(target, users) {
  const chains = [];
  for (let i = 0; i < CONNECTIONS * 3; i++) chains.push((await signIn(target, users[users.length - 1 - i])).refresh);
  return {
    url: `http://127.0.0.1:${target.port}/api/auth/token/refresh`,
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

export async function measure(name, options) {
  const base = { connections: CONNECTIONS, pipelining: 1, ...options };
  if (!options.requests) await autocannon({ ...base, duration: WARMUP });
  const result = await autocannon({ ...base, duration: options.requests && !name.startsWith('refresh') ? WARMUP + DURATION : DURATION });
  const errors = result.errors + result.timeouts + result.non2xx;
  const row = { name, rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors };
  log(`${name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${errors}`);
  return row;
}

export async function redisBytesPerCode(redis) {
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
