import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { encodeSegment, signJws } from '../src/signing-keys/jws.js';
import { KeyRing } from '../src/signing-keys/key-ring.js';
import { build } from './support/builders.js';
import { seedUser, verificationToken } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REGISTER = '/api/auth/register';
const LOGIN = '/api/auth/login';
const ME = '/api/auth/me';

describe('register, login, me (flow 1, steps 3-4)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  describe('register', () => {
    it('creates a verified user with a REGISTER token and signs it in', async () => {
      const email = build.email();
      const username = build.username();
      const verification_token = await verificationToken(t, email, 'REGISTER');
      const res = await t.http
        .post(REGISTER)
        .send({ identifier: email, username: username.toUpperCase(), verification_token, first_name: ' Alice ' })
        .expect(201);
      expect(res.body).toEqual({
        success: true,
        user: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          username,
          email,
          phone: null,
          unverified_email: null,
          first_name: 'Alice',
          last_name: null,
          is_verified: true,
          is_active: true,
          roles: ['user'],
          profile_picture: null,
          date_joined: expect.any(String),
          last_login: expect.any(String),
        },
        tokens: { access: expect.any(String), refresh: expect.any(String) },
      });
      const me = await t.http.get(ME).set('Authorization', `Bearer ${res.body.tokens.access}`).expect(200);
      expect(me.body).toEqual(res.body.user);
    });

    it('registers a phone number and stores it in E.164', async () => {
      const verification_token = await verificationToken(t, '01812345678', 'REGISTER');
      const res = await t.http
        .post(REGISTER)
        .send({ identifier: '+880 1812-345678', username: build.username(), verification_token })
        .expect(201);
      expect(res.body.user).toMatchObject({ phone: '+8801812345678', email: null });
    });

    it('refuses a LOGIN token, a token of another identifier, and a used token', async () => {
      const email = build.email();
      const other = build.email();
      const loginToken = await verificationToken(t, email, 'LOGIN').catch(() => undefined);
      // LOGIN for an unknown identifier stores no usable code, so there is no LOGIN token to be had:
      expect(loginToken).toBeUndefined();
      const token = await verificationToken(t, email, 'REGISTER');
      const wrongIdentifier = await t.http
        .post(REGISTER)
        .send({ identifier: other, username: build.username(), verification_token: token })
        .expect(400);
      expect(wrongIdentifier.body.code).toBe('VERIFICATION_TOKEN_INVALID');
      await t.http.post(LOGIN).send({ identifier: email, verification_token: token }).expect(400);
      await t.http.post(REGISTER).send({ identifier: email, username: build.username(), verification_token: token }).expect(201);
      const used = await t.http
        .post(REGISTER)
        .send({ identifier: email, username: build.username(), verification_token: token })
        .expect(400);
      expect(used.body.code).toBe('VERIFICATION_TOKEN_INVALID');
    });

    it('answers USERNAME_TAKEN regardless of case and keeps the token usable', async () => {
      const taken = build.username();
      await seedUser(t, build.email(), taken);
      const email = build.email();
      const verification_token = await verificationToken(t, email, 'REGISTER');
      const res = await t.http
        .post(REGISTER)
        .send({ identifier: email, username: taken.toUpperCase(), verification_token })
        .expect(409);
      expect(res.body.code).toBe('USERNAME_TAKEN');
      await t.http.post(REGISTER).send({ identifier: email, username: build.username(), verification_token }).expect(201);
    });

    it('answers IDENTIFIER_TAKEN to a second REGISTER token once the identifier is registered, and keeps it usable', async () => {
      const email = build.email();
      const first = await verificationToken(t, email, 'REGISTER');
      const second = await verificationToken(t, email, 'REGISTER');
      await t.http.post(REGISTER).send({ identifier: email, username: build.username(), verification_token: first }).expect(201);
      for (let i = 0; i < 2; i++) {
        const res = await t.http
          .post(REGISTER)
          .send({ identifier: email, username: build.username(), verification_token: second })
          .expect(409);
        expect(res.body.code).toBe('IDENTIFIER_TAKEN');
      }
    });

    it('reports a bad verification token before an existing account', async () => {
      const email = build.email();
      await seedUser(t, email);
      const res = await t.http
        .post(REGISTER)
        .send({ identifier: email, username: build.username(), verification_token: 'vt_forged' })
        .expect(400);
      expect(res.body.code).toBe('VERIFICATION_TOKEN_INVALID');
    });

    it('creates exactly one user from 10 concurrent registers with one token', async () => {
      const email = build.email();
      const verification_token = await verificationToken(t, email, 'REGISTER');
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http.post(REGISTER).send({ identifier: email, username: build.username(), verification_token }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 201).every((r) => [400, 409].includes(r.status))).toBe(true);
      const [{ count }] = await t.app.get(DataSource).query('SELECT count(*)::int AS count FROM users WHERE email = $1', [email]);
      expect(count).toBe(1);
    });

    it.each([
      [{ username: 'ab' }, 'username'],
      [{ username: '1abc' }, 'username'],
      [{ username: 'has space' }, 'username'],
      [{ username: 'a'.repeat(31) }, 'username'],
      [{ first_name: '' }, 'first_name'],
      [{ first_name: 'x'.repeat(101) }, 'first_name'],
      [{ verification_token: 42 }, 'verification_token'],
    ])('validates %j', async (override, field) => {
      const res = await t.http
        .post(REGISTER)
        .send({ identifier: build.email(), username: build.username(), verification_token: 'vt_x', ...override })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });
  });

  describe('login', () => {
    it('signs in with a LOGIN token and records the login', async () => {
      const phone = build.phone();
      const user = await seedUser(t, phone);
      const verification_token = await verificationToken(t, phone.replace('+880', '0'), 'LOGIN');
      const res = await t.http.post(LOGIN).send({ identifier: phone, verification_token }).expect(200);
      expect(res.body).toMatchObject({ success: true, user: { id: user.id, phone }, tokens: { access: expect.any(String) } });
      expect(Date.parse(res.body.user.last_login)).toBeGreaterThan(Date.now() - 10_000);
      const me = await t.http.get(ME).set('Authorization', `Bearer ${res.body.tokens.access}`).expect(200);
      expect(me.body.last_login).toBe(res.body.user.last_login);
    });

    it('refuses a REGISTER token', async () => {
      const email = build.email();
      const token = await verificationToken(t, email, 'REGISTER');
      const res = await t.http.post(LOGIN).send({ identifier: email, verification_token: token }).expect(400);
      expect(res.body.code).toBe('VERIFICATION_TOKEN_INVALID');
    });

    it('answers ACCOUNT_NOT_FOUND when the account went away after the code was verified', async () => {
      const email = build.email();
      const user = await seedUser(t, email);
      const token = await verificationToken(t, email, 'LOGIN');
      await t.app.get(DataSource).query('DELETE FROM users WHERE id = $1', [user.id]);
      const res = await t.http.post(LOGIN).send({ identifier: email, verification_token: token }).expect(404);
      expect(res.body.code).toBe('ACCOUNT_NOT_FOUND');
    });

    it('answers ACCOUNT_DISABLED for a deactivated account', async () => {
      const email = build.email();
      const user = await seedUser(t, email);
      const token = await verificationToken(t, email, 'LOGIN');
      await t.app.get(DataSource).query('UPDATE users SET is_active = false WHERE id = $1', [user.id]);
      const res = await t.http.post(LOGIN).send({ identifier: email, verification_token: token }).expect(403);
      expect(res.body.code).toBe('ACCOUNT_DISABLED');
    });
  });

  describe('me', () => {
    let access: string;
    let refresh: string;

    beforeEach(async () => {
      const email = build.email();
      const token = await verificationToken(t, email, 'REGISTER');
      const res = await t.http.post(REGISTER).send({ identifier: email, username: build.username(), verification_token: token });
      ({ access, refresh } = res.body.tokens);
    });

    it.each([
      ['no header', undefined],
      ['a non-bearer scheme', 'Basic abc'],
      ['garbage', 'Bearer not.a.jwt'],
      ['a refresh token', 'REFRESH'],
      ['a tampered token', 'TAMPERED'],
      ['a token signed with another secret', 'FOREIGN'],
      ['an expired token', 'EXPIRED'],
      ['alg none', 'NONE'],
    ])('answers 401 UNAUTHENTICATED for %s', async (_, header) => {
      const value =
        header === 'REFRESH'
          ? `Bearer ${refresh}`
          : header === 'TAMPERED'
            ? `Bearer ${tamper(access)}`
            : header === 'FOREIGN'
              ? `Bearer ${sign({ sub: 'x', jti: 'y', typ: 'access', exp: now() + 60 }, 'another-secret')}`
              : header === 'EXPIRED'
                ? `Bearer ${sign({ sub: 'x', jti: 'y', typ: 'access', exp: now() - 1 }, process.env.JWT_SECRET!)}`
                : header === 'NONE'
                  ? `Bearer ${unsigned({ sub: 'x', jti: 'y', typ: 'access', exp: now() + 60 })}`
                  : header;
      const req = t.http.get(ME);
      if (value) req.set('Authorization', value);
      const res = await req.expect(401);
      expect(res.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED', request_id: expect.any(String) });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    // Signed with the service's own key, so only the claims are wrong: such a token is not valid, not "revoked".
    it.each([['sub'], ['jti'], ['typ'], ['fam']])('says a token without %s is not valid', async (claim) => {
      const claims: Record<string, unknown> = JSON.parse(Buffer.from(access.split('.')[1], 'base64url').toString());
      delete claims[claim];
      const key = t.app.get(KeyRing).signingKey();
      const input = `${encodeSegment({ alg: key.algorithm, kid: key.kid, typ: 'at+jwt' })}.${encodeSegment(claims)}`;
      const res = await t.http.get(ME).set('Authorization', `Bearer ${input}.${await signJws(key.algorithm, key.key, input)}`).expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The access token is not valid or has expired' });
    });

    it('tells a refresh token, a tampered, foreign or expired token that it is not valid, and a missing one what to send', async () => {
      for (const token of [refresh, tamper(access), sign({ sub: 'x', jti: 'y', typ: 'access', exp: now() - 1 }, process.env.JWT_SECRET!), 'not.a.jwt']) {
        const res = await t.http.get(ME).set('Authorization', `Bearer ${token}`).expect(401);
        expect(res.body.message).toBe('The access token is not valid or has expired');
      }
      expect((await t.http.get(ME).expect(401)).body.message).toBe('A valid access token is required (Authorization: Bearer <access>)');
    });

    it('says a token ended by logout-all has been revoked', async () => {
      await t.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${access}`).expect(200);
      const res = await t.http.get(ME).set('Authorization', `Bearer ${access}`).expect(401);
      expect(res.body.message).toBe('The access token has been revoked');
    });

    it('answers 401 when the user no longer exists', async () => {
      await t.app.get(DataSource).query('TRUNCATE TABLE users');
      await t.reset();
      await t.http.get(ME).set('Authorization', `Bearer ${access}`).expect(401);
    });
  });
});

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sign(claims: object, secret: string): string {
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function unsigned(claims: object): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
}

function tamper(jwt: string): string {
  const [head, body, sig] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  return `${head}.${b64({ ...claims, sub: '00000000-0000-0000-0000-000000000000' })}.${sig}`;
}

