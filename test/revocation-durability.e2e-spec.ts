import { jest } from '@jest/globals';
import { createClient } from '@redis/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RevocationRepository } from '../src/auth/revocation.repository.js';
import { SessionStore } from '../src/auth/session.store.js';
import { build } from './support/builders.js';
import { registerUser, verificationToken } from './support/flows.js';
import { hasRedisServer, ThrowawayRedis } from './support/redis-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ME = '/api/auth/me';
const REFRESH = '/api/auth/token/refresh';
const INTROSPECTION_SECRET = 'durability-introspection-secret-0123456789';

/**
 * Revocations outlive Redis: each case ends some access tokens, then the Redis of this test loses every key
 * (FLUSHALL, as a restart without persistence or a failover to an empty replica would), and the ended
 * tokens must still be refused while the tokens nobody ended keep working.
 */
(hasRedisServer ? describe : describe.skip)('revocations survive Redis losing its data', () => {
  const redis = new ThrowawayRedis();
  let t: TestApp;

  beforeAll(async () => {
    await redis.start();
    t = await createTestApp({
      REDIS_URL: redis.url,
      OTP_RESEND_COOLDOWN_SECONDS: '0',
      REFRESH_GRACE_SECONDS: '0',
      INTROSPECTION_SECRET,
    });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  async function flushRedis(): Promise<void> {
    const client = createClient({ url: redis.url });
    await client.connect();
    await client.flushAll();
    await client.close();
  }

  const me = (access: string) => t.http.get(ME).set('Authorization', `Bearer ${access}`);
  const signUp = () => registerUser(t, build.email(), build.username());
  async function admin(): Promise<string> {
    const { user, tokens } = await signUp();
    await t.app.get(DataSource).query(`UPDATE users SET roles = '{user,admin}' WHERE id = $1`, [user.id]);
    return `Bearer ${tokens.access}`;
  }

  it('logout: the logged-out access token stays dead, the other session lives', async () => {
    const email = build.email();
    const { tokens: ended } = await registerUser(t, email, build.username());
    const login = await t.http.post('/api/auth/login').send({ identifier: email, verification_token: await verificationToken(t, email, 'LOGIN') });
    const kept = login.body.tokens as { access: string };
    await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${ended.access}`).send({ refresh: ended.refresh }).expect(200);
    await flushRedis();
    await me(ended.access).expect(401);
    await me(kept.access).expect(200);
  });

  it('logout with another session’s refresh token: both that session and the access token used stay dead', async () => {
    const email = build.email();
    const { tokens: first } = await registerUser(t, email, build.username());
    const login = await t.http.post('/api/auth/login').send({ identifier: email, verification_token: await verificationToken(t, email, 'LOGIN') });
    const second = login.body.tokens as { access: string; refresh: string };
    await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${second.access}`).send({ refresh: first.refresh }).expect(200);
    await flushRedis();
    await me(first.access).expect(401);
    await me(second.access).expect(401);
  });

  it('logout-all: every access token issued before it stays dead; a later sign-in works', async () => {
    const email = build.email();
    const { tokens: one } = await registerUser(t, email, build.username());
    const two = (await t.http.post(REFRESH).send({ refresh: one.refresh }).expect(200)).body as { access: string };
    await t.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${two.access}`).expect(200);
    await new Promise((r) => setTimeout(r, 5));
    const login = await t.http.post('/api/auth/login').send({ identifier: email, verification_token: await verificationToken(t, email, 'LOGIN') });
    await flushRedis();
    await me(one.access).expect(401);
    await me(two.access).expect(401);
    await me((login.body.tokens as { access: string }).access).expect(200);
  });

  it('an admin’s revoke-sessions stays in force', async () => {
    const auth = await admin();
    const { user, tokens } = await signUp();
    await t.http.post(`/api/admin/users/${user.id}/revoke-sessions`).set('Authorization', auth).expect(200);
    await flushRedis();
    await me(tokens.access).expect(401);
    await me(auth.slice(7)).expect(200);
  });

  it('deactivation stays in force after the account is reactivated', async () => {
    const auth = await admin();
    const { user, tokens } = await signUp();
    await t.http.patch(`/api/admin/users/${user.id}`).set('Authorization', auth).send({ is_active: false }).expect(200);
    await t.http.patch(`/api/admin/users/${user.id}`).set('Authorization', auth).send({ is_active: true }).expect(200);
    await flushRedis();
    await me(tokens.access).expect(401);
  });

  it('a reused refresh token’s family stays revoked', async () => {
    const { tokens: one } = await signUp();
    const two = (await t.http.post(REFRESH).send({ refresh: one.refresh }).expect(200)).body as { access: string; refresh: string };
    await t.http.post(REFRESH).send({ refresh: one.refresh }).expect(401);
    await flushRedis();
    await me(one.access).expect(401);
    await me(two.access).expect(401);
    // and the session itself is gone: refresh fails closed
    await t.http.post(REFRESH).send({ refresh: two.refresh }).expect(401);
  });

  it('introspection reports an ended token inactive, and a live one active', async () => {
    const { tokens: ended } = await signUp();
    const { tokens: live } = await signUp();
    await t.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${ended.access}`).expect(200);
    await flushRedis();
    const introspect = (token: string) =>
      t.http.post('/api/auth/introspect').set('Authorization', `Bearer ${INTROSPECTION_SECRET}`).send({ token }).expect(200);
    expect((await introspect(ended.access)).body).toEqual({ active: false });
    expect((await introspect(live.access)).body).toMatchObject({ active: true });
  });

  it('a token nobody ended keeps working, before and after the loss, and its user’s later revocations still count', async () => {
    const { tokens } = await signUp();
    await flushRedis();
    await me(tokens.access).expect(200);
    await me(tokens.access).expect(200);
    await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${tokens.access}`).send({ refresh: tokens.refresh }).expect(200);
    await me(tokens.access).expect(401);
  });

  it('asks PostgreSQL once per user after the loss, however many requests come, then answers from Redis', async () => {
    const { tokens } = await signUp();
    await flushRedis();
    const load = jest.spyOn(t.app.get(RevocationRepository), 'load');
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => me(tokens.access)));
      expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
      await me(tokens.access).expect(200);
      await me(tokens.access).expect(200);
      expect(load).toHaveBeenCalledTimes(1);
    } finally {
      load.mockRestore();
    }
  });

  it('caches nothing from a read of PostgreSQL that Redis lost its data during', async () => {
    const store = t.app.get(SessionStore);
    const { user, tokens } = await signUp();
    const claims = JSON.parse(Buffer.from(tokens.access.split('.')[1], 'base64url').toString()) as { jti: string; iatms: number; fam: string };
    await flushRedis();
    expect(await store.isAccessRevoked(claims.jti, user.id, claims.iatms, claims.fam)).toBeUndefined();
    await store.beginLoad(user.id, 'load-1', 60_000);
    await flushRedis();
    await store.completeLoad(user.id, 'load-1', { sessions: [], accessTokens: [] }, 60_000);
    expect(await store.isAccessRevoked(claims.jti, user.id, claims.iatms, claims.fam)).toBeUndefined();
    await store.beginLoad(user.id, 'load-2', 60_000);
    await store.completeLoad(user.id, 'load-2', { sessions: [], accessTokens: [] }, 60_000);
    expect(await store.isAccessRevoked(claims.jti, user.id, claims.iatms, claims.fam)).toBe(false);
  });
});

/**
 * The embedded default keeps sessions and revocations in the process: a restart forgets them, and the
 * revocations come back from PostgreSQL (PGlite in DATA_DIR, or DATABASE_URL). Whether the store is Redis is
 * decided as the modules load, from the environment: with REDIS_URL set, the describe above is the test.
 */
(process.env.REDIS_URL ? describe.skip : describe)('revocations survive a restart of the in-process store (skipped with REDIS_URL: no in-process store then)', () => {
  it('refuses a token ended before the restart, and accepts one nobody ended', async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'otpgate-restart-')), OTP_RESEND_COOLDOWN_SECONDS: '0' };
    const first = await createTestApp(env);
    let ended: string, kept: string;
    try {
      ended = (await registerUser(first, build.email(), build.username())).tokens.access;
      kept = (await registerUser(first, build.email(), build.username())).tokens.access;
      await first.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${ended}`).expect(200);
    } finally {
      await first.close();
    }
    const second = await createTestApp(env);
    try {
      await second.http.get(ME).set('Authorization', `Bearer ${ended}`).expect(401);
      await second.http.get(ME).set('Authorization', `Bearer ${kept}`).expect(200);
    } finally {
      await second.close();
    }
  }, 60_000);
});
