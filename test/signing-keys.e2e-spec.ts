import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountStatusService } from '../src/auth/account-status.service.js';
import { AuditService } from '../src/audit/audit.service.js';
import { KeyRing } from '../src/signing-keys/key-ring.js';
import { SigningKeysService } from '../src/signing-keys/signing-keys.service.js';
import { build } from './support/builders.js';
import { registerUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SECRETS = ['introspection-secret-one-0123456789abcdef', 'introspection-secret-two-0123456789abcdef'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as Record<string, unknown>;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

describe('signing keys, discovery and introspection (ES256, the default)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ INTROSPECTION_SECRET: SECRETS.join(','), JWT_ISSUER: 'https://auth.example.test' });
  });
  afterAll(() => t.close());

  const signUp = () => registerUser(t, build.email(), build.username());
  const me = (access: string) => t.http.get('/api/auth/me').set('Authorization', `Bearer ${access}`);
  const introspect = (token: string, secret = SECRETS[0]) => t.http.post('/api/auth/introspect').set('Authorization', `Bearer ${secret}`).send({ token });
  const jwks = async () => (await t.http.get('/.well-known/jwks.json').expect(200)).body as { keys: Array<Record<string, string>> };
  const rotate = async () => {
    const result = await t.app.get(SigningKeysService).rotate();
    await t.app.get(KeyRing).reload();
    return result;
  };

  it('publishes the signing key and the staged next one, public members only, with a max-age', async () => {
    const res = await t.http.get('/.well-known/jwks.json').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const keys = res.body.keys as Array<Record<string, string>>;
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
    const { tokens } = await signUp();
    expect(keys.map((k) => k.kid)).toContain(headerOf(tokens.access).kid);
  });

  it('serves the discovery document', async () => {
    const res = await t.http.get('/.well-known/openid-configuration').expect(200);
    expect(res.body).toMatchObject({
      issuer: 'https://auth.example.test',
      jwks_uri: expect.stringMatching(/\/\.well-known\/jwks\.json$/),
      introspection_endpoint: expect.stringMatching(/\/api\/auth\/introspect$/),
      id_token_signing_alg_values_supported: ['ES256'],
    });
  });

  it('signs RFC 9068-style access tokens: ES256, kid, at+jwt, iss, sub, iat, exp, jti, roles', async () => {
    const { user, tokens } = await signUp();
    expect(headerOf(tokens.access)).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
    expect(claimsOf(tokens.access)).toMatchObject({ iss: 'https://auth.example.test', sub: user.id, jti: expect.any(String), roles: ['user'], typ: 'access' });
    expect(headerOf(tokens.refresh)).toMatchObject({ alg: 'ES256', typ: 'refresh+jwt' });
    expect(claimsOf(tokens.refresh)).not.toHaveProperty('roles');
    await me(tokens.access).expect(200);
  });

  it('rotation: tokens of the old key keep verifying, a refresh gets the new key, the old key stays published', async () => {
    const { tokens } = await signUp();
    const before = headerOf(tokens.access).kid as string;
    const staged = (await t.app.get(SigningKeysService).list()).find((k) => k.state === 'next')!.kid;
    expect((await jwks()).keys.map((k) => k.kid)).toContain(staged);
    const result = await rotate();
    expect(result).toMatchObject({ retired: before, active: staged, next: expect.any(String) });
    await me(tokens.access).expect(200);
    const refreshed = (await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(200)).body;
    expect(headerOf(refreshed.access).kid).toBe(result.active);
    await me(refreshed.access).expect(200);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before, result.active, result.next]));
    const audit = await t.app.get(AuditService).recent({ type: 'signing_key_rotated', limit: 1 });
    expect(audit[0].details).toMatchObject({ retired: before, active: result.active });
  });

  it('a sign-in on an instance that has not reloaded yet signs with the retired key, and its tokens keep working', async () => {
    const before = (await signUp()).tokens;
    await t.app.get(SigningKeysService).rotate(); // as another instance or the command line would: no reload here
    const late = await signUp();
    expect(headerOf(late.tokens.access).kid).toBe(headerOf(before.access).kid);
    await t.app.get(KeyRing).reload();
    await me(late.tokens.access).expect(200);
    const refreshed = (await t.http.post('/api/auth/token/refresh').send({ refresh: late.tokens.refresh }).expect(200)).body;
    await me(refreshed.access).expect(200);
  });

  it('a grace-window retry across a rotation gets the same pair under the new key, and that pair works', async () => {
    const { tokens } = await signUp();
    const child = (await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(200)).body;
    await rotate();
    const retried = (await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(200)).body;
    expect(headerOf(retried.refresh).kid).not.toBe(headerOf(child.refresh).kid);
    expect(retried.refresh.split('.')[1]).toBe(child.refresh.split('.')[1]);
    const next = (await t.http.post('/api/auth/token/refresh').send({ refresh: retried.refresh }).expect(200)).body;
    await me(next.access).expect(200);
  });

  it('revocation: every token of the key is refused at once, the key leaves the JWKS, a new one signs', async () => {
    const { tokens } = await signUp();
    const kid = headerOf(tokens.access).kid as string;
    await me(tokens.access).expect(200);
    const result = await t.app.get(SigningKeysService).revoke(kid);
    await t.app.get(KeyRing).reload();
    await me(tokens.access).expect(401);
    expect((await introspect(tokens.access).expect(200)).body).toEqual({ active: false });
    await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(401);
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(kid);
    const fresh = await signUp();
    expect(headerOf(fresh.tokens.access).kid).toBe(result?.active);
    await me(fresh.tokens.access).expect(200);
    const audit = await t.app.get(AuditService).recent({ type: 'signing_key_revoked', limit: 1 });
    expect(audit[0].details).toMatchObject({ kid });
  });

  describe('introspection (RFC 7662)', () => {
    it('answers active with the claims, in JSON and in the RFC form encoding, for either secret', async () => {
      const { user, tokens } = await signUp();
      const json = await introspect(tokens.access, SECRETS[1]).expect(200);
      expect(json.body).toMatchObject({ active: true, token_type: 'access_token', sub: user.id, roles: ['user'], iss: 'https://auth.example.test' });
      expect(json.body).toMatchObject({ exp: claimsOf(tokens.access).exp, iat: claimsOf(tokens.access).iat, jti: claimsOf(tokens.access).jti });
      const form = await t.http
        .post('/api/auth/introspect')
        .set('Authorization', `Bearer ${SECRETS[0]}`)
        .type('form')
        .send({ token: tokens.access, token_type_hint: 'access_token' })
        .expect(200);
      expect(form.body).toEqual(json.body);
    });

    it('answers inactive after logout, logout-all, deactivation and refresh reuse; for refresh tokens and garbage', async () => {
      const a = await signUp();
      await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${a.tokens.access}`).send({ refresh: a.tokens.refresh }).expect(200);
      const b = await signUp();
      await t.http.post('/api/auth/logout-all').set('Authorization', `Bearer ${b.tokens.access}`).expect(200);
      const c = await signUp();
      await t.app.get(AccountStatusService).deactivate(c.user.id);
      const d = await signUp();
      await t.http.post('/api/auth/token/refresh').send({ refresh: d.tokens.refresh }).expect(200);
      await new Promise((r) => setTimeout(r, 10));
      const reuse = await createReuse(t, d.tokens.refresh);
      for (const token of [a.tokens.access, b.tokens.access, c.tokens.access, reuse, d.tokens.refresh, 'garbage', a.tokens.access + 'x']) {
        expect((await introspect(token).expect(200)).body).toEqual({ active: false });
      }
    });

    it('refuses callers without one of the secrets, with 401 and the error body', async () => {
      const { tokens } = await signUp();
      for (const auth of [undefined, 'Bearer wrong-secret', `Bearer ${SECRETS[0]}x`, `Basic ${SECRETS[0]}`, `Bearer ${tokens.access}`]) {
        const req = t.http.post('/api/auth/introspect');
        if (auth) void req.set('Authorization', auth);
        const res = await req.send({ token: tokens.access }).expect(401);
        expect(res.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED', request_id: expect.any(String) });
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    });

    it('refuses bad bodies with 400, and a form anywhere else with 400 as before', async () => {
      for (const body of [{}, { token: 7 }, { token: '' }, { token: 'x', extra: 1 }, { token: 'x', token_type_hint: 'id_token' }]) {
        const res = await t.http.post('/api/auth/introspect').set('Authorization', `Bearer ${SECRETS[0]}`).send(body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      await t.http.post('/api/auth/introspect').set('Authorization', `Bearer ${SECRETS[0]}`).type('form').send('token=a&token=b').expect(400);
      const form = await t.http.post('/api/auth/otp/request').type('form').send({ identifier: build.email(), purpose: 'REGISTER' }).expect(400);
      expect(form.body.code).toBe('VALIDATION_FAILED');
    });
  });
});

/** Presents a spent refresh token after the grace window: the family is revoked; answers its last access token. */
async function createReuse(t: TestApp, spent: string): Promise<string> {
  const child = (await t.http.post('/api/auth/token/refresh').send({ refresh: spent })).body as { access?: string };
  // Within the grace window the spent token still answers the child: spend the child, then reuse the parent.
  const grandchild = (await t.http.post('/api/auth/token/refresh').send({ refresh: (child as { refresh: string }).refresh }).expect(200)).body;
  await t.http.post('/api/auth/token/refresh').send({ refresh: spent }).expect(401);
  return grandchild.access as string;
}

describe('switching a deployment from HS256 to ES256 logs nobody out', () => {
  const dataDir = `${process.env.TMPDIR ?? '/tmp'}/otpgate-switch-${randomUUID()}`;
  const secret = process.env.JWT_SECRET!;

  it('tokens signed before the switch (with and without kid) verify, and refresh with Redis; HS256 ones minted after it do not', async () => {
    const before = await createTestApp({ JWT_ALGORITHM: 'HS256', DATA_DIR: dataDir });
    let signedUp: Awaited<ReturnType<typeof registerUser>>;
    try {
      signedUp = await registerUser(before, build.email(), build.username());
      expect(headerOf(signedUp.tokens.access)).toMatchObject({ alg: 'HS256', kid: expect.stringMatching(/^hs256-/) });
      expect((await before.http.get('/.well-known/jwks.json').expect(200)).body.keys.every((k: Record<string, string>) => k.kty !== 'oct' && !('k' in k))).toBe(true);
    } finally {
      await before.close();
    }
    // A token in the format of the versions before kids: HS256, no kid, no iss.
    const iat = Math.floor(Date.now() / 1000) - 1;
    const legacy = hs256({ alg: 'HS256', typ: 'JWT' }, { typ: 'access', fam: 'operator', iat, iatms: iat * 1000, exp: iat + 600, sub: signedUp.user.id, jti: randomUUID() }, secret);
    await new Promise((r) => setTimeout(r, 1100));

    const after = await createTestApp({ JWT_ALGORITHM: 'ES256', DATA_DIR: dataDir });
    try {
      const me = (access: string) => after.http.get('/api/auth/me').set('Authorization', `Bearer ${access}`);
      await me(signedUp.tokens.access).expect(200);
      await me(legacy).expect(200);
      const [switched] = await after.app.get(AuditService).recent({ type: 'signing_key_rotated', limit: 1 });
      expect(switched.details).toEqual({ retired: headerOf(signedUp.tokens.access).kid, reason: 'JWT_ALGORITHM=ES256' });
      // Sessions outlive a restart only in Redis (the in-process store ends with its process).
      if (process.env.REDIS_URL) {
        const refreshed = (await after.http.post('/api/auth/token/refresh').send({ refresh: signedUp.tokens.refresh }).expect(200)).body;
        expect(headerOf(refreshed.access)).toMatchObject({ alg: 'ES256' });
        await me(refreshed.access).expect(200);
      }
      // Whoever still holds JWT_SECRET cannot mint new tokens once ES256 signs (past the 5 minutes a rolling
      // deploy's HS256 instances are given): the switch is moved 10 minutes into the past to see it.
      await after.app.get(DataSource).query(`UPDATE signing_keys SET retired_at = now() - interval '10 minutes' WHERE algorithm = 'HS256'`);
      await after.app.get(KeyRing).reload();
      const now = Math.floor(Date.now() / 1000);
      const minted = hs256({ alg: 'HS256', typ: 'JWT' }, { typ: 'access', fam: 'operator', iat: now, iatms: now * 1000, exp: now + 600, sub: signedUp.user.id, jti: randomUUID() }, secret);
      await me(minted).expect(401);
    } finally {
      await after.close();
    }
  });
});

function hs256(header: object, payload: object, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
