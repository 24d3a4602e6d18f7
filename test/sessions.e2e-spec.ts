import { AccountStatusService } from '../src/auth/account-status.service.js';
import { RedisConnection } from '../src/redis/redis-connection.js';
import { build } from './support/builders.js';
import { registerUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REFRESH = '/api/auth/token/refresh';
const ME = '/api/auth/me';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sessions: rotation, reuse, grace, logout', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REFRESH_GRACE_SECONDS: '2', OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());

  const signUp = () => registerUser(t, build.email(), build.username());
  const me = (access: string) => t.http.get(ME).set('Authorization', `Bearer ${access}`);

  it('rotates: a new pair, and the new access token works', async () => {
    const { tokens } = await signUp();
    const res = await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(200);
    expect(res.body).toEqual({ access: expect.any(String), refresh: expect.any(String) });
    expect(res.body.refresh).not.toBe(tokens.refresh);
    expect(res.body.access).not.toBe(tokens.access);
    await me(res.body.access).expect(200);
  });

  it('detects reuse of a spent token after the grace window and revokes the whole family', async () => {
    const { tokens } = await signUp();
    const child = (await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(200)).body;
    await sleep(2100);
    const reuse = await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(401);
    expect(reuse.body.code).toBe('UNAUTHENTICATED');
    // the newest token of the family died with it, and so did the family's access tokens
    await t.http.post(REFRESH).send({ refresh: child.refresh }).expect(401);
    await me(tokens.access).expect(401);
    await me(child.access).expect(401);
  });

  it('treats a retry as reuse once the child has been used, even within the grace window', async () => {
    const { tokens } = await signUp();
    const child = (await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(200)).body;
    const grandchild = (await t.http.post(REFRESH).send({ refresh: child.refresh }).expect(200)).body;
    await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(401);
    await t.http.post(REFRESH).send({ refresh: grandchild.refresh }).expect(401);
  });

  it('refuses an access token, garbage, and a missing field', async () => {
    const { tokens } = await signUp();
    await t.http.post(REFRESH).send({ refresh: tokens.access }).expect(401);
    await t.http.post(REFRESH).send({ refresh: 'not-a-jwt' }).expect(401);
    const missing = await t.http.post(REFRESH).send({}).expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    // A number is told it is not a string, not about the lengths a string may have.
    const number = await t.http.post(REFRESH).send({ refresh: 1 }).expect(400);
    expect(number.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'refresh must be a string', details: { fields: [{ field: 'refresh', message: 'refresh must be a string' }] } });
  });

  it('serves the flow-2 alias /api/token/refresh/', async () => {
    const { tokens } = await signUp();
    const res = await t.http.post('/api/token/refresh/').send({ refresh: tokens.refresh }).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['access', 'refresh']);
  });

  it('logout kills that session and its access token, and leaves other sessions alone', async () => {
    const email = build.email();
    const first = await registerUser(t, email, build.username());
    const second = (await t.http.post(REFRESH).send({ refresh: first.tokens.refresh }).expect(200)).body;
    const other = await registerUser(t, build.email(), build.username());

    const res = await t.http
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${second.access}`)
      .send({ refresh: second.refresh })
      .expect(200);
    expect(res.body).toEqual({ success: true });
    await me(second.access).expect(401);
    await t.http.post(REFRESH).send({ refresh: second.refresh }).expect(401);
    await me(other.tokens.access).expect(200);
  });

  it('logout refuses the refresh token of another user', async () => {
    const a = await signUp();
    const b = await signUp();
    await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${a.tokens.access}`).send({ refresh: b.tokens.refresh }).expect(401);
    await t.http.post(REFRESH).send({ refresh: b.tokens.refresh }).expect(200);
  });

  it('logout-all kills every session and every access token of the user, and new sign-ins work', async () => {
    const email = build.email();
    const { tokens: one } = await registerUser(t, email, build.username());
    const two = (await t.http.post(REFRESH).send({ refresh: one.refresh }).expect(200)).body;
    await t.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${two.access}`).expect(200);
    await me(one.access).expect(401);
    await me(two.access).expect(401);
    await t.http.post(REFRESH).send({ refresh: two.refresh }).expect(401);
  });

  it('deactivation kills the sessions and access tokens at once', async () => {
    const { user, tokens } = await signUp();
    await t.app.get(AccountStatusService).deactivate(user.id);
    await me(tokens.access).expect(401);
    await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(401);
  });

  it('stores hashes of refresh tokens, never the tokens', async () => {
    const client = t.app.get(RedisConnection).client;
    if (!client) return expect(process.env.REDIS_URL).toBeUndefined();
    const { tokens } = await signUp();
    const keys = await client.keys('session:*');
    const values = await Promise.all(keys.map((k) => client.hGetAll(k)));
    expect(JSON.stringify(values)).not.toContain(tokens.refresh);
    expect(JSON.stringify(values)).not.toContain(tokens.refresh.split('.')[2]);
  });
});

describe('sessions: a burst of parallel refreshes', () => {
  let t: TestApp;

  // A grace window the burst fits in even on a busy machine (100 requests took over 2 s there).
  beforeAll(async () => {
    t = await createTestApp({ REFRESH_GRACE_SECONDS: '60', OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());

  it('gives 100 parallel refreshes with one token one and the same new pair, and only one new token exists', async () => {
    const { tokens } = await registerUser(t, build.email(), build.username());
    const results = await Promise.all(Array.from({ length: 100 }, () => t.http.post(REFRESH).send({ refresh: tokens.refresh })));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    // The same pair: the same claims and jti (ES256 signatures are randomized, so under ES256 only the
    // signatures differ; under EdDSA, RS256 and HS256 the tokens are identical).
    const signedPart = (token: string) => token.slice(0, token.lastIndexOf('.'));
    const pairs = new Set(results.map((r) => `${signedPart(r.body.access)} ${signedPart(r.body.refresh)}`));
    expect(pairs.size).toBe(1);
    const [{ body: child }] = results;
    // the child is the family's only live token: it rotates once, then the old child is spent
    const grandchild = await t.http.post(REFRESH).send({ refresh: child.refresh }).expect(200);
    await t.http.get(ME).set('Authorization', `Bearer ${grandchild.body.access}`).expect(200);
  });
});

describe('sessions: absolute life', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ SESSION_MAX_AGE_SECONDS: '2' });
  });
  afterAll(() => t.close());

  it('cannot be refreshed past its maximum age', async () => {
    const { tokens } = await registerUser(t, build.email(), build.username());
    const child = (await t.http.post(REFRESH).send({ refresh: tokens.refresh }).expect(200)).body;
    await sleep(2100);
    const res = await t.http.post(REFRESH).send({ refresh: child.refresh }).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
