import { DataSource } from 'typeorm';
import { SessionsService } from '../src/auth/sessions.service.js';
import { build } from './support/builders.js';
import { seedUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Every abuse limit, with small configured numbers, through HTTP. Requests go through Fastify's inject
 * with a chosen client address, so each test has its own per-address budget.
 */
interface Call {
  ip?: string;
  headers?: Record<string, string>;
}

async function post(t: TestApp, url: string, payload: object, { ip = '198.51.100.7', headers = {} }: Call = {}) {
  const res = await t.app.inject({ method: 'POST', url, payload, remoteAddress: ip, headers });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

const requestCode = (t: TestApp, identifier: string, purpose = 'LOGIN', call?: Call) =>
  post(t, '/api/auth/otp/request', { identifier, purpose }, call);
const verifyCode = (t: TestApp, identifier: string, otp: string, purpose = 'LOGIN', call?: Call) =>
  post(t, '/api/auth/otp/verify', { identifier, otp, purpose }, call);

let ipCounter = 0;
/** A fresh documentation-range address per use. */
const freshIp = () => `203.0.113.${++ipCounter}`;

interface Reply {
  status: number;
  body: { details?: { retry_after_seconds?: number }; request_id?: string };
  headers: Record<string, unknown>;
}

function expectRateLimited(res: Reply, limit: string, about: number) {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ success: false, code: 'RATE_LIMITED', details: { limit } });
  const seconds = res.body.details?.retry_after_seconds ?? 0;
  expect(res.headers['retry-after']).toBe(String(seconds));
  expect(seconds).toBeGreaterThan(about * 0.95);
  expect(seconds).toBeLessThanOrEqual(about);
  expect(typeof res.body.request_id).toBe('string');
}

describe('limits per identifier, per address and for SMS', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      OTP_MAX_ATTEMPTS: '2',
      OTP_HOURLY_LIMIT: '3',
      OTP_DAILY_LIMIT: '100',
      OTP_LOCKOUT_KILLED_CODES: '2',
      IP_LIMIT_OTP_REQUESTS: '4',
      IP_LIMIT_OTP_VERIFIES: '5',
      SMS_PREFIX_LIMIT: '3',
      SMS_PREFIX_WINDOW_SECONDS: '600',
      USERNAME_CHANGE_LIMIT: '3',
    });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('allows OTP_HOURLY_LIMIT codes per identifier and purpose, the same for a phantom flow', async () => {
    const unknown = build.email('nobody');
    const known = build.email('somebody');
    await seedUser(t, known);
    for (let i = 0; i < 3; i++) {
      // LOGIN for an unknown identifier (phantom) and for a registered one (real) look and count the same.
      expect((await requestCode(t, unknown, 'LOGIN', { ip: freshIp() })).status).toBe(200);
      expect((await requestCode(t, known, 'LOGIN', { ip: freshIp() })).status).toBe(200);
    }
    const phantom = await requestCode(t, unknown, 'LOGIN', { ip: freshIp() });
    const real = await requestCode(t, known, 'LOGIN', { ip: freshIp() });
    expectRateLimited(phantom, 'identifier-hourly', 3600);
    expectRateLimited(real, 'identifier-hourly', 3600);
    expect(phantom.body.message).toBe(real.body.message);
    // The other purpose has its own count.
    expect((await requestCode(t, known, 'REGISTER', { ip: freshIp() })).status).toBe(200);
  });

  it('locks the identifier for the purpose after OTP_LOCKOUT_KILLED_CODES codes killed by wrong attempts, and audits it', async () => {
    const identifier = build.email('guessed');
    for (let killed = 0; killed < 2; killed++) {
      await requestCode(t, identifier, 'LOGIN', { ip: freshIp() });
      expect((await verifyCode(t, identifier, '000000', 'LOGIN', { ip: freshIp() })).status).toBe(400);
      const last = await verifyCode(t, identifier, '000000', 'LOGIN', { ip: freshIp() });
      expect(last.body.code).toBe('OTP_ATTEMPTS_EXCEEDED');
    }
    expectRateLimited(await requestCode(t, identifier, 'LOGIN', { ip: freshIp() }), 'identifier-locked', 900);
    expectRateLimited(await verifyCode(t, identifier, '123456', 'LOGIN', { ip: freshIp() }), 'identifier-locked', 900);
    expect((await requestCode(t, identifier, 'REGISTER', { ip: freshIp() })).status).toBe(200);

    const events = await t.app.get(DataSource).query(`SELECT details FROM audit_events WHERE type = 'otp_identifier_locked'`);
    expect(events).toEqual([{ details: { purpose: 'LOGIN', identifier: 'g***@e***.com', killed_codes: 2, locked_for_seconds: 900 } }]);
    expect(JSON.stringify(events)).not.toContain(identifier);
  });

  it('allows IP_LIMIT_OTP_REQUESTS code requests per address across every flow that sends one', async () => {
    const ip = freshIp();
    expect((await requestCode(t, build.email(), 'LOGIN', { ip })).status).toBe(200);
    expect((await requestCode(t, build.email(), 'REGISTER', { ip })).status).toBe(200);
    expect((await post(t, '/api/users/send-otp', { phone: build.phone() }, { ip })).status).toBe(200);
    expect((await requestCode(t, build.email(), 'LOGIN', { ip })).status).toBe(200);
    expectRateLimited(await post(t, '/api/users/send-otp', { phone: build.phone() }, { ip }), 'ip-otp-request', 600);
    expectRateLimited(await requestCode(t, build.email(), 'LOGIN', { ip }), 'ip-otp-request', 600);
    // Verifying has its own budget, and other addresses are untouched.
    expect((await verifyCode(t, build.email(), '123456', 'LOGIN', { ip })).body.code).toBe('OTP_INVALID');
    expect((await requestCode(t, build.email(), 'LOGIN', { ip: freshIp() })).status).toBe(200);
  });

  it('allows IP_LIMIT_OTP_VERIFIES verify attempts per address, whatever the identifiers', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await verifyCode(t, build.email(), '123456', 'LOGIN', { ip })).body.code).toBe('OTP_INVALID');
    expectRateLimited(await verifyCode(t, build.email(), '123456', 'LOGIN', { ip }), 'ip-otp-verify', 600);
    expectRateLimited(await post(t, '/api/users/verify-otp', { phone: build.phone(), otp: '123456' }, { ip }), 'ip-otp-verify', 600);
  });

  it('counts an IPv6 /64 as one address', async () => {
    const inNet = (host: string) => ({ ip: `2001:db8:aa:bb:${host}` });
    for (const host of [':1', ':2', 'ffff:1:2:3', ':4']) expect((await requestCode(t, build.email(), 'LOGIN', inNet(host))).status).toBe(200);
    expectRateLimited(await requestCode(t, build.email(), 'LOGIN', inNet(':beef')), 'ip-otp-request', 600);
    expect((await requestCode(t, build.email(), 'LOGIN', { ip: '2001:db8:aa:bc::1' })).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const ip = freshIp();
    for (let i = 0; i < 4; i++) {
      const spoofed = { 'x-forwarded-for': `192.0.2.${i + 1}` };
      expect((await requestCode(t, build.email(), 'LOGIN', { ip, headers: spoofed })).status).toBe(200);
    }
    expectRateLimited(await requestCode(t, build.email(), 'LOGIN', { ip, headers: { 'x-forwarded-for': '192.0.2.99' } }), 'ip-otp-request', 600);
  });

  it('limits SMS codes per destination prefix of SMS_PREFIX_DIGITS digits (SMS pumping)', async () => {
    const inRange = () => `+8801911${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    for (let i = 0; i < 3; i++) expect((await requestCode(t, inRange(), 'LOGIN', { ip: freshIp() })).status).toBe(200);
    expectRateLimited(await requestCode(t, inRange(), 'LOGIN', { ip: freshIp() }), 'sms-prefix', 600);
    expectRateLimited(await post(t, '/api/users/send-otp', { phone: inRange() }, { ip: freshIp() }), 'sms-prefix', 600);
    expect((await requestCode(t, '+8801812345678', 'LOGIN', { ip: freshIp() })).status).toBe(200);
    expect((await requestCode(t, build.email(), 'LOGIN', { ip: freshIp() })).status).toBe(200);

    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('otpgate_rate_limited_total{limit="sms-prefix"} 2');
  });

  it('limits username changes per user (each tells whether a name is taken), not profile saves', async () => {
    const signIn = async () => (await t.app.get(SessionsService).start(await seedUser(t, build.email()))).access;
    const patch = (access: string, payload: object) =>
      t.app.inject({ method: 'PATCH', url: '/api/users/me', payload, headers: { authorization: `Bearer ${access}` } });
    const [prober, other] = [await signIn(), await signIn()];
    const taken = (await seedUser(t, build.email())).username!;
    expect((await patch(prober, { username: taken })).statusCode).toBe(409);
    expect((await patch(prober, { username: build.username() })).statusCode).toBe(200);
    const kept = build.username();
    expect((await patch(prober, { username: kept })).statusCode).toBe(200);
    // Saving the profile with the username unchanged, or without one, spends nothing.
    expect((await patch(prober, { username: kept.toUpperCase(), first_name: 'Prober' })).statusCode).toBe(200);
    const refused = await patch(prober, { username: taken });
    expectRateLimited({ status: refused.statusCode, body: refused.json(), headers: refused.headers }, 'username-change', 3600);
    expect(refused.json().message).toMatch(/^Too many username changes; try again in \d+ s$/);
    expect((await patch(prober, { last_name: 'Still' })).statusCode).toBe(200);
    // Another user has a budget of their own.
    expect((await patch(other, { username: build.username() })).statusCode).toBe(200);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('otpgate_rate_limited_total{limit="username-change"} 1');
  });
});

describe('limits behind a trusted proxy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: '10.0.0.1', IP_LIMIT_OTP_REQUESTS: '2', OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('counts the client the proxy names, and only when the proxy is the peer', async () => {
    const viaProxy = (client: string) => ({ ip: '10.0.0.1', headers: { 'x-forwarded-for': client } });
    for (const client of ['192.0.2.1', '192.0.2.1']) expect((await requestCode(t, build.email(), 'LOGIN', viaProxy(client))).status).toBe(200);
    expectRateLimited(await requestCode(t, build.email(), 'LOGIN', viaProxy('192.0.2.1')), 'ip-otp-request', 600);
    expect((await requestCode(t, build.email(), 'LOGIN', viaProxy('192.0.2.2'))).status).toBe(200);

    // A direct peer claiming to be 192.0.2.3 through the header is counted as itself.
    const direct = { ip: '198.51.100.50', headers: { 'x-forwarded-for': '192.0.2.3' } };
    expect((await requestCode(t, build.email(), 'LOGIN', direct)).status).toBe(200);
    expect((await requestCode(t, build.email(), 'LOGIN', direct)).status).toBe(200);
    expectRateLimited(await requestCode(t, build.email(), 'LOGIN', direct), 'ip-otp-request', 600);
    expect((await requestCode(t, build.email(), 'LOGIN', viaProxy('192.0.2.3'))).status).toBe(200);
  });
});

describe('daily limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0', OTP_HOURLY_LIMIT: '10', OTP_DAILY_LIMIT: '2', SMS_DAILY_CAP: '3' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  it('allows OTP_DAILY_LIMIT codes per identifier and purpose', async () => {
    const identifier = build.email();
    await requestCode(t, identifier, 'LOGIN', { ip: freshIp() });
    await requestCode(t, identifier, 'LOGIN', { ip: freshIp() });
    expectRateLimited(await requestCode(t, identifier, 'LOGIN', { ip: freshIp() }), 'identifier-daily', 86_400);
  });

  it('pauses SMS codes service-wide at SMS_DAILY_CAP until midnight UTC, alerting, while email goes on', async () => {
    const phones = [build.phone(), build.phone(), build.phone()];
    for (const phone of phones) expect((await requestCode(t, phone, 'LOGIN', { ip: freshIp() })).status).toBe(200);
    for (const phone of phones) expect((await t.nextMessage(phone)).text).toMatch(/./);
    const untilMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
    const capped = await requestCode(t, build.phone(), 'REGISTER', { ip: freshIp() });
    expectRateLimited(capped, 'sms-daily-cap', untilMidnight);
    expect((await requestCode(t, build.email(), 'LOGIN', { ip: freshIp() })).status).toBe(200);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('otpgate_rate_limited_total{limit="sms-daily-cap"} 1');
  });
});
