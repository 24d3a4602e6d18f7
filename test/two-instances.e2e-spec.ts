import { build } from './support/builders.js';
import { describeWhen } from './support/describe-when.js';
import { nextCode } from './support/flows.js';
import { hasRedisServer, ThrowawayRedis } from './support/redis-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Two app instances in one process that share nothing but PostgreSQL and Redis, as two machines behind a
 * load balancer would: codes, limits and sessions must hold across them. PostgreSQL is DATABASE_URL's or,
 * without it, the embedded one, which B attaches to as a second process would. Redis is REDIS_URL's, or a
 * throwaway redis-server on a free port.
 */
const canRun = Boolean(process.env.REDIS_URL) || hasRedisServer;

describeWhen(canRun, 'needs REDIS_URL or the redis-server binary')('two instances behind a load balancer', () => {
  const throwaway = process.env.REDIS_URL ? undefined : new ThrowawayRedis();
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    await throwaway?.start();
    const env = {
      ...(throwaway ? { REDIS_URL: throwaway.url } : {}),
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      REFRESH_GRACE_SECONDS: '0',
      IP_LIMIT_OTP_REQUESTS: '3',
      OTP_HOURLY_LIMIT: '3',
    };
    a = await createTestApp(env);
    b = await createTestApp(a.env.DATA_DIR ? { ...env, DATA_DIR: a.env.DATA_DIR } : env);
    await a.reset();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await throwaway?.stop();
  });

  let ipCounter = 0;
  const post = async (t: TestApp, url: string, payload: object, ip = `198.51.100.${++ipCounter}`) => {
    const res = await t.app.inject({ method: 'POST', url, payload, remoteAddress: ip });
    return { status: res.statusCode, body: res.json() };
  };
  const me = async (t: TestApp, access: string) =>
    (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${access}` } })).statusCode;

  async function signUpAcross(identifier: string) {
    await post(a, '/api/auth/otp/request', { identifier, purpose: 'REGISTER' });
    const otp = await nextCode(a, identifier);
    const verified = await post(b, '/api/auth/otp/verify', { identifier, otp, purpose: 'REGISTER' });
    expect(verified.status).toBe(200);
    const registered = await post(a, '/api/auth/register', {
      identifier,
      username: build.username(),
      verification_token: verified.body.verification_token,
    });
    expect(registered.status).toBe(201);
    return registered.body.tokens as { access: string; refresh: string };
  }

  it('verifies on B a code requested on A, and the verification token works on A', async () => {
    const tokens = await signUpAcross(build.email());
    expect(await me(a, tokens.access)).toBe(200);
    expect(await me(b, tokens.access)).toBe(200);
  });

  it('counts wrong attempts on either instance against the same code', async () => {
    const identifier = build.email();
    await post(a, '/api/auth/otp/request', { identifier, purpose: 'REGISTER' });
    const wrong = await post(a, '/api/auth/otp/verify', { identifier, otp: '000000', purpose: 'REGISTER' });
    const wrongAgain = await post(b, '/api/auth/otp/verify', { identifier, otp: '000000', purpose: 'REGISTER' });
    expect(wrong.body.details.attempts_remaining - wrongAgain.body.details.attempts_remaining).toBe(1);
  });

  it('counts per-address and per-identifier limits across both', async () => {
    const ip = '192.0.2.77';
    expect((await post(a, '/api/auth/otp/request', { identifier: build.email(), purpose: 'LOGIN' }, ip)).status).toBe(200);
    expect((await post(b, '/api/auth/otp/request', { identifier: build.email(), purpose: 'LOGIN' }, ip)).status).toBe(200);
    expect((await post(a, '/api/auth/otp/request', { identifier: build.email(), purpose: 'LOGIN' }, ip)).status).toBe(200);
    const refused = await post(b, '/api/auth/otp/request', { identifier: build.email(), purpose: 'LOGIN' }, ip);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'ip-otp-request' } });

    const identifier = build.email();
    for (const t of [a, b, a]) expect((await post(t, '/api/auth/otp/request', { identifier, purpose: 'LOGIN' })).status).toBe(200);
    const hourly = await post(b, '/api/auth/otp/request', { identifier, purpose: 'LOGIN' });
    expect(hourly.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'identifier-hourly' } });
  });

  it('spends on B a refresh token rotated on A: its reuse ends the session on both', async () => {
    const tokens = await signUpAcross(build.email());
    const rotated = await post(a, '/api/auth/token/refresh', { refresh: tokens.refresh });
    expect(rotated.status).toBe(200);
    const reuse = await post(b, '/api/auth/token/refresh', { refresh: tokens.refresh });
    expect(reuse).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    // The reuse revoked the family: the child A handed out is dead on A, and its access token on both.
    expect((await post(a, '/api/auth/token/refresh', { refresh: rotated.body.refresh })).status).toBe(401);
    expect(await me(a, rotated.body.access)).toBe(401);
    expect(await me(b, rotated.body.access)).toBe(401);
  });

  it('honours on A a logout done on B', async () => {
    const tokens = await signUpAcross(build.email());
    const out = await b.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: { refresh: tokens.refresh },
      headers: { authorization: `Bearer ${tokens.access}` },
    });
    expect(out.statusCode).toBe(200);
    expect(await me(a, tokens.access)).toBe(401);
    expect((await post(a, '/api/auth/token/refresh', { refresh: tokens.refresh })).status).toBe(401);
  });
});
