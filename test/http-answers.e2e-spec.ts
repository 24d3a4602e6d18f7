import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DRAIN_MAX_BYTES } from '../src/common/http/linger.js';
import { SlowLink } from './support/slow-link.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ORIGIN = 'https://app.example.com';
const REQUEST = '/api/auth/otp/request';
const REQUEST_TIMEOUT_MS = 2000;

/** Answers a client can act on: what went wrong, where, and what to do instead. */
describe('HTTP answers a client can act on', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: ORIGIN, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());
  let port: number;

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

  describe('a body over the limit', () => {
    let link: SlowLink;

    beforeAll(async () => {
      // 8 MB/s with 300 ms of latency: 2 MB take a quarter of a second to cross, as over a real network.
      link = new SlowLink(port, { bytesPerSecond: 8_000_000, latencyMs: 300 });
      await link.start();
    });
    afterAll(() => link.stop());

    it('gets its 413 read by fetch sending 2 MB, not a reset connection', async () => {
      for (const body of [Buffer.alloc(2_000_000, 'x'), 'x'.repeat(2_000_000)]) {
        const res = await fetch(`http://127.0.0.1:${link.port}${REQUEST}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(res.status).toBe(413);
        expect(await res.json()).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
      }
      // The same with a body of unknown length (chunked), refused once 16 KB have arrived.
      const chunks = Array.from({ length: 32 }, () => new Uint8Array(64 * 1024).fill(120));
      const stream = new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.pop()) : c.close()) });
      const res = await fetch(`http://127.0.0.1:${link.port}${REQUEST}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      });
      expect(res.status).toBe(413);
    });

    /** Sends the request head, then `body` bytes as fast as the socket takes them (or forever with Infinity). */
    function send(head: string, body: number, every = 0) {
      return new Promise<{ answer: string; sent: number; ms: number }>((resolve) => {
        const started = Date.now();
        let answer = '';
        let sent = 0;
        const socket = connect({ port, host: '127.0.0.1' }, () => {
          socket.write(head);
          const bytes = 'x'.repeat(64 * 1024);
          const chunk = head.includes('chunked') ? `${bytes.length.toString(16)}\r\n${bytes}\r\n` : bytes;
          const pump = () => {
            while (sent < body && !socket.destroyed) {
              sent += bytes.length;
              if (!socket.write(chunk)) return void socket.once('drain', pump);
              if (every) return void setTimeout(pump, every);
            }
          };
          pump();
        });
        socket.setEncoding('utf8');
        socket.on('data', (data: string) => (answer += data));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve({ answer, sent, ms: Date.now() - started }));
      });
    }

    it('closes at once when the declared body is larger than the drain bound', async () => {
      const { answer, sent, ms } = await send(`POST ${REQUEST} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${DRAIN_MAX_BYTES * 4}\r\n\r\n`, DRAIN_MAX_BYTES * 4);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(sent).toBeLessThan(DRAIN_MAX_BYTES * 4);
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS);
    });

    it('reads off no more than the drain bound of a body of unknown length', async () => {
      const { answer, sent } = await send(`POST ${REQUEST} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, Infinity);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      // What the kernel buffers on both sides holds comes on top of the bound.
      expect(sent).toBeLessThan(DRAIN_MAX_BYTES * 3);
    });

    it('stops waiting for a body that trickles on after REQUEST_TIMEOUT_MS', async () => {
      const { answer, ms } = await send(`POST ${REQUEST} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, Infinity, 50);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      // One answer only: no 408 written after the 413 when the request timeout comes.
      expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
      expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS * 2 + 1000);
    });
  });
});
