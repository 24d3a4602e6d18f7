import { build } from './support/builders.js';
import { nextCode } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { UsersService } from '../src/users/users.service.js';

const SEND = '/api/users/send-otp/';
const VERIFY = '/api/users/verify-otp/';

describe('flow 2: phone sign-in in one step', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('creates the account on first sign-in (national form), then signs in (international form)', async () => {
    const phone = build.phone();
    const national = phone.replace('+880', '0');

    const sent = await t.http.post(SEND).send({ phone: national }).expect(200);
    expect(sent.body).toEqual({ success: true, message: 'OTP sent successfully', phone, expires_in_seconds: 120, resend_in_seconds: 0 });
    const first = await t.http
      .post(VERIFY)
      .send({ phone: national, otp: await nextCode(t, phone), first_name: 'Rahim', email: 'Rahim@Example.com' })
      .expect(200);
    expect(first.body).toEqual({
      success: true,
      message: 'Login successful',
      created: true,
      user: expect.objectContaining({ phone, email: null, unverified_email: 'rahim@example.com', first_name: 'Rahim', is_verified: true, username: null }),
      tokens: { refresh: expect.any(String), access: expect.any(String) },
    });

    const again = await t.http.post(SEND).send({ phone: `+880 ${phone.slice(4, 8)}-${phone.slice(8)}` }).expect(200);
    expect(Object.keys(again.body).sort()).toEqual(Object.keys(sent.body).sort());
    const second = await t.http
      .post(VERIFY)
      .send({ phone, otp: await nextCode(t, phone), first_name: 'Ignored' })
      .expect(200);
    expect(second.body).toMatchObject({ created: false, user: { id: first.body.user.id, first_name: 'Rahim' } });

    const me = await t.http.get('/api/users/profile/').set('Authorization', `Bearer ${second.body.tokens.access}`).expect(200);
    expect(me.body.id).toBe(first.body.user.id);
    await t.http.post('/api/token/refresh/').send({ refresh: second.body.tokens.refresh }).expect(200);
  });

  it('does not reveal whether the phone has an account', async () => {
    const known = build.phone();
    await t.http.post(VERIFY).send({ phone: known, otp: '000000' });
    await t.http.post(SEND).send({ phone: known }).expect(200);
    await t.http.post(VERIFY).send({ phone: known, otp: await nextCode(t, known) }).expect(200);
    const [a, b] = await Promise.all([t.http.post(SEND).send({ phone: known }), t.http.post(SEND).send({ phone: build.phone() })]);
    expect(a.status).toBe(b.status);
    expect({ ...a.body, phone: 'x' }).toEqual({ ...b.body, phone: 'x' });
  });

  it('an unverified email does not become a way to sign in', async () => {
    const phone = build.phone();
    const email = build.email();
    await t.http.post(SEND).send({ phone }).expect(200);
    await t.http.post(VERIFY).send({ phone, otp: await nextCode(t, phone), email }).expect(200);
    await t.http.post('/api/auth/otp/request').send({ identifier: email, purpose: 'LOGIN' }).expect(200);
    expect((await t.nextMessage(email)).text).toMatch(/no account/);
  });

  it.each([
    [{ phone: 'test@example.com' }, 'INVALID_IDENTIFIER'],
    [{ phone: '12345' }, 'INVALID_IDENTIFIER'],
    [{ phone: '+14155550100' }, 'INVALID_IDENTIFIER'],
    [{}, 'VALIDATION_FAILED'],
    [{ phone: '01719159900', extra: 1 }, 'VALIDATION_FAILED'],
  ])('send-otp refuses %j with %s', async (body, code) => {
    const res = await t.http.post(SEND).send(body).expect(400);
    expect(res.body.code).toBe(code);
  });

  it('refuses a NUL character before spending the code', async () => {
    const phone = build.phone();
    await t.http.post(SEND).send({ phone }).expect(200);
    const otp = await nextCode(t, phone);
    await t.http.post(VERIFY).send({ phone, otp, first_name: 'a\u0000b' }).expect(400);
    await t.http.post(VERIFY).send({ phone, otp, first_name: 'Ab' }).expect(200);
  });

  it('counts wrong codes like flow 1', async () => {
    const phone = build.phone();
    await t.http.post(SEND).send({ phone }).expect(200);
    const res = await t.http.post(VERIFY).send({ phone, otp: '000000' }).expect(400);
    expect(res.body).toMatchObject({ code: 'OTP_INVALID', details: { attempts_remaining: 4 } });
  });

  it('reveals nothing about the account through flow 1: its own purpose, its own counters', async () => {
    // With a cooldown, flow 1's counters for a phone must not show through flow 2's answers.
    const strict = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '60' });
    try {
      const known = build.phone();
      const unknown = build.phone();
      await strict.app.get(UsersService).create({ identifier: known, username: build.username() });
      const answers = [];
      for (const phone of [known, unknown]) {
        await strict.http.post('/api/auth/otp/request').send({ identifier: phone, purpose: 'REGISTER' }).expect(200);
        await strict.http.post('/api/auth/otp/request').send({ identifier: phone, purpose: 'LOGIN' }).expect(200);
        const sent = await strict.http.post(SEND).send({ phone });
        const wrong = await strict.http.post(VERIFY).send({ phone, otp: '000000' });
        answers.push([sent.status, wrong.status, wrong.body.code, wrong.body.details]);
      }
      expect(answers[0]).toEqual([200, 400, 'OTP_INVALID', { attempts_remaining: 4 }]);
      expect(answers[1]).toEqual(answers[0]);
    } finally {
      await strict.close();
    }
  });

  it('shares the guessing budget with flow 1: killed codes of either flow lock both, with or without an account', async () => {
    const strict = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0', OTP_MAX_ATTEMPTS: '1', OTP_LOCKOUT_KILLED_CODES: '2' });
    try {
      const known = build.phone();
      await strict.app.get(UsersService).create({ identifier: known, username: build.username() });
      const outcomes = [];
      for (const phone of [known, build.phone()]) {
        await strict.http.post('/api/auth/otp/request').send({ identifier: phone, purpose: 'LOGIN' }).expect(200);
        await strict.http.post('/api/auth/otp/verify').send({ identifier: phone, otp: '000000', purpose: 'LOGIN' }).expect(429);
        await strict.http.post(SEND).send({ phone }).expect(200);
        await strict.http.post(VERIFY).send({ phone, otp: '000000' }).expect(429);
        const flow2 = await strict.http.post(SEND).send({ phone });
        const flow1 = await strict.http.post('/api/auth/otp/request').send({ identifier: phone, purpose: 'LOGIN' });
        outcomes.push([flow2.status, flow2.body.details?.limit, flow1.status, flow1.body.details?.limit]);
      }
      expect(outcomes[0]).toEqual([429, 'identifier-locked', 429, 'identifier-locked']);
      expect(outcomes[1]).toEqual(outcomes[0]);
    } finally {
      await strict.close();
    }
  });
});
