import { createTestApp, type TestApp } from './support/test-app.js';

const ORIGIN = 'https://app.example.com';

/** Answers a client can act on: what went wrong, where, and what to do instead. */
describe('HTTP answers a client can act on', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: ORIGIN });
  });
  afterAll(() => t.close());

  describe('a known path with the wrong method', () => {
    it.each([
      ['PUT', '/api/auth/me', 'GET, HEAD'],
      ['DELETE', '/api/auth/me/', 'GET, HEAD'],
      ['GET', '/api/auth/otp/request', 'POST'],
      ['GET', '/api/auth/otp/request/', 'POST'],
      ['HEAD', '/api/users/send-otp/', 'POST'],
      ['PUT', '/api/users/profile/', 'GET, HEAD, PATCH'],
      ['DELETE', '/api/admin/users/7d1f8a6e-2f43-4c1b-9a0e-5b8c2d3e4f50', 'GET, HEAD, PATCH'],
      ['GET', '/api/auth/google/link', 'POST, DELETE'],
      ['POST', '/health?probe=1', 'GET, HEAD'],
      ['PATCH', '/.well-known/jwks.json', 'GET, HEAD'],
    ])('%s %s is 405 METHOD_NOT_ALLOWED with Allow: %s', async (method, url, allow) => {
      const res = await t.app.inject({ method: method as 'GET', url, headers: { origin: ORIGIN } });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      if (method === 'HEAD') return;
      expect(res.json()).toEqual({
        success: false,
        code: 'METHOD_NOT_ALLOWED',
        message: `${method} is not allowed on ${url.split('?')[0]}; it accepts ${allow}`,
        details: { allowed_methods: allow.split(', ') },
        request_id: res.headers['x-request-id'],
      });
    });

    it('is answered before the body is read: a wrong method with a body over the limit is still 405', async () => {
      const res = await t.app.inject({ method: 'PUT', url: '/api/auth/otp/request', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(100_000) });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('POST');
    });

    it('leaves unknown paths 404 NOT_FOUND, whatever the method', async () => {
      for (const method of ['GET', 'POST', 'DELETE'] as const) {
        const res = await t.app.inject({ method, url: '/api/auth/nope' });
        expect(res.statusCode).toBe(404);
        expect(res.headers.allow).toBeUndefined();
        expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
      }
    });

    it('keeps answering CORS preflights', async () => {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/auth/otp/request',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
      });
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      // The actual request after the preflight is served too.
      const followUp = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { origin: ORIGIN } });
      expect(followUp.statusCode).toBe(401);
      expect(followUp.headers['access-control-allow-origin']).toBe(ORIGIN);
    });
  });

  describe('a body that is not JSON', () => {
    const post = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/otp/request', headers: { 'content-type': 'application/json' }, payload });

    it.each([
      ['{"identifier": "a@example.com", "purpose": ', 'expected a value at line 1, column 44 (the end of the body)', { position: 43, line: 1, column: 44 }],
      ['{\n  "identifier": "a@example.com",\n  "purpose": LOGIN\n}', 'expected a value, found "LOGIN" at line 3, column 14', { position: 48, line: 3, column: 14 }],
      ['{"identifier": "a@example.com", "purpose": "LOGIN",}', "expected a property name after ',' (JSON allows no trailing comma) at line 1, column 52", { position: 51, line: 1, column: 52 }],
    ])('%j says what is wrong and where', async (payload, problem, where) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        success: false,
        code: 'VALIDATION_FAILED',
        message: `The request body is not valid JSON: ${problem}`,
        details: where,
        request_id: res.headers['x-request-id'],
      });
    });

    it('tells a forbidden key and an empty body apart from bad syntax', async () => {
      expect((await post('{"identifier": "a@example.com", "__proto__": {"admin": true}}')).json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'The request body holds a forbidden key (__proto__ or constructor.prototype)',
      });
      expect((await post('')).json()).toMatchObject({ code: 'VALIDATION_FAILED', message: 'The request body is empty but Content-Type is application/json' });
    });
  });
});
