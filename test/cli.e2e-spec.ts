import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { build } from './support/builders.js';
import { runCli } from './support/cli.js';
import { registerUser, seedUser } from './support/flows.js';
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

  it.each([
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
