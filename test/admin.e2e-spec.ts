import { DataSource } from 'typeorm';
import { AdminService } from '../src/admin/admin.service.js';
import { build } from './support/builders.js';
import { registerUser, seedUser, verificationToken } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('admin: roles, user management, audit trail', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  async function signUp(roles?: string[]) {
    const { user, tokens } = await registerUser(t, build.email(), build.username());
    if (roles) await t.app.get(DataSource).query('UPDATE users SET roles = $2 WHERE id = $1', [user.id, roles]);
    return { id: user.id, auth: `Bearer ${tokens.access}`, refresh: tokens.refresh };
  }

  it('answers 403 FORBIDDEN to a non-admin and 401 without a token', async () => {
    const user = await signUp();
    const res = await t.http.get('/api/admin/users').set('Authorization', user.auth).expect(403);
    expect(res.body).toMatchObject({ success: false, code: 'FORBIDDEN', request_id: expect.any(String) });
    await t.http.get('/api/admin/users').expect(401);
  });

  it('lists users with a total, pages by cursor, filters by role, state and prefix', async () => {
    const admin = await signUp(['user', 'admin']);
    for (let i = 0; i < 5; i++) await seedUser(t, build.email(), `zed${i}${build.username().slice(0, 6)}`);
    const first = await t.http.get('/api/admin/users?limit=2').set('Authorization', admin.auth).expect(200);
    expect(first.body).toMatchObject({ total: 6, next_cursor: expect.any(String) });
    expect(first.body.items).toHaveLength(2);
    const seen = new Set(first.body.items.map((u: { id: string }) => u.id));
    let cursor = first.body.next_cursor as string | null;
    while (cursor) {
      const page = await t.http.get(`/api/admin/users?limit=2&cursor=${cursor}`).set('Authorization', admin.auth).expect(200);
      for (const u of page.body.items) seen.add(u.id);
      cursor = page.body.next_cursor;
    }
    expect(seen.size).toBe(6);
    const admins = await t.http.get('/api/admin/users?role=admin').set('Authorization', admin.auth).expect(200);
    expect(admins.body.items.map((u: { id: string }) => u.id)).toEqual([admin.id]);
    const zeds = await t.http.get('/api/admin/users?q=ZED').set('Authorization', admin.auth).expect(200);
    expect(zeds.body.total).toBe(5);
    const inactive = await t.http.get('/api/admin/users?active=false').set('Authorization', admin.auth).expect(200);
    expect(inactive.body.total).toBe(0);
  });

  it.each([['limit=abc'], ['limit=1&limit=2'], ['limit=2.5']])('says %s is not a whole number', async (query) => {
    const admin = await signUp(['user', 'admin']);
    const res = await t.http.get(`/api/admin/users?${query}`).set('Authorization', admin.auth).expect(400);
    expect(res.body.message).toMatch(/limit must be an integer/);
  });

  const forged = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['limit=0'],
    ['limit=101'],
    ['role=root'],
    ['active=maybe'],
    ['cursor=bogus'],
    ['unknown=1'],
    ['q=a%00b'],
    [`cursor=${forged({ dateJoined: 'not-a-date', id: '6f1c2b8e-2a53-4d0e-9a57-5f8c8e0b7a11' })}`],
    [`cursor=${forged({ dateJoined: '2026-02-30 00:00:00+00', id: '6f1c2b8e-2a53-4d0e-9a57-5f8c8e0b7a11' })}`],
    [`cursor=${forged({ dateJoined: '9999999-01-01 00:00:00+00', id: '6f1c2b8e-2a53-4d0e-9a57-5f8c8e0b7a11' })}`],
    [`cursor=${forged({ dateJoined: '2026-01-01 00:00:00+00', id: '-'.repeat(36) })}`],
  ])(
    'refuses the query %s',
    async (query) => {
      const admin = await signUp(['user', 'admin']);
      const res = await t.http.get(`/api/admin/users?${query}`).set('Authorization', admin.auth).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    },
  );

  it('gets one user, 404 for an unknown id, 400 for a malformed one', async () => {
    const admin = await signUp(['user', 'admin']);
    const other = await signUp();
    const res = await t.http.get(`/api/admin/users/${other.id}`).set('Authorization', admin.auth).expect(200);
    expect(res.body.id).toBe(other.id);
    const unknown = await t.http.get('/api/admin/users/6f1c2b8e-2a53-4d0e-9a57-5f8c8e0b7a11').set('Authorization', admin.auth).expect(404);
    expect(unknown.body).toMatchObject({ code: 'ACCOUNT_NOT_FOUND', message: 'No user has this id' });
    const bad = await t.http.get('/api/admin/users/not-a-uuid').set('Authorization', admin.auth).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'id' }] } });
    for (const before of ['-271821-04-20T00:00:00Z', '2026-02-30T00:00:00Z', '1']) {
      await t.http.get(`/api/admin/audit?before=${encodeURIComponent(before)}`).set('Authorization', admin.auth).expect(400);
    }
  });

  it('demotion takes effect on the next request, without a new token', async () => {
    const boss = await signUp(['user', 'admin']);
    const deputy = await signUp(['user', 'admin']);
    await t.http.get('/api/admin/users').set('Authorization', deputy.auth).expect(200);
    await t.http.patch(`/api/admin/users/${deputy.id}`).set('Authorization', boss.auth).send({ roles: ['user'] }).expect(200);
    await t.http.get('/api/admin/users').set('Authorization', deputy.auth).expect(403);
  });

  it('deactivating a user ends its sessions; reactivating lets it sign in again', async () => {
    const admin = await signUp(['user', 'admin']);
    const email = build.email();
    const { user, tokens } = await registerUser(t, email, build.username());
    const res = await t.http.patch(`/api/admin/users/${user.id}`).set('Authorization', admin.auth).send({ is_active: false }).expect(200);
    expect(res.body.is_active).toBe(false);
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${tokens.access}`).expect(401);
    await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(401);
    const token = await verificationToken(t, email, 'LOGIN');
    await t.http.post('/api/auth/login').send({ identifier: email, verification_token: token }).expect(403);
    await t.http.patch(`/api/admin/users/${user.id}`).set('Authorization', admin.auth).send({ is_active: true }).expect(200);
    await t.http.post('/api/auth/login').send({ identifier: email, verification_token: await verificationToken(t, email, 'LOGIN') }).expect(200);
  });

  it('refuses to let an admin remove their own admin role or deactivate themselves (409 SELF_LOCKOUT)', async () => {
    const admin = await signUp(['user', 'admin']);
    for (const body of [{ roles: ['user'] }, { is_active: false }]) {
      const res = await t.http.patch(`/api/admin/users/${admin.id}`).set('Authorization', admin.auth).send(body).expect(409);
      expect(res.body.code).toBe('SELF_LOCKOUT');
    }
    await t.http.patch(`/api/admin/users/${admin.id}`).set('Authorization', admin.auth).send({ roles: ['admin', 'provider'] }).expect(200);
  });

  const adminCount = async () =>
    (await t.app.get(DataSource).query(`SELECT count(*)::int AS count FROM users WHERE 'admin' = ANY(roles) AND is_active`))[0].count as number;

  it.each([
    ['demoting', { roles: ['user'] }],
    ['deactivating', { is_active: false }],
  ])('lets exactly one of two admins %s each other at the same moment win; the other is refused', async (_, body) => {
    for (let round = 0; round < 5; round++) {
      await t.reset();
      const [one, two] = [await signUp(['user', 'admin']), await signUp(['user', 'admin'])];
      const answers = await Promise.all([
        t.http.patch(`/api/admin/users/${two.id}`).set('Authorization', one.auth).send(body),
        t.http.patch(`/api/admin/users/${one.id}`).set('Authorization', two.auth).send(body),
      ]);
      expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
      // 409 SELF_LOCKOUT when both got past the role check first; 403 when the loser's check came after the
      // winner's change (it is no longer an admin).
      const loser = answers.find((res) => res.status !== 200)!;
      expect([`409 SELF_LOCKOUT`, `403 FORBIDDEN`]).toContain(`${loser.status} ${loser.body.code}`);
      expect(await adminCount()).toBe(1);
    }
  });

  it.each([
    ['demoting', { roles: ['user' as const] }],
    ['deactivating', { is_active: false }],
  ])('refuses with 409 SELF_LOCKOUT the second of two admins %s each other at once, past the role check', async (_, body) => {
    for (let round = 0; round < 5; round++) {
      await t.reset();
      const [one, two] = [await signUp(['user', 'admin']), await signUp(['user', 'admin'])];
      const admins = t.app.get(AdminService);
      const outcomes = await Promise.allSettled([
        admins.updateUser({ id: one.id, ip: '127.0.0.1' }, two.id, body),
        admins.updateUser({ id: two.id, ip: '127.0.0.1' }, one.id, body),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected')!;
      expect(refused.reason).toMatchObject({ code: 'SELF_LOCKOUT', message: expect.stringMatching(/no active admin/) });
      expect(await adminCount()).toBe(1);
    }
  });

  it('revokes a user\u2019s sessions', async () => {
    const admin = await signUp(['user', 'admin']);
    const victim = await signUp();
    await t.http.post(`/api/admin/users/${victim.id}/revoke-sessions`).set('Authorization', admin.auth).expect(200, { success: true });
    await t.http.get('/api/auth/me').set('Authorization', victim.auth).expect(401);
    await t.http.post('/api/auth/token/refresh').send({ refresh: victim.refresh }).expect(401);
  });

  it('keeps an audit trail of admin writes and security events, filterable, with no codes or tokens', async () => {
    const admin = await signUp(['user', 'admin']);
    const user = await signUp();
    await t.http.patch(`/api/admin/users/${user.id}`).set('Authorization', admin.auth).send({ roles: ['user', 'provider'], first_name: 'Zoe' }).expect(200);
    await t.http.patch(`/api/admin/users/${user.id}`).set('Authorization', admin.auth).send({ is_active: false }).expect(200);
    // a locked code and a reused refresh token
    const email = build.email();
    await t.http.post('/api/auth/otp/request').send({ identifier: email, purpose: 'REGISTER' }).expect(200);
    for (let i = 0; i < 5; i++) await t.http.post('/api/auth/otp/verify').send({ identifier: email, purpose: 'REGISTER', otp: '000000' });
    const { tokens } = await registerUser(t, build.email(), build.username());
    await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(200);
    await new Promise((r) => setTimeout(r, 50));

    const all = await t.http.get('/api/admin/audit').set('Authorization', admin.auth).expect(200);
    const types = all.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['role_changed', 'user_updated', 'user_deactivated', 'otp_locked']));
    const roleChange = all.body.items.find((e: { type: string }) => e.type === 'role_changed');
    expect(roleChange).toMatchObject({ actor_id: admin.id, subject_id: user.id, ip: expect.any(String), details: { from: ['user'], to: ['user', 'provider'] } });
    expect(JSON.stringify(all.body)).not.toContain(email);
    expect(JSON.stringify(all.body)).not.toContain(tokens.refresh);

    const aboutUser = await t.http.get(`/api/admin/audit?user_id=${user.id}&type=user_deactivated`).set('Authorization', admin.auth).expect(200);
    expect(aboutUser.body.items).toHaveLength(1);
  });

  it('records reuse of a refresh token and an admin login', async () => {
    const email = build.email();
    const { user, tokens } = await registerUser(t, email, build.username());
    await t.app.get(DataSource).query(`UPDATE users SET roles = '{user,admin}' WHERE id = $1`, [user.id]);
    await t.http.post('/api/auth/login').send({ identifier: email, verification_token: await verificationToken(t, email, 'LOGIN') }).expect(200);
    const child = (await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(200)).body;
    await t.http.post('/api/auth/token/refresh').send({ refresh: child.refresh }).expect(200);
    await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(401);
    const rows = await t.app.get(DataSource).query('SELECT type FROM audit_events WHERE subject_id = $1 ORDER BY created_at', [user.id]);
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['admin_login', 'refresh_reuse_detected']);
  });
});
