import { HIDDEN_CHARACTERS } from '../src/common/validation/testing/hidden-character-samples.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { build } from './support/builders.js';
import { nextCode, requestCode, seedUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REQUEST = '/api/auth/otp/request';
const VERIFY = '/api/auth/otp/verify';

describe('OTP request and verify (flow 1, steps 1-2)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  describe('request', () => {
    it('answers with the contract fields and delivers a 6-digit code', async () => {
      const email = build.email();
      const res = await t.http.post(REQUEST).send({ identifier: email, purpose: 'REGISTER' }).expect(200);
      expect(res.body).toEqual({
        success: true,
        message: 'OTP sent successfully',
        identifier: email,
        purpose: 'REGISTER',
        channel: 'email',
        expires_in_seconds: 120,
        resend_in_seconds: 60,
      });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const message = await t.nextMessage(email);
      expect(message).toMatchObject({ channel: 'email', subject: expect.stringMatching(/^Your otpgate code: \d{6}$/) });
      expect(message.text).toMatch(/to sign up is \d{6}\. Valid for 2 minutes\./);
    });

    it('canonicalises emails: trimmed and lower-cased', async () => {
      const email = build.email('Mixed');
      const res = await t.http
        .post(REQUEST)
        .send({ identifier: `  ${email.toUpperCase()} `, purpose: 'REGISTER' })
        .expect(200);
      expect(res.body.identifier).toBe(email.toLowerCase());
      expect((await t.nextMessage(email.toLowerCase())).channel).toBe('email');
    });

    it.each([['not-an-identifier'], ['12345'], ['+880 1719'], ['a@b'], ['@example.com'], ['0171915990O']])(
      'refuses %s with INVALID_IDENTIFIER',
      async (identifier) => {
        const res = await t.http.post(REQUEST).send({ identifier, purpose: 'LOGIN' }).expect(400);
        expect(res.body).toMatchObject({ success: false, code: 'INVALID_IDENTIFIER' });
        expect(res.body.details.fields[0].field).toBe('identifier');
        expect(res.body.request_id).toEqual(expect.any(String));
      },
    );

    // `te\u200Bst@example.com` would be an account beside `test@example.com` that no one can tell apart.
    it.each(HIDDEN_CHARACTERS)('refuses an email with a %s inside with INVALID_IDENTIFIER, and sends nothing', async (_, character) => {
      const lookAlike = `te${character}st@example.com`;
      const res = await t.http.post(REQUEST).send({ identifier: lookAlike, purpose: 'REGISTER' }).expect(400);
      const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(res.body).toMatchObject({ code: 'INVALID_IDENTIFIER', message: expect.stringContaining(codePoint), details: { fields: [{ field: 'identifier' }] } });
      expect(t.outbox.messagesTo(lookAlike.toLowerCase())).toEqual([]);
    });

    it('refuses phone numbers of countries SMS is not sent to (SMS_ALLOWED_COUNTRIES, BD by default)', async () => {
      const res = await t.http.post(REQUEST).send({ identifier: '+44 20 7946 0958', purpose: 'REGISTER' }).expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_IDENTIFIER', message: expect.stringContaining('SMS to GB numbers is not served') });
    });

    it('refuses a second request within the cooldown with RATE_LIMITED and Retry-After', async () => {
      const email = build.email();
      await t.http.post(REQUEST).send({ identifier: email, purpose: 'LOGIN' }).expect(200);
      const res = await t.http.post(REQUEST).send({ identifier: email, purpose: 'LOGIN' }).expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(59);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.body.details).toEqual({ retry_after_seconds: retryAfter, limit: 'identifier-cooldown' });
      // the cooldown is per purpose
      await t.http.post(REQUEST).send({ identifier: email, purpose: 'REGISTER' }).expect(200);
    });

    it('stores only a keyed hash under otp:<PURPOSE>:<identifier> with the code life as TTL', async () => {
      const client = t.app.get(RedisConnection).client;
      if (!client) return expect(process.env.REDIS_URL).toBeUndefined();
      const email = build.email();
      const code = await requestCode(t, email, 'REGISTER');
      const key = `otp:REGISTER:${email}`;
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(118_000);
      expect(ttl).toBeLessThanOrEqual(120_000);
      const stored = await client.hGetAll(key);
      expect(Object.keys(stored).sort()).toEqual(['a', 'h']);
      expect(stored.a).toBe('0');
      expect(JSON.stringify(stored)).not.toContain(code);
      const everything = await Promise.all((await client.keys(`*${email}*`)).map((k) => client.dump(k)));
      expect(JSON.stringify(everything)).not.toContain(code);
    });
  });

  describe('account existence is never revealed', () => {
    it('REGISTER for a registered identifier answers like a new one, stores no usable code and tells the owner', async () => {
      const taken = build.email('taken');
      await seedUser(t, taken);
      const fresh = build.email('fresh');
      const [a, b] = await Promise.all([
        t.http.post(REQUEST).send({ identifier: taken, purpose: 'REGISTER' }),
        t.http.post(REQUEST).send({ identifier: fresh, purpose: 'REGISTER' }),
      ]);
      expect(a.status).toBe(b.status);
      expect({ ...a.body, identifier: 'x' }).toEqual({ ...b.body, identifier: 'x' });
      const notice = (await t.nextMessage(taken)).text;
      expect(notice).toMatch(/already have one/);
      expect(notice).not.toMatch(/\d{6}/);
      // a guess is counted exactly as for a real code
      const guess = await t.http.post(VERIFY).send({ identifier: taken, purpose: 'REGISTER', otp: '000000' }).expect(400);
      expect(guess.body).toMatchObject({ code: 'OTP_INVALID', details: { attempts_remaining: 4 } });
      // and the cooldown applies as well
      await t.http.post(REQUEST).send({ identifier: taken, purpose: 'REGISTER' }).expect(429);
    });

    it('LOGIN for an unknown identifier answers like a known one and tells the owner there is no account', async () => {
      const known = build.phone();
      await seedUser(t, known);
      const unknown = build.phone();
      const [a, b] = await Promise.all([
        t.http.post(REQUEST).send({ identifier: known, purpose: 'LOGIN' }),
        t.http.post(REQUEST).send({ identifier: unknown, purpose: 'LOGIN' }),
      ]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(Object.keys(a.body).sort()).toEqual(Object.keys(b.body).sort());
      expect((await t.nextMessage(unknown)).text).toMatch(/no account/);
      expect((await t.nextMessage(known)).text).toMatch(/OTP is: \d{6}/);
      const guess = await t.http.post(VERIFY).send({ identifier: unknown, purpose: 'LOGIN', otp: '123456' }).expect(400);
      expect(guess.body.details).toEqual({ attempts_remaining: 4 });
    });
  });

  describe('verify', () => {
    it('trades the right code for a verification token, once', async () => {
      const email = build.email();
      const otp = await requestCode(t, email, 'REGISTER');
      const res = await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' }).expect(200);
      expect(res.body).toEqual({
        success: true,
        verification_token: expect.stringMatching(/^vt_[A-Za-z0-9_-]{43}$/),
        purpose: 'REGISTER',
        expires_in_seconds: 600,
      });
      const again = await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' }).expect(400);
      expect(again.body.code).toBe('OTP_INVALID');
      expect(again.body.details).toBeUndefined();
    });

    it('does not accept the code for the other purpose or another identifier', async () => {
      const email = build.email();
      const otp = await requestCode(t, email, 'REGISTER');
      await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'LOGIN' }).expect(400);
      await t.http.post(VERIFY).send({ identifier: build.email(), otp, purpose: 'REGISTER' }).expect(400);
      await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' }).expect(200);
    });

    it('counts wrong attempts and kills the code after the fifth', async () => {
      const email = build.email();
      const otp = await requestCode(t, email, 'REGISTER');
      const wrong = otp === '000000' ? '111111' : '000000';
      for (const remaining of [4, 3, 2, 1]) {
        const res = await t.http.post(VERIFY).send({ identifier: email, otp: wrong, purpose: 'REGISTER' }).expect(400);
        expect(res.body).toMatchObject({ code: 'OTP_INVALID', details: { attempts_remaining: remaining } });
      }
      const fifth = await t.http.post(VERIFY).send({ identifier: email, otp: wrong, purpose: 'REGISTER' }).expect(429);
      expect(fifth.body.code).toBe('OTP_ATTEMPTS_EXCEEDED');
      const right = await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' }).expect(429);
      expect(right.body.code).toBe('OTP_ATTEMPTS_EXCEEDED');
    });

    it('yields exactly one verification token to 30 parallel requests with the right code', async () => {
      const email = build.email();
      const otp = await requestCode(t, email, 'REGISTER');
      const results = await Promise.all(
        Array.from({ length: 30 }, () => t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' })),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 400)).toHaveLength(29);
      expect(results.filter((r) => r.status === 400).every((r) => r.body.code === 'OTP_INVALID')).toBe(true);
    });

    it('refuses a malformed code as a validation error without spending an attempt', async () => {
      const email = build.email();
      const otp = await requestCode(t, email, 'REGISTER');
      const res = await t.http.post(VERIFY).send({ identifier: email, otp: '12ab56', purpose: 'REGISTER' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields).toEqual([{ field: 'otp', message: 'otp must be the digits of the code' }]);
      await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' }).expect(200);
    });
  });
});

describe('OTP life and resend (short configured times)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_TTL_SECONDS: '2', OTP_RESEND_COOLDOWN_SECONDS: '1' });
  });
  afterAll(() => t.close());

  describe('one number, many spellings', () => {
    beforeEach(() => new Promise((r) => setTimeout(r, 1050)));

      it.each([['01719159900'], ['+880 1719-159900'], ['008801719159900'], ['+8801719159900']])(
        'reads the phone %s as +8801719159900 and sends an SMS',
        async (phone) => {
          const res = await t.http.post(REQUEST).send({ identifier: phone, purpose: 'REGISTER' }).expect(200);
          expect(res.body).toMatchObject({ identifier: '+8801719159900', channel: 'sms' });
          expect((await t.nextMessage('+8801719159900')).text).toMatch(/^Your otpgate OTP is: \d{6}\. Valid for 2 seconds\.$/);
        },
      );
  });

  it('answers OTP_EXPIRED once the code has outlived its life', async () => {
    const email = build.email();
    const otp = await requestCode(t, email, 'REGISTER');
    await new Promise((r) => setTimeout(r, 2100));
    const res = await t.http.post(VERIFY).send({ identifier: email, otp, purpose: 'REGISTER' }).expect(400);
    expect(res.body.code).toBe('OTP_EXPIRED');
  });

  it('replaces the old code with a new one after the cooldown', async () => {
    const email = build.email();
    const first = await requestCode(t, email, 'REGISTER');
    await new Promise((r) => setTimeout(r, 1100));
    const second = await requestCode(t, email, 'REGISTER');
    if (first !== second) {
      await t.http.post(VERIFY).send({ identifier: email, otp: first, purpose: 'REGISTER' }).expect(400);
    }
    await t.http.post(VERIFY).send({ identifier: email, otp: second, purpose: 'REGISTER' }).expect(200);
  });
});

describe('debug echo (development only)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_DEBUG_ECHO: 'true' });
  });
  afterAll(() => t.close());

  it('adds the delivered code to the response as otp, and it verifies', async () => {
    const email = build.email();
    const res = await t.http.post(REQUEST).send({ identifier: email, purpose: 'REGISTER' }).expect(200);
    expect(res.body.otp).toBe(await nextCode(t, email));
    await t.http.post(VERIFY).send({ identifier: email, otp: res.body.otp, purpose: 'REGISTER' }).expect(200);
  });
});
