import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { build } from './support/builders.js';
import { describeWhen } from './support/describe-when.js';
import { registerUser, verificationToken } from './support/flows.js';
import { hasRedisServer, ThrowawayRedis } from './support/redis-server.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REQUEST = '/api/auth/otp/request';
const TIMEOUT_MS = 1000;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

// Needs the redis-server binary (CI and the machines of this project have it); runs it on a free port.
describeWhen(hasRedisServer, 'needs the redis-server binary')('Redis goes away and comes back', () => {
  const redis = new ThrowawayRedis();
  let t: TestApp;

  beforeAll(async () => {
    await redis.start();
    t = await createTestApp({ REDIS_URL: redis.url, OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('answers 503 SERVICE_UNAVAILABLE fast while it is down, names it in /health, and recovers by itself', async () => {
    await t.http.post(REQUEST).send({ identifier: build.email(), purpose: 'REGISTER' }).expect(200);
    await redis.stop();

    const [down, elapsed] = await timed(() => t.http.post(REQUEST).send({ identifier: build.email(), purpose: 'REGISTER' }));
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE', details: { dependency: 'redis' } });
    expect(elapsed).toBeLessThan(1500);

    const health = await t.http.get('/health').expect(503);
    expect(health.body).toMatchObject({ status: 'degraded', redis: { status: 'down' }, postgres: { status: 'up' } });

    await redis.start();
    await eventually(async () => (await t.http.get('/health')).status === 200);
    await eventually(async () => (await t.http.post(REQUEST).send({ identifier: build.email(), purpose: 'REGISTER' })).status === 200);
  });
});

// Needs a PostgreSQL server to put a cuttable proxy in front of (CI sets DATABASE_URL).
describeWhen(Boolean(process.env.DATABASE_URL), 'needs DATABASE_URL, a PostgreSQL server to cut off')('PostgreSQL goes away and comes back', () => {
  const target = new URL(process.env.DATABASE_URL ?? 'postgresql://localhost:5432/x');
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  let t: TestApp;

  beforeAll(async () => {
    await proxy.start();
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    // A small pool and no user cache: a few requests in flight hold every connection.
    t = await createTestApp({
      DATABASE_URL: viaProxy.toString(),
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      DEPENDENCY_TIMEOUT_MS: String(TIMEOUT_MS),
      DATABASE_POOL_SIZE: '4',
      USER_CACHE_TTL_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await proxy.cut().catch(() => undefined);
  });

  it('answers 503 fast, writes nothing half-way (the verification token survives), and recovers by itself', async () => {
    await registerUser(t, build.email(), build.username());
    const email = build.email();
    const token = await verificationToken(t, email, 'REGISTER');
    await proxy.cut();

    const [down, elapsed] = await timed(() => t.http.post(REQUEST).send({ identifier: build.email(), purpose: 'LOGIN' }));
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'postgresql' } });
    expect(elapsed).toBeLessThan(1500);

    const register = await t.http.post('/api/auth/register').send({ identifier: email, username: build.username(), verification_token: token });
    expect(register.status).toBe(503);

    const health = await t.http.get('/health').expect(503);
    expect(health.body).toMatchObject({ postgres: { status: 'down' }, redis: { status: 'up' } });

    await proxy.restore();
    await eventually(async () => (await t.http.get('/health')).status === 200);
    await t.http.post('/api/auth/register').send({ identifier: email, username: build.username(), verification_token: token }).expect(201);
  });

  it('frozen mid-query: 503 within DEPENDENCY_TIMEOUT_MS, one log line per second, recovery when it thaws', async () => {
    const { tokens } = await registerUser(t, build.email(), build.username());
    const me = () => t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokens.access}`);
    await me().expect(200);
    const email = build.email();
    const token = await verificationToken(t, email, 'REGISTER');
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      proxy.freeze();
      const [down, elapsed] = await timed(() => me());
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { dependency: 'postgresql' } });
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 700);

      const [register, registerElapsed] = await timed(() =>
        t.http.post('/api/auth/register').send({ identifier: email, username: build.username(), verification_token: token }),
      );
      expect(register.status).toBe(503);
      expect(registerElapsed).toBeLessThan(2 * TIMEOUT_MS + 700);

      const many = await Promise.all(Array.from({ length: 20 }, () => me()));
      expect(many.every((res) => res.status === 503)).toBe(true);
      await new Promise((r) => setTimeout(r, 1100));
      const lines = warn.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith('PostgreSQL is unavailable'));
      // 22 answers (and maybe the last of the previous test's) over a few seconds: a line per second, each
      // with its count, not a line per answer
      expect(lines.length).toBeLessThanOrEqual(5);
      const counted = lines.reduce((sum, line) => sum + Number(/: (\d+) requests? answered 503/.exec(line)![1]), 0);
      expect(counted).toBeGreaterThanOrEqual(22);
    } finally {
      warn.mockRestore();
      proxy.thaw();
    }
    await eventually(async () => (await me()).status === 200);
    await t.http.post('/api/auth/register').send({ identifier: email, username: build.username(), verification_token: token }).expect(201);
  });

  it('recovers by itself when the server it hung on never answers again (a failover): stalled connections are not reused', async () => {
    const { tokens } = await registerUser(t, build.email(), build.username());
    const me = () => t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokens.access}`);
    // the pool holds its 4 connections, idle and healthy
    expect((await Promise.all(Array.from({ length: 4 }, () => me()))).map((res) => res.status)).toEqual([200, 200, 200, 200]);
    proxy.freeze();
    // each of them ends up waiting on a query the frozen server never answers
    const stalled = await Promise.all(Array.from({ length: 6 }, () => me()));
    expect(stalled.every((res) => res.status === 503)).toBe(true);
    proxy.thaw({ strand: true });
    await eventually(async () => (await me()).status === 200);
    for (let i = 0; i < 12; i++) expect((await me()).status).toBe(200);
  });
});
