import { build } from './support/builders.js';
import { nextCode, registerUser, seedUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { UsersService } from '../src/users/users.service.js';
import { HIDDEN_CHARACTERS } from '../src/common/validation/testing/hidden-character-samples.js';

describe('profile and identifier change', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());

  async function signUp(identifier = build.email()) {
    const { user, tokens } = await registerUser(t, identifier, build.username());
    return { user, identifier, auth: `Bearer ${tokens.access}` };
  }

  it('keeps finding and signing in users after the pool replaced its connections (prepared statements)', async () => {
    const users = t.app.get(UsersService);
    const identifier = build.email();
    await seedUser(t, identifier);
    expect(await users.existsByIdentifier(identifier)).toBe(true);
    await users.signIn(identifier);
    // Drop every pooled connection, as the idle timeout does after 30 s; the next queries open new ones.
    const pool = (t.app.get(DataSource).driver as PostgresDriver).master as Pool;
    const held = await Promise.all(Array.from({ length: pool.totalCount || 1 }, () => pool.connect()));
    for (const client of held) client.release(true);
    expect(await users.existsByIdentifier(identifier)).toBe(true);
    expect(await users.existsByIdentifier(build.email())).toBe(false);
    expect((await users.signIn(identifier)).email).toBe(identifier);
  });

  it('answers each of the probes and sign-ins batched in one turn with its own account', async () => {
    const users = t.app.get(UsersService);
    const [a, b, disabled, phone] = [build.email(), build.email(), build.email(), build.phone()];
    const stranger = build.email();
    await Promise.all([seedUser(t, a), seedUser(t, b), seedUser(t, phone)]);
    await users.setActive((await seedUser(t, disabled)).id, false);

    const probed = await Promise.all([a, stranger, phone, b, disabled, build.phone()].map((id) => users.existsByIdentifier(id)));
    expect(probed).toEqual([true, false, true, true, true, false]);
    const results = await Promise.allSettled([a, b, a, phone, disabled, stranger].map((id) => users.signIn(id)));
    const outcome = (r: PromiseSettledResult<{ email: string | null; phone: string | null; lastLogin: Date | null }>) =>
      r.status === 'fulfilled' ? (r.value.email ?? r.value.phone) : (r.reason as { code: string }).code;
    expect(results.map(outcome)).toEqual([a, b, a, phone, 'ACCOUNT_DISABLED', 'ACCOUNT_NOT_FOUND']);
    for (const r of results.slice(0, 4)) expect((r as PromiseFulfilledResult<{ lastLogin: Date }>).value.lastLogin).toBeInstanceOf(Date);
  });

  it('keeps signing in after a migration adds a column to users (no prepared statement with a stale row type)', async () => {
    const users = t.app.get(UsersService);
    const identifier = build.email();
    await seedUser(t, identifier);
    await users.signIn(identifier);
    const dataSource = t.app.get(DataSource);
    await dataSource.query('ALTER TABLE users ADD COLUMN spec_probe text');
    try {
      const pool = (dataSource.driver as PostgresDriver).master as Pool;
      // Every pooled connection that signed in before the change must still sign in after it.
      const results = await Promise.all(Array.from({ length: Math.max(1, pool.totalCount) }, () => users.signIn(identifier)));
      expect(results.every((user) => user.email === identifier)).toBe(true);
    } finally {
      await dataSource.query('ALTER TABLE users DROP COLUMN spec_probe');
    }
  });

  it.each([['/api/users/me'], ['/api/users/profile/'], ['/api/users/profile']])('GET %s is the bare user object', async (path) => {
    const { user, auth } = await signUp();
    const res = await t.http.get(path).set('Authorization', auth).expect(200);
    expect(res.body).toMatchObject({ id: user.id, is_active: true, roles: ['user'] });
    expect(res.body.success).toBeUndefined();
  });

  it('PATCH changes names, username and picture, and /api/auth/me sees it at once', async () => {
    const { auth } = await signUp();
    const username = build.username();
    const res = await t.http
      .patch('/api/users/profile/')
      .set('Authorization', auth)
      .send({ first_name: ' Ada ', last_name: 'Lovelace', username: username.toUpperCase(), profile_picture: 'https://cdn.example.com/a.png' })
      .expect(200);
    expect(res.body).toMatchObject({ first_name: 'Ada', last_name: 'Lovelace', username, profile_picture: 'https://cdn.example.com/a.png' });
    const me = await t.http.get('/api/auth/me').set('Authorization', auth).expect(200);
    expect(me.body).toEqual(res.body);
    const cleared = await t.http.patch('/api/users/me').set('Authorization', auth).send({ last_name: null, profile_picture: null }).expect(200);
    expect(cleared.body).toMatchObject({ first_name: 'Ada', last_name: null, profile_picture: null, username });
  });

  it('PATCH answers USERNAME_TAKEN for a username of another account, in any case', async () => {
    const taken = build.username();
    await seedUser(t, build.email(), taken);
    const { auth } = await signUp();
    const res = await t.http.patch('/api/users/me').set('Authorization', auth).send({ username: taken.toUpperCase() }).expect(409);
    expect(res.body.code).toBe('USERNAME_TAKEN');
  });

  it.each([
    [{ username: 'x' }, 'username'],
    [{ profile_picture: 'javascript:alert(1)' }, 'profile_picture'],
    [{ profile_picture: 'not a url' }, 'profile_picture'],
    [{ first_name: '' }, 'first_name'],
    [{ email: 'a@example.com' }, 'email'],
    [{ roles: ['admin'] }, 'roles'],
  ])('PATCH refuses %j', async (body, field) => {
    const { auth } = await signUp();
    const res = await t.http.patch('/api/users/me').set('Authorization', auth).send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields[0].field).toBe(field);
  });

  it('refuses NUL characters with VALIDATION_FAILED instead of passing them to PostgreSQL', async () => {
    const { auth } = await signUp();
    for (const body of [{ first_name: 'a\u0000b' }, { profile_picture: 'https://e.com/a\u0000b' }]) {
      const res = await t.http.patch('/api/users/me').set('Authorization', auth).send(body).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: Object.keys(body)[0] }] } });
    }
  });

  it('refuses lone surrogates in any identifier or name with VALIDATION_FAILED, not a 500', async () => {
    const { auth } = await signUp();
    const lone = 'a@b.com\ud800';
    const calls = [
      t.http.post('/api/auth/otp/request').send({ identifier: lone, purpose: 'REGISTER' }),
      t.http.post('/api/auth/otp/verify').send({ identifier: lone, otp: '123456', purpose: 'REGISTER' }),
      t.http.post('/api/auth/login').send({ identifier: lone, verification_token: 'vt_x' }),
      t.http.post('/api/users/verify-otp/').send({ phone: '+8801719159900', otp: '123456', email: 'x@y.com\udc00' }),
      t.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier: lone }),
      t.http.patch('/api/users/me').set('Authorization', auth).send({ first_name: '\ud83d' }),
      t.http.get('/api/admin/users').query({ q: '\ud800' }).set('Authorization', auth),
    ];
    for (const res of await Promise.all(calls)) {
      expect([res.status, res.body.code]).toEqual(res.status === 403 ? [403, 'FORBIDDEN'] : [400, 'VALIDATION_FAILED']);
    }
  });

  describe('characters no one can see', () => {
    let auth: string;
    beforeAll(async () => ({ auth } = await signUp()));

    it.each(HIDDEN_CHARACTERS)('refuses a name with a %s in it, naming the character, and changes nothing', async (_, character) => {
      const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      for (const body of [{ first_name: `Al${character}ice` }, { last_name: `Rah${character}man` }]) {
        const res = await t.http.patch('/api/users/me').set('Authorization', auth).send(body).expect(400);
        const field = Object.keys(body)[0];
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field, message: expect.stringContaining(codePoint) }] } });
      }
      const me = (await t.http.get('/api/users/me').set('Authorization', auth).expect(200)).body;
      expect([me.first_name, me.last_name]).toEqual([null, null]);
    });

    it.each(HIDDEN_CHARACTERS)('refuses to move the account to an email with a %s inside (INVALID_IDENTIFIER)', async (_, character) => {
      const lookAlike = `ne${character}w@example.com`;
      const res = await t.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier: lookAlike }).expect(400);
      expect(res.body).toMatchObject({ code: 'INVALID_IDENTIFIER', details: { fields: [{ field: 'identifier' }] } });
      expect(t.outbox.messagesTo(lookAlike.toLowerCase())).toEqual([]);
    });
  });

  it('refuses a right-to-left override in a name at registration and at phone sign-in too', async () => {
    const reversed = 'Alice\u202Enimda';
    const register = await t.http
      .post('/api/auth/register')
      .send({ identifier: build.email(), username: build.username(), verification_token: 'vt_x', first_name: reversed });
    expect(register.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'first_name' }] } });
    const phone = await t.http.post('/api/users/verify-otp/').send({ phone: build.phone(), otp: '123456', last_name: reversed });
    expect(phone.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'last_name' }] } });
  });

  it('accepts names in the scripts people write them in, ZWJ and ZWNJ where those scripts need them', async () => {
    const { auth } = await signUp();
    const body = { first_name: 'র\u200D্যাব', last_name: 'می\u200Cخواهم' };
    const res = await t.http.patch('/api/users/me').set('Authorization', auth).send(body).expect(200);
    expect(res.body).toMatchObject(body);
  });

  it('refuses to clear the username', async () => {
    const { auth } = await signUp();
    const res = await t.http.patch('/api/users/me').set('Authorization', auth).send({ username: null }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'username' }] } });
    expect((await t.http.get('/api/users/me').set('Authorization', auth).expect(200)).body.username).not.toBeNull();
  });

  it('needs an access token', async () => {
    await t.http.get('/api/users/me').expect(401);
    await t.http.patch('/api/users/profile/').send({ first_name: 'x' }).expect(401);
  });

  it('moves the account to a new email proven by a code, and tells the old one', async () => {
    const { auth, identifier: old } = await signUp();
    const fresh = build.email('new');
    await t.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier: fresh.toUpperCase() }).expect(200);
    const otp = await nextCode(t, fresh);
    const res = await t.http.post('/api/users/me/identifier/verify').set('Authorization', auth).send({ identifier: fresh, otp }).expect(200);
    expect(res.body.email).toBe(fresh);
    const notice = (await t.nextMessage(old)).text;
    expect(notice).toMatch(/was changed to n\*\*\*@e\*\*\*\.com/);
    // the new email signs in; the old one no longer does
    await t.http.post('/api/auth/otp/request').send({ identifier: fresh, purpose: 'LOGIN' }).expect(200);
    expect((await t.nextMessage(fresh)).text).toMatch(/to sign in is \d{6}/);
  });

  it('adds a phone to an email account', async () => {
    const { auth } = await signUp();
    const phone = build.phone();
    await t.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier: phone }).expect(200);
    const otp = await nextCode(t, phone);
    const res = await t.http.post('/api/users/me/identifier/verify').set('Authorization', auth).send({ identifier: phone, otp }).expect(200);
    expect(res.body.phone).toBe(phone);
  });

  it('a code sent for one user does not work for another', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const fresh = build.email();
    await t.http.post('/api/users/me/identifier').set('Authorization', alice.auth).send({ identifier: fresh }).expect(200);
    const otp = await nextCode(t, fresh);
    const res = await t.http.post('/api/users/me/identifier/verify').set('Authorization', bob.auth).send({ identifier: fresh, otp }).expect(400);
    expect(res.body.code).toBe('OTP_INVALID');
  });

  it("keeps each user's code for the same new identifier apart: another user's request replaces nothing", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const fresh = build.email();
    await t.http.post('/api/users/me/identifier').set('Authorization', alice.auth).send({ identifier: fresh }).expect(200);
    const aliceCode = await nextCode(t, fresh);
    await t.http.post('/api/users/me/identifier').set('Authorization', bob.auth).send({ identifier: fresh }).expect(200);
    await t.http.post('/api/users/me/identifier/verify').set('Authorization', bob.auth).send({ identifier: fresh, otp: '000000' }).expect(400);
    const res = await t.http.post('/api/users/me/identifier/verify').set('Authorization', alice.auth).send({ identifier: fresh, otp: aliceCode }).expect(200);
    expect(res.body.email).toBe(fresh);
  });

  it('an identifier of another account answers the same, delivers no usable code, and tells its owner', async () => {
    const owner = build.email();
    await seedUser(t, owner);
    const { auth } = await signUp();
    const res = await t.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier: owner }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['expires_in_seconds', 'identifier', 'message', 'resend_in_seconds', 'success']);
    const notice = (await t.nextMessage(owner)).text;
    expect(notice).toMatch(/already belongs to an account/);
    expect(notice).not.toMatch(/\d{6}/);
    const guess = await t.http.post('/api/users/me/identifier/verify').set('Authorization', auth).send({ identifier: owner, otp: '123456' }).expect(400);
    expect(guess.body).toMatchObject({ code: 'OTP_INVALID', details: { attempts_remaining: 4 } });
  });

  it('refuses to move the account onto the identifier it already has', async () => {
    const { auth, identifier } = await signUp();
    const res = await t.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier }).expect(400);
    expect(res.body.details.fields[0]).toEqual({ field: 'identifier', message: 'identifier is already yours' });
  });

  it('CHANGE_IDENTIFIER is not a purpose of the public request endpoint', async () => {
    const res = await t.http.post('/api/auth/otp/request').send({ identifier: build.email(), purpose: 'CHANGE_IDENTIFIER' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it("counts identifier-change codes against the new identifier's LOGIN and REGISTER budgets and locks", async () => {
    const strict = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0', OTP_MAX_ATTEMPTS: '1', OTP_LOCKOUT_KILLED_CODES: '2' });
    try {
      const { tokens } = await registerUser(strict, build.email(), build.username());
      const auth = `Bearer ${tokens.access}`;
      const target = build.phone();
      for (let i = 0; i < 2; i++) {
        await strict.http.post('/api/auth/otp/request').send({ identifier: target, purpose: 'REGISTER' }).expect(200);
        await strict.http.post('/api/auth/otp/verify').send({ identifier: target, otp: '000000', purpose: 'REGISTER' }).expect(429);
      }
      const res = await strict.http.post('/api/users/me/identifier').set('Authorization', auth).send({ identifier: target }).expect(429);
      expect(res.body.details).toMatchObject({ limit: 'identifier-locked' });
    } finally {
      await strict.close();
    }
  });
});
