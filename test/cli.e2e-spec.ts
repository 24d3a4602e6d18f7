import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service.js';
import { SigningKeysService } from '../src/signing-keys/signing-keys.service.js';
import { build } from './support/builders.js';
import { runCli, runNpm } from './support/cli.js';
import { nextCode, registerUser, seedUser, verificationToken } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Each run is a new Node process that loads the whole service, about 2 s of CPU: three in one test can take
// more than the default 30 s on a busy machine.
jest.setTimeout(60_000);

describe('the command line (npm run cli)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const cli = (...args: string[]) => runCli(args, t.env);

  it('admin:create makes a new admin whose token:issue token opens the admin routes', async () => {
    const username = build.username('boss');
    const created = await cli('admin:create', '--identifier', build.email('boss').toUpperCase(), '--username', username);
    expect(created).toMatchObject({ code: 0, stdout: expect.stringContaining(`created admin ${username}`) });

    const issued = await cli('token:issue', '--username', username);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const res = await t.http.get('/api/admin/users').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body.items.map((u: { username: string }) => u.username)).toContain(username);
  });

  const row = async (id: string) =>
    (await t.app.get(DataSource).query<{ is_verified: boolean; last_login: Date | null }[]>('SELECT is_verified, last_login FROM users WHERE id = $1', [id]))[0];

  it('admin:create: unverified and never signed in, until a LOGIN code proves the email', async () => {
    const email = build.email('op');
    const created = await cli('admin:create', '--identifier', email, '--username', build.username());
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1];
    expect(await row(id)).toEqual({ is_verified: false, last_login: null });

    const verification_token = await verificationToken(t, email, 'LOGIN');
    const login = await t.http.post('/api/auth/login').send({ identifier: email, verification_token }).expect(200);
    expect(login.body.user).toMatchObject({ id, is_verified: true, last_login: expect.any(String) });
    expect(await row(id)).toEqual({ is_verified: true, last_login: expect.any(Date) });
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${login.body.tokens.access}`).expect(200);
    expect(me.body).toMatchObject({ is_verified: true, last_login: login.body.user.last_login });
  });

  it('admin:create with a phone: verified by the first phone sign-in', async () => {
    const phone = build.phone();
    const created = await cli('admin:create', '--identifier', phone, '--username', build.username());
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1];
    expect(await row(id)).toEqual({ is_verified: false, last_login: null });

    await t.http.post('/api/users/send-otp/').send({ phone }).expect(200);
    const signedIn = await t.http.post('/api/users/verify-otp/').send({ phone, otp: await nextCode(t, phone) }).expect(200);
    expect(signedIn.body).toMatchObject({ created: false, user: { id, is_verified: true, last_login: expect.any(String) } });
    expect(await row(id)).toEqual({ is_verified: true, last_login: expect.any(Date) });
  });

  it('npm run -s cli (the documented form) prints only the command output: no npm banner, no word about .env', async () => {
    const res = await runNpm(['run', '-s', 'cli', '--', 'users:list', '--limit', '1'], t.env);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toMatch(/^id\tusername\tidentifier\troles\tstate\n/);
  });

  it('admin:create promotes an existing user', async () => {
    const email = build.email();
    const user = await seedUser(t, email);
    const res = await cli('admin:create', '--identifier', email, '--username', 'ignored');
    expect(res).toMatchObject({ code: 0, stdout: expect.stringContaining('is now an admin'), stderr: expect.stringContaining('--username is not applied') });
    const again = await cli('admin:create', '--identifier', email, '--username', 'ignored');
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('is already an admin') });
    const token = (await cli('token:issue', '--username', user.username!)).stdout.trim();
    await t.http.get(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('token:issue honours --ttl', async () => {
    const user = await seedUser(t, build.email());
    const token = (await cli('token:issue', '--username', user.username!, '--ttl', '90s')).stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { iat: number; exp: number; typ: string };
    expect(claims.exp - claims.iat).toBe(90);
    expect(claims.typ).toBe('access');
  });

  it('users:list and users:deactivate', async () => {
    const { user, tokens } = await registerUser(t, build.email(), build.username());
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokens.access}`).expect(200);
    const list = await cli('users:list', '--limit', '100');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(me.body.username);
    const res = await cli('users:deactivate', '--username', me.body.username);
    expect(res.code).toBe(0);
    const [row] = await t.app.get(DataSource).query('SELECT is_active FROM users WHERE id = $1', [user.id]);
    expect(row.is_active).toBe(false);
    if (t.env.REDIS_URL) {
      // sessions and the user cache are shared through Redis: the server sees it at once
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokens.access}`).expect(401);
    } else {
      // the embedded server's sessions live in its own memory: the CLI says so
      expect(res.stderr).toMatch(/without REDIS_URL, a running server keeps sessions/);
    }
  });

  it('keys:list, keys:rotate and keys:revoke manage the signing keys; the running service follows by itself', async () => {
    const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string }).kid;
    const stateOf = (listing: string, state: string) => listing.split('\n').find((line) => line.split('\t')[2] === state)?.split('\t')[0];
    const me = (access: string) => t.http.get('/api/auth/me').set('Authorization', `Bearer ${access}`);
    /** The service reloads its keys every JWT_KEYS_POLL_SECONDS (2 s): waits up to 6 s for `check` to hold. */
    const eventually = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 6000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('the running service did not follow the key change');
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const listed = await cli('keys:list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toBe('kid\talgorithm\tstate\tcreated\tsigning since\tstopped\tverifies until');
    const active = stateOf(listed.stdout, 'active')!;
    const staged = stateOf(listed.stdout, 'next')!;
    const { tokens } = await registerUser(t, build.email(), build.username());
    expect(kidOf(tokens.access)).toBe(active);

    // A shell with another JWT_ALGORITHM rotates within the algorithm in force: it never switches the fleet's.
    const rotated = await runCli(['keys:rotate'], { ...t.env, JWT_ALGORITHM: 'EdDSA' });
    expect(rotated).toMatchObject({ code: 0, stdout: expect.stringContaining(`retired ${active}\nsigning with ${staged}\nstaged `) });
    const keys = await t.app.get(SigningKeysService).list();
    expect(keys.filter((k) => k.state === 'active' || k.state === 'next').map((k) => k.algorithm)).toEqual(['ES256', 'ES256']);
    await eventually(async () => kidOf((await registerUser(t, build.email(), build.username())).tokens.access) === staged);
    await me(tokens.access).expect(200);

    const revoked = await cli('keys:revoke', active);
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringContaining(`revoked ${active}`) });
    await eventually(async () => (await me(tokens.access)).status === 401);
    const [audited] = await t.app.get(AuditService).recent({ type: 'signing_key_revoked', limit: 1 });
    expect(audited.details).toMatchObject({ kid: active });
    // Each command starts a process of its own (~2 s each here, more on a loaded machine).
  }, 90_000);

  it.each([
    [['keys:revoke', 'no-such-kid'], 3, /no signing key with the kid "no-such-kid"/],
    [['token:issue', '--username', 'nobody_here'], 3, /no user with the username/],
    [['users:deactivate', '--username', 'nobody_here'], 3, /no user with the username/],
    [['token:issue', '--username', 'x', '--ttl', 'forever'], 2, /--ttl/],
    [['admin:create', '--identifier', 'not-an-identifier', '--username', 'abc'], 2, /--identifier/],
    [['admin:create', '--identifier', 'a@example.com', '--username', '1bad'], 2, /--username/],
    [['users:list', '--limit', '0'], 2, /--limit/],
    [['token:issue'], 2, /required option --username/],
    [['no:such-command'], 2, /unknown command/],
  ])('%j exits %i with a clear message', async (args, code, message) => {
    const res = await cli(...args);
    expect(res.code).toBe(code);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 4 when the database cannot be reached', async () => {
    const res = await runCli(['users:list'], { ...t.env, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    expect(res).toMatchObject({ code: 4, stderr: expect.stringContaining('PostgreSQL is unavailable') });
  });
});
