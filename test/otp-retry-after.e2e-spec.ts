import { build } from './support/builders.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Answer {
  status: number;
  body: { code?: string; message?: string; details?: { retry_after_seconds?: number; limit?: string } };
  retryAfter?: string;
}

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/**
 * A dead code (OTP_ATTEMPTS_EXCEEDED) says when a new one can be requested, and that is what the next
 * request meets: refused before, accepted after. Small configured limits, so the waits are real.
 */
describe('OTP_ATTEMPTS_EXCEEDED says when a new code can be requested, and keeps its word', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      OTP_RESEND_COOLDOWN_SECONDS: '1',
      OTP_MAX_ATTEMPTS: '1',
      OTP_LOCKOUT_KILLED_CODES: '2',
      OTP_LOCKOUT_SECONDS: '3',
      OTP_HOURLY_LIMIT: '4',
    });
  });
  afterAll(() => t.close());

  async function call(url: string, body: object): Promise<Answer> {
    const res = await t.http.post(url).send(body);
    return { status: res.status, body: res.body as Answer['body'], retryAfter: res.headers['retry-after'] };
  }
  // LOGIN for identifiers without an account: the codes count like real ones and '000000' cannot match.
  const request = (identifier: string) => call('/api/auth/otp/request', { identifier, purpose: 'LOGIN' });
  const kill = (identifier: string) => call('/api/auth/otp/verify', { identifier, otp: '000000', purpose: 'LOGIN' });

  /** The dead code's answer: 429 with retry_after_seconds and the same Retry-After; returns the seconds. */
  function expectDead(answer: Answer, seconds: number, why?: RegExp): number {
    expect(answer.status).toBe(429);
    expect(answer.body).toMatchObject({ code: 'OTP_ATTEMPTS_EXCEEDED', details: { retry_after_seconds: seconds } });
    expect(answer.retryAfter).toBe(String(seconds));
    expect(answer.body.message).toContain(`A new one can be requested in ${seconds} s`);
    if (why) expect(answer.body.message).toMatch(why);
    return seconds;
  }

  it('the resend cooldown: refused before retry_after_seconds, a new code after it', async () => {
    const identifier = build.email();
    expect((await request(identifier)).status).toBe(200);
    const wait = expectDead(await kill(identifier), 1);
    expect((await request(identifier)).body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'identifier-cooldown' } });
    await sleep(wait);
    expect((await request(identifier)).status).toBe(200);
  });

  it('the identifier lock after killed codes, which outlasts the cooldown', async () => {
    const identifier = build.email();
    await request(identifier);
    await sleep(expectDead(await kill(identifier), 1));
    expect((await request(identifier)).status).toBe(200);
    // The second killed code locks the identifier for 3 s: that, not the 1 s cooldown, is the wait.
    const wait = expectDead(await kill(identifier), 3, /locked/);
    const early = await request(identifier);
    expect(early.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'identifier-locked' } });
    expect(early.body.details!.retry_after_seconds).toBeLessThanOrEqual(wait);
    await sleep(wait);
    expect((await request(identifier)).status).toBe(200);
  });

  it('the hourly limit, when the dead code was the last of the hour: the wait is the hour, not the cooldown', async () => {
    const identifier = build.email();
    for (let i = 0; i < 4; i++) {
      if (i) await sleep(1);
      expect((await request(identifier)).status).toBe(200);
    }
    const dead = await kill(identifier);
    const wait = dead.body.details?.retry_after_seconds ?? 0;
    expect(wait).toBeGreaterThan(3590);
    expectDead(dead, wait, /this identifier has had its codes for this hour/);
    const refused = await request(identifier);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'identifier-hourly' } });
    expect(Math.abs(refused.body.details!.retry_after_seconds! - wait)).toBeLessThanOrEqual(1);
  });

  it('flow 2 keeps the same word', async () => {
    const phone = build.phone();
    expect((await call('/api/users/send-otp/', { phone })).status).toBe(200);
    const wait = expectDead(await call('/api/users/verify-otp/', { phone, otp: '000000' }), 1);
    expect((await call('/api/users/send-otp/', { phone })).body).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'identifier-cooldown' } });
    await sleep(wait);
    expect((await call('/api/users/send-otp/', { phone })).status).toBe(200);
  });
});
