import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { KeyRing } from '../src/signing-keys/key-ring.js';
import { SigningKeysService } from '../src/signing-keys/signing-keys.service.js';
import { build } from './support/builders.js';
import { registerUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'resource-server-introspection-secret-0123456789';

/** examples/resource-server, run as its own process: it knows otpgate only by its address. */
async function startExample(otpgateUrl: string, jwksCacheMs: number): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['examples/resource-server/server.mjs'], {
    env: { PATH: process.env.PATH, OTPGATE_URL: otpgateUrl, INTROSPECTION_SECRET: SECRET, JWKS_CACHE_MS: String(jwksCacheMs), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the example exited with ${code}: ${output}`)));
  });
  return { url, process: child };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('verifying otpgate tokens in another service (examples/resource-server)', () => {
  let t: TestApp;
  let longCache: { url: string; process: ChildProcess };
  let shortCache: { url: string; process: ChildProcess };

  beforeAll(async () => {
    const port = await freePort();
    const otpgateUrl = `http://127.0.0.1:${port}`;
    t = await createTestApp({ PUBLIC_URL: otpgateUrl, INTROSPECTION_SECRET: SECRET });
    await t.app.listen(port, '127.0.0.1');
    [longCache, shortCache] = await Promise.all([startExample(otpgateUrl, 60_000), startExample(otpgateUrl, 300)]);
  });
  afterAll(async () => {
    longCache?.process.kill();
    shortCache?.process.kill();
    await t?.close();
  });

  const notes = (service: { url: string }, token?: string) =>
    fetch(`${service.url}/notes`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const pay = (service: { url: string }, token: string) => fetch(`${service.url}/payments`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const signUp = () => registerUser(t, build.email(), build.username());
  const rotate = async () => {
    await t.app.get(SigningKeysService).rotate();
    await t.app.get(KeyRing).reload();
  };

  it('accepts a valid access token and refuses none, garbage, a refresh token and a tampered one', async () => {
    const { user, tokens } = await signUp();
    const ok = await notes(longCache, tokens.access);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ notes: [], user: user.id, roles: ['user'] });
    for (const token of [undefined, 'garbage', tokens.refresh, `${tokens.access.slice(0, -4)}AAAA`]) {
      expect((await notes(longCache, token)).status).toBe(401);
    }
  });

  it('keeps working through rotations: old tokens until they expire, new keys fetched when first seen', async () => {
    const { tokens } = await signUp();
    expect((await notes(longCache, tokens.access)).status).toBe(200);
    // Twice: the second signing key was created by the first rotation, after the example cached the JWKS.
    await rotate();
    await rotate();
    const refreshed = (await t.http.post('/api/auth/token/refresh').send({ refresh: tokens.refresh }).expect(200)).body as { access: string };
    await new Promise((r) => setTimeout(r, 1100)); // jose's refetch cooldown after the last fetch
    expect((await notes(longCache, refreshed.access)).status).toBe(200);
    expect((await notes(longCache, tokens.access)).status).toBe(200);
  });

  it('uses introspection where revocation matters: a logged-out token still passes the local check only', async () => {
    const { tokens } = await signUp();
    expect((await pay(longCache, tokens.access)).status).toBe(200);
    await t.http.post('/api/auth/logout').set('Authorization', `Bearer ${tokens.access}`).send({ refresh: tokens.refresh }).expect(200);
    expect((await pay(longCache, tokens.access)).status).toBe(401);
    expect((await notes(longCache, tokens.access)).status).toBe(200);
  });

  it('refuses the tokens of a revoked key once its JWKS cache refreshes', async () => {
    const { tokens } = await signUp();
    expect((await notes(shortCache, tokens.access)).status).toBe(200);
    const kid = JSON.parse(Buffer.from(tokens.access.split('.')[0], 'base64url').toString()).kid as string;
    await t.app.get(SigningKeysService).revoke(kid);
    await t.app.get(KeyRing).reload();
    await new Promise((r) => setTimeout(r, 1400)); // past the example's 300 ms cache and jose's 1 s cooldown
    expect((await notes(shortCache, tokens.access)).status).toBe(401);
    expect((await pay(shortCache, tokens.access)).status).toBe(401);
    const fresh = await signUp();
    expect((await notes(shortCache, fresh.tokens.access)).status).toBe(200);
  });
});
