import { OAuth2Server } from 'oauth2-mock-server';
import { build } from './support/builders.js';
import { registerUser, seedUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const FRONTEND = 'http://front.test/auth/done';
const OTHER_FRONTEND = 'http://admin.front.test/done';

interface GoogleUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  picture?: string;
}

/** A real OAuth2/OIDC server on a local port stands in for Google. */
async function startGoogle(): Promise<OAuth2Server> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  return server;
}

function googleEnv(server: OAuth2Server, frontends: string[] = [FRONTEND, OTHER_FRONTEND]): Record<string, string> {
  const issuer = server.issuer.url!;
  return {
    GOOGLE_CLIENT_ID: 'client-123',
    GOOGLE_CLIENT_SECRET: 'secret-456',
    GOOGLE_CALLBACK_URL: 'http://127.0.0.1:3000/api/auth/google/callback',
    GOOGLE_AUTHORIZATION_URL: `${issuer}/authorize`,
    GOOGLE_TOKEN_URL: `${issuer}/token`,
    GOOGLE_USERINFO_URL: `${issuer}/userinfo`,
    GOOGLE_FRONTEND_URLS: frontends.join(','),
  };
}

/** Browser steps: our start URL -> Google's authorize -> back to our callback. Returns the callback path. */
async function throughGoogle(t: TestApp, server: OAuth2Server, person: GoogleUser, start = '/api/auth/google'): Promise<string> {
  const started = await t.http.get(start).expect(302);
  const authorize = new URL(started.headers.location);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  server.service.once('beforeUserinfo', (response: { body: unknown }) => {
    response.body = person;
  });
  const atGoogle = await fetch(authorize, { redirect: 'manual' });
  const back = new URL(atGoogle.headers.get('location')!);
  return `${back.pathname}${back.search}`;
}

async function signInWithGoogle(t: TestApp, server: OAuth2Server, person: GoogleUser) {
  const callback = await t.http.get(await throughGoogle(t, server, person)).expect(302);
  const landing = new URL(callback.headers.location);
  expect(`${landing.origin}${landing.pathname}`).toBe(FRONTEND);
  const code = landing.searchParams.get('code');
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const res = await t.http.post('/api/auth/google/exchange').send({ code }).expect(200);
  return { body: res.body as { created: boolean; user: { id: string; email: string | null }; tokens: { access: string } }, code: code! };
}

describe('Sign in with Google', () => {
  let google: OAuth2Server;
  let t: TestApp;

  beforeAll(async () => {
    google = await startGoogle();
    t = await createTestApp(googleEnv(google));
  });
  afterAll(async () => {
    await t.close();
    await google.stop();
  });

  it('creates a new user, ends on the front-end with a one-time code, and never puts a token in a URL', async () => {
    const sub = `g-${build.username()}`;
    const email = build.email('g');
    const { body } = await signInWithGoogle(t, google, { sub, email, email_verified: true, given_name: 'Grace', family_name: 'Hopper', picture: 'https://lh3.example.com/p.png' });
    expect(body).toMatchObject({
      success: true,
      created: true,
      user: { email, username: null, first_name: 'Grace', last_name: 'Hopper', is_verified: true, profile_picture: 'https://lh3.example.com/p.png' },
    });
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.tokens.access}`).expect(200);
  });

  it('signs a returning user into the same account', async () => {
    const person = { sub: `g-${build.username()}`, email: build.email(), email_verified: true };
    const first = await signInWithGoogle(t, google, person);
    const again = await signInWithGoogle(t, google, person);
    expect(again.body).toMatchObject({ created: false, user: { id: first.body.user.id } });
  });

  it('links an existing account by an email Google says is verified', async () => {
    const email = build.email();
    const existing = await seedUser(t, email);
    const { body } = await signInWithGoogle(t, google, { sub: `g-${build.username()}`, email, email_verified: true });
    expect(body).toMatchObject({ created: false, user: { id: existing.id } });
  });

  it('refuses to link an existing account by an email Google has not verified', async () => {
    const email = build.email();
    await seedUser(t, email);
    const callback = await t.http.get(await throughGoogle(t, google, { sub: `g-${build.username()}`, email, email_verified: false })).expect(302);
    expect(new URL(callback.headers.location).searchParams.get('error')).toBe('ACCOUNT_LINK_CONFLICT');
  });

  it('refuses a bad and a replayed state', async () => {
    const bad = await t.http.get('/api/auth/google/callback?code=abc&state=not-a-state').expect(302);
    expect(new URL(bad.headers.location).searchParams.get('error')).toBe('OAUTH_STATE_INVALID');
    const path = await throughGoogle(t, google, { sub: `g-${build.username()}`, email: build.email(), email_verified: true });
    await t.http.get(path).expect(302);
    const replay = await t.http.get(path).expect(302);
    expect(new URL(replay.headers.location).searchParams.get('error')).toBe('OAUTH_STATE_INVALID');
  });

  it('ends a declined consent on the front-end it started from', async () => {
    const started = await t.http.get(`/api/auth/google?redirect_to=${encodeURIComponent(OTHER_FRONTEND)}`).expect(302);
    const state = new URL(started.headers.location).searchParams.get('state')!;
    const denied = await t.http.get(`/api/auth/google/callback?error=access_denied&state=${state}`).expect(302);
    const landing = new URL(denied.headers.location);
    expect(`${landing.origin}${landing.pathname}`).toBe(OTHER_FRONTEND);
    expect(landing.searchParams.get('error')).toBe('OAUTH_DENIED');
  });

  it('refuses a redirect_to outside the allow-list', async () => {
    const res = await t.http.get('/api/auth/google?redirect_to=https://evil.example/steal').expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('accepts a one-time exchange code once', async () => {
    const { code } = await signInWithGoogle(t, google, { sub: `g-${build.username()}`, email: build.email(), email_verified: true });
    const again = await t.http.post('/api/auth/google/exchange').send({ code }).expect(400);
    expect(again.body.code).toBe('EXCHANGE_CODE_INVALID');
  });

  it('links and unlinks Google for a signed-in user; unlink only while another way to sign in remains', async () => {
    const { user, tokens } = await registerUser(t, build.email(), build.username());
    const auth = `Bearer ${tokens.access}`;
    const started = await t.http.post('/api/auth/google/link').set('Authorization', auth).expect(200);
    const sub = `g-${build.username()}`;
    const authorize = new URL(started.body.authorization_url);
    google.service.once('beforeUserinfo', (response: { body: unknown }) => {
      response.body = { sub, email: build.email(), email_verified: true };
    });
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    const linked = await t.http.get(`${back.pathname}${back.search}`).expect(302);
    expect(new URL(linked.headers.location).searchParams.get('google')).toBe('linked');
    // Google now signs into this very account
    const person = { sub, email: build.email(), email_verified: true };
    expect((await signInWithGoogle(t, google, person)).body.user.id).toBe(user.id);
    await t.http.delete('/api/auth/google/link').set('Authorization', auth).expect(200);

    // a Google-only account cannot unlink its only way in
    const googleOnly = await signInWithGoogle(t, google, { sub: `g-${build.username()}`, email_verified: false });
    const refused = await t.http.delete('/api/auth/google/link').set('Authorization', `Bearer ${googleOnly.body.tokens.access}`).expect(409);
    expect(refused.body.code).toBe('LAST_SIGN_IN_METHOD');
  });
});

describe('Sign in with Google without a front-end URL', () => {
  let google: OAuth2Server;
  let t: TestApp;

  beforeAll(async () => {
    google = await startGoogle();
    t = await createTestApp(googleEnv(google, []));
  });
  afterAll(async () => {
    await t.close();
    await google.stop();
  });

  it('answers the sign-in JSON from the callback, and errors with the contract body', async () => {
    const res = await t.http.get(await throughGoogle(t, google, { sub: `g-${build.username()}`, email: build.email(), email_verified: true })).expect(200);
    expect(res.body).toMatchObject({ success: true, created: true, tokens: { access: expect.any(String), refresh: expect.any(String) } });
    const bad = await t.http.get('/api/auth/google/callback?code=x&state=y').expect(400);
    expect(bad.body).toMatchObject({ success: false, code: 'OAUTH_STATE_INVALID', request_id: expect.any(String) });
  });
});

describe('Sign in with Google, not configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([['get', '/api/auth/google'], ['get', '/api/auth/google/callback'], ['post', '/api/auth/google/exchange']])(
    '%s %s answers 404 with a clear message',
    async (method, path) => {
      const req = method === 'get' ? t.http.get(path) : t.http.post(path).send({ code: 'x' });
      const res = await req.expect(404);
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('Sign in with Google is not configured') });
    },
  );
});
