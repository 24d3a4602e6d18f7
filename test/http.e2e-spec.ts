import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { build } from './support/builders.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REQUEST = '/api/auth/otp/request';

/** Every failure, whatever raised it, answers with the contract's error body. */
describe('HTTP edge: one error body for everything', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: '16384' });
  });
  afterAll(() => t.close());

  function expectErrorBody(body: Record<string, unknown>, code: string) {
    expect(body).toEqual({
      success: false,
      code,
      message: expect.any(String),
      ...(body.details ? { details: expect.any(Object) } : {}),
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(JSON.stringify(body)).not.toMatch(/at .+\.(js|ts):\d+/);
  }

  it('malformed JSON is VALIDATION_FAILED', async () => {
    const res = await t.http.post(REQUEST).set('Content-Type', 'application/json').send('{"identifier": ').expect(400);
    expectErrorBody(res.body, 'VALIDATION_FAILED');
  });

  it.each([
    ['an empty body', undefined],
    ['an array', [1, 2]],
    ['a string', '"text"'],
    ['null fields', { identifier: null, purpose: null }],
    ['a number identifier', { identifier: 8801719159900, purpose: 'LOGIN' }],
    ['a nested object', { identifier: { $ne: '' }, purpose: 'LOGIN' }],
    ['an unknown purpose', { identifier: 'a@example.com', purpose: 'ADMIN' }],
    ['an extra field', { identifier: 'a@example.com', purpose: 'LOGIN', role: 'admin' }],
    ['a prototype key', JSON.parse('{"identifier":"a@example.com","purpose":"LOGIN","__proto__":{"x":1}}')],
  ])('%s is VALIDATION_FAILED with details.fields', async (_, body) => {
    const req = t.http.post(REQUEST).set('Content-Type', 'application/json');
    const res = await (typeof body === 'string' ? req.send(body) : req.send(body as object)).expect(400);
    expectErrorBody(res.body, 'VALIDATION_FAILED');
  });

  it('a huge identifier string is refused without work', async () => {
    const res = await t.http.post(REQUEST).send({ identifier: `${'a'.repeat(5000)}@example.com`, purpose: 'LOGIN' }).expect(400);
    expectErrorBody(res.body, 'VALIDATION_FAILED');
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.http.post(REQUEST).send({ identifier: 'x'.repeat(20_000), purpose: 'LOGIN' }).expect(413);
    expectErrorBody(res.body, 'PAYLOAD_TOO_LARGE');
  });

  it('a non-JSON content type is VALIDATION_FAILED', async () => {
    const res = await t.http.post(REQUEST).set('Content-Type', 'text/plain').send('hello');
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 'VALIDATION_FAILED');
  });

  it('an unknown route is 404 NOT_FOUND', async () => {
    const res = await t.http.get('/api/nope').expect(404);
    expectErrorBody(res.body, 'NOT_FOUND');
  });

  it('a known path with the wrong method is 405 METHOD_NOT_ALLOWED, OPTIONS too while CORS is off', async () => {
    const res = await t.http.get(REQUEST).expect(405);
    expectErrorBody(res.body, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('POST');
    const options = await t.http.options('/api/auth/me').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'GET').expect(405);
    expectErrorBody(options.body, 'METHOD_NOT_ALLOWED');
    expect(options.headers.allow).toBe('GET, HEAD');
  });

  it('serves trailing slashes directly, without a redirect', async () => {
    const res = await t.http.post(`${REQUEST}/`).send({ identifier: build.email(), purpose: 'REGISTER' }).expect(200);
    expect(res.body.success).toBe(true);
    await t.http.get('/health/').expect(200);
  });

  it('every response carries X-Request-Id, equal to request_id on errors', async () => {
    const res = await t.http.get('/api/nope');
    expect(res.headers['x-request-id']).toBe(res.body.request_id);
  });

  it('/health reports both dependencies up', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      postgres: { status: 'up', mode: process.env.DATABASE_URL ? 'external' : 'embedded' },
      redis: { status: 'up', mode: process.env.REDIS_URL ? 'external' : 'embedded' },
    });
  });
});

describe('HTTP edge: hostile inputs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses deeply nested JSON with 400, not a stack overflow', async () => {
    const body = `{"identifier":"a@example.com","purpose":"LOGIN","x":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const res = await t.http.post(REQUEST).set('Content-Type', 'application/json').send(body).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'The request body nests deeper than 32 levels' });
  });

  it('refuses a form post (no code can be triggered from another site without a preflight)', async () => {
    const res = await t.http.post(REQUEST).type('form').send('identifier=a@example.com&purpose=LOGIN');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('must be JSON') });
  });

  it('names a forbidden __proto__ key instead of calling the body invalid JSON', async () => {
    const res = await t.http
      .post(REQUEST)
      .set('Content-Type', 'application/json')
      .send('{"identifier":"a@example.com","purpose":"LOGIN","__proto__":{"admin":true}}')
      .expect(400);
    expect(res.body.message).toMatch(/forbidden key/);
  });

  it('answers a malformed URL with the contract body', async () => {
    const res = await t.http.get('/%').expect(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', request_id: expect.any(String) });
  });

  it('answers oversized headers with 431 HEADERS_TOO_LARGE and the contract body', async () => {
    const res = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${'x'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ success: false, code: 'HEADERS_TOO_LARGE', request_id: expect.any(String) });
  });

  it('redirects /docs/ to /docs, where Swagger UI resolves its assets', async () => {
    const res = await t.http.get('/docs/').expect(302);
    expect(res.headers.location).toBe('/docs');
  });
});

describe('HTTP edge: security headers, CORS and request ids', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com', TRUST_PROXY: '127.0.0.1,::1,::ffff:127.0.0.1' });
  });
  afterAll(() => t.close());

  it('sends security headers, and no Strict-Transport-Security outside production (plain HTTP)', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  // A real route of every method the API uses, preflighted as a browser does before sending it with a token.
  it.each([
    ['GET', '/api/auth/me'],
    ['HEAD', '/health'],
    ['POST', REQUEST],
    ['PATCH', '/api/users/me'],
    ['PATCH', '/api/admin/users/00000000-0000-0000-0000-000000000000'],
    ['DELETE', '/api/auth/google/link'],
  ])('answers the preflight of %s %s for an allowed origin, and none for another', async (method, path) => {
    const preflight = (origin: string) =>
      t.http
        .options(path)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', method)
        .set('Access-Control-Request-Headers', 'authorization,content-type,x-request-id');
    const allowed = await preflight('https://app.example.com').expect(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-methods'].split(/,\s*/)).toContain(method);
    expect(allowed.headers['access-control-allow-headers'].toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-request-id']),
    );
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('keeps the request id of a trusted proxy', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'edge-1234abcd').expect(200);
    expect(res.headers['x-request-id']).toBe('edge-1234abcd');
  });
});

describe('HTTP edge: an untrusted peer', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('cannot choose its request id', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'chosen-by-client').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gets no CORS headers when no origin is configured', async () => {
    const res = await t.http.get('/health').set('Origin', 'https://app.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('HTTP edge: slow clients', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_TIMEOUT_MS: '1000' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Writes `raw` and returns what the server answered and how long until it ended the connection. */
  function talk(raw: string): Promise<{ answer: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let answer = '';
      // A client that never closes its own side: the server must close the connection by itself.
      const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.write(raw));
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => resolve({ answer, ms: Date.now() - started }));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 8000).unref();
    });
  }

  it.each([
    ['a body that stops short', 'POST /api/auth/otp/request HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"iden'],
    ['headers that stop short', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '],
  ])('answers 408 REQUEST_TIMEOUT to %s, within about REQUEST_TIMEOUT_MS, and closes', async (_, raw) => {
    const { answer, ms } = await talk(raw);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { request_id: string };
    expect(body).toMatchObject({ success: false, code: 'REQUEST_TIMEOUT' });
    expect(answer.toLowerCase()).toContain(`x-request-id: ${body.request_id}`);
    // Written straight to the socket, yet with the security headers every other response carries.
    for (const header of ['content-security-policy: ', 'x-frame-options: sameorigin', 'x-content-type-options: nosniff', 'referrer-policy: no-referrer']) {
      expect(answer.toLowerCase()).toContain(header);
    }
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(4000);
    // The client kept its side open; the server must not keep its own (a half-open socket holds an fd).
    await new Promise((r) => setTimeout(r, 200));
    const open = await new Promise<number>((resolve, reject) =>
      t.app.getHttpServer().getConnections((error: Error | null, count: number) => (error ? reject(error) : resolve(count))),
    );
    expect(open).toBe(0);
  });
});

describe('HTTP edge: more requests in flight than MAX_REQUESTS_IN_FLIGHT', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ MAX_REQUESTS_IN_FLIGHT: '2' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** A request whose body never finishes: it stays in flight until its connection closes. */
  function stalled(): Promise<ReturnType<typeof connect>> {
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.write(`POST ${REQUEST} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"iden`);
        // onRequest has run once the server has the headers; give it a moment
        setTimeout(() => resolve(socket), 100);
      });
      socket.on('error', () => undefined);
    });
  }

  it('answers the next request 503 at once with Retry-After, serves /health, and admits again when one ends', async () => {
    const held = [await stalled(), await stalled()];
    const refused = await fetch(`http://127.0.0.1:${port}/api/users/me`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE', details: { reason: 'at_capacity' } });
    for (const path of ['/health', '/health/', '/health?probe=1']) expect((await fetch(`http://127.0.0.1:${port}${path}`)).status).toBe(200);

    held.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`http://127.0.0.1:${port}/api/users/me`)).status).toBe(401);
    held[0].destroy();
  });

  it('counts requests that were answered, so a long run of them never fills the limit', async () => {
    for (let i = 0; i < 20; i++) expect((await t.app.inject({ method: 'GET', url: '/api/users/me' })).statusCode).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/users/me`)).status).toBe(401);
  });
});
