import fc from 'fast-check';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '../src/common/errors/error-code.js';
import { build } from './support/builders.js';
import { registerUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { DataSource } from 'typeorm';

/**
 * Property test over every operation of the served OpenAPI document: bodies, query strings and path
 * parameters built from the operation's own schema with wrong types, huge strings, unicode, NULs, nulls,
 * nested objects and arrays, sent with no token, a user's, an admin's or a forged one. Whatever arrives,
 * the answer is never a 5xx, and every error is the contract's body with the status its code belongs to.
 * A failure prints the seed and the shrunk request; FUZZ_SEED and FUZZ_RUNS replay or deepen a run.
 */
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: 'query' | 'path' | 'header'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'a@b.com\ud800', '\udc00x', '\u202e\u200b', '𝕏'.repeat(300), '../../etc/passwd', "' OR 1=1 --", '%00', '{{7*7}}', '__proto__'),
  fc.string({ minLength: 255, maxLength: 300 }),
  fc.constant('x'.repeat(20_000)),
);
const plausible = fc.constantFrom(
  'a@example.com',
  '+8801719159900',
  '01719159900',
  '123456',
  'REGISTER',
  'LOGIN',
  'admin',
  'user',
  'alice_01',
  '0f8fad5b-d9cb-469f-a165-70867728950e',
  'https://example.com/p.png',
  '2026-01-01T00:00:00Z',
);
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 3, arbitrary: plausible },
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 4 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
  fc.constant(nested(40)),
);

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

/** Percent-encoded; a lone surrogate (which encodeURIComponent refuses) becomes invalid UTF-8 bytes. */
function percentEncode(value: string): string {
  try {
    return encodeURIComponent(value) || '%20';
  } catch {
    return '%ED%A0%80';
  }
}

function resolve(doc: OpenApi, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length) return resolve(doc, schema.allOf[0]);
  return schema;
}

/** A value for one schema property: mostly hostile, sometimes one of its own enum values. */
function valueFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  return schema?.enum?.length ? fc.oneof(junk, fc.constantFrom(...schema.enum)) : junk;
}

function bodyFor(doc: OpenApi, operation: Operation): fc.Arbitrary<unknown> {
  const schema = resolve(doc, operation.requestBody?.content['application/json']?.schema);
  const properties = schema?.properties ?? {};
  const shaped = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueFor(property)])),
    { requiredKeys: [] },
  );
  const withExtra = fc.tuple(shaped, fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 3 })).map(([a, b]) => ({ ...b, ...a }));
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 2, arbitrary: withExtra }, junk);
}

interface FuzzRequest {
  path: string;
  query: Record<string, string>;
  body: unknown;
  encoding: 'json' | 'broken-json' | 'text' | 'form' | 'none';
  auth: 'none' | 'user' | 'admin' | 'forged';
}

function requestFor(doc: OpenApi, template: string, method: string, operation: Operation): fc.Arbitrary<FuzzRequest> {
  const params = operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const text = fc.oneof(hostileString, plausible, fc.integer().map(String));
  return fc.record({
    path: fc
      .tuple(...pathParams.map(() => text))
      .map((values) => pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, percentEncode(values[i])), template)),
    query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, p.schema?.enum?.length ? fc.oneof(text, fc.constantFrom(...p.schema.enum.map(String))) : text])), {
      requiredKeys: [],
    }) as fc.Arbitrary<Record<string, string>>,
    body: method === 'get' ? fc.constant(undefined) : bodyFor(doc, operation),
    encoding: method === 'get' ? fc.constant('none' as const) : fc.constantFrom('json', 'json', 'json', 'broken-json', 'text', 'form'),
    auth: fc.constantFrom('none', 'user', 'admin', 'forged'),
  });
}

describe('fuzzing every route of the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApi;
  const auth: Record<FuzzRequest['auth'], string | undefined> = { none: undefined, user: '', admin: '', forged: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' };

  beforeAll(async () => {
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' });
    doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json<OpenApi>();
    const user = await registerUser(t, build.email(), build.username());
    const admin = await registerUser(t, build.email(), build.username());
    await t.app.get(DataSource).query(`UPDATE users SET roles = '{user,admin}' WHERE id = $1`, [admin.user.id]);
    auth.user = `Bearer ${user.tokens.access}`;
    auth.admin = `Bearer ${admin.tokens.access}`;
  });
  afterAll(() => t.close());

  it('finds the routes to fuzz', () => {
    expect(Object.keys(doc.paths).length).toBeGreaterThan(15);
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [path, method, op] as const));

  it('never answers 5xx, and every error is the contract body with its status', async () => {
    for (const [template, method, operation] of operations()) {
      await fc.assert(
        fc.asyncProperty(requestFor(doc, template, method, operation), async (req) => {
          const headers: Record<string, string> = {};
          const token = auth[req.auth];
          if (token) headers.authorization = token;
          let payload: string | undefined;
          const asText = typeof req.body === 'string' ? req.body : (JSON.stringify(req.body) ?? '');
          if (req.encoding === 'json') [headers['content-type'], payload] = ['application/json', JSON.stringify(req.body ?? null)];
          if (req.encoding === 'broken-json') [headers['content-type'], payload] = ['application/json', `${JSON.stringify(req.body ?? null)}}{`];
          if (req.encoding === 'text') [headers['content-type'], payload] = ['text/plain', asText];
          if (req.encoding === 'form') [headers['content-type'], payload] = ['application/x-www-form-urlencoded', `a=${percentEncode(asText)}`];
          const query = Object.entries(req.query).map(([k, v]) => `${k}=${percentEncode(v)}`).join('&');
          const url = query ? `${req.path}?${query}` : req.path;
          const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, headers, payload });
          const where = `${method.toUpperCase()} ${template} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          if (res.statusCode >= 500) throw new Error(where);
          if (res.statusCode < 400) return;
          const body = res.json<{ success?: unknown; code?: ErrorCode; message?: unknown; request_id?: unknown }>();
          if (body.success !== false || !ERROR_CODES.includes(body.code!) || typeof body.message !== 'string' || typeof body.request_id !== 'string') {
            throw new Error(`not the contract's error body: ${where}`);
          }
          if (ERROR_STATUS[body.code!] !== res.statusCode && !(res.statusCode === 415 && body.code === 'VALIDATION_FAILED')) {
            throw new Error(`${body.code} belongs to ${ERROR_STATUS[body.code!]}: ${where}`);
          }
          if (res.headers['x-request-id'] !== body.request_id) throw new Error(`X-Request-Id differs from request_id: ${where}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
  });
});
