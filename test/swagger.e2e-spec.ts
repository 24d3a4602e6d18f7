import { createTestApp, type TestApp } from './support/test-app.js';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
}

describe('Swagger UI and the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApi;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/docs-json').expect(200)).body as OpenApi;
  });
  afterAll(() => t.close());

  it('serves Swagger UI at /docs with persisted authorization', async () => {
    const html = await t.http.get('/docs').redirects(1).expect(200);
    expect(html.text).toContain('swagger-ui');
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"persistAuthorization": true');
  });

  it('is OpenAPI 3 with a bearer security scheme', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('lists every route of flow 1 with its request body, success and error responses', () => {
    const routes: [string, string, string, string[]][] = [
      ['/api/auth/otp/request', 'post', '200', ['400', '429', '503']],
      ['/api/auth/otp/verify', 'post', '200', ['400', '429']],
      ['/api/auth/register', 'post', '201', ['400', '409']],
      ['/api/auth/login', 'post', '200', ['400', '403', '404']],
      ['/api/auth/me', 'get', '200', ['401']],
      ['/health', 'get', '200', ['503']],
      ['/api/auth/token/refresh', 'post', '200', ['400', '401']],
      ['/api/auth/logout', 'post', '200', ['401']],
      ['/api/auth/logout-all', 'post', '200', ['401']],
      ['/api/token/refresh', 'post', '200', ['401']],
      ['/api/users/send-otp', 'post', '200', ['400', '429']],
      ['/api/users/verify-otp', 'post', '200', ['400', '403', '429']],
      ['/api/users/me', 'get', '200', ['401']],
      ['/api/users/me', 'patch', '200', ['400', '401', '409']],
      ['/api/users/profile', 'get', '200', ['401']],
      ['/api/users/profile', 'patch', '200', ['400', '401', '409']],
      ['/api/users/me/identifier', 'post', '200', ['400', '401', '429']],
      ['/api/users/me/identifier/verify', 'post', '200', ['400', '401', '409', '429']],
      ['/api/admin/users', 'get', '200', ['401', '403']],
      ['/api/admin/users/{id}', 'get', '200', ['401', '403', '404']],
      ['/api/admin/users/{id}', 'patch', '200', ['401', '403', '404', '409']],
      ['/api/admin/users/{id}/revoke-sessions', 'post', '200', ['401', '403', '404']],
      ['/api/admin/audit', 'get', '200', ['401', '403']],
    ];
    for (const [path, method, ok, errors] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining([ok, ...errors]));
      if (method === 'patch' || (method === 'post' && !/logout-all|revoke-sessions/.test(path))) expect(op.requestBody).toBeDefined();
      for (const status of errors.filter((s) => s !== '503' || path !== '/health')) {
        expect(op.responses[status].content?.['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
      }
    }
    expect(doc.paths['/api/auth/me'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/auth/otp/request'].post.security).toBeUndefined();
    for (const [path, methods] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/admin/'))) {
      for (const op of Object.values(methods)) {
        expect(op.security).toEqual([{ bearer: [] }]);
        expect((op as { tags?: string[] }).tags).toEqual(['admin']);
      }
      expect(path).toMatch(/^\/api\/admin\//);
    }
  });

  it('describes the bodies with the contract field names', () => {
    const props = (name: string) => Object.keys(doc.components.schemas[name]?.properties ?? {}).sort();
    expect(props('RequestOtpDto')).toEqual(['identifier', 'purpose']);
    expect(props('VerifyOtpDto')).toEqual(['identifier', 'otp', 'purpose']);
    expect(props('RegisterDto')).toEqual(['first_name', 'identifier', 'last_name', 'username', 'verification_token']);
    expect(props('LoginDto')).toEqual(['identifier', 'verification_token']);
    expect(props('OtpRequestedDto')).toEqual(
      ['channel', 'expires_in_seconds', 'identifier', 'message', 'otp', 'purpose', 'resend_in_seconds', 'success'].sort(),
    );
    expect(props('OtpVerifiedDto')).toEqual(['expires_in_seconds', 'purpose', 'success', 'verification_token']);
    expect(props('SessionDto')).toEqual(['success', 'tokens', 'user']);
    expect(props('UserResponseDto')).toEqual(
      ['date_joined', 'email', 'first_name', 'id', 'is_active', 'is_verified', 'last_login', 'last_name', 'phone', 'profile_picture', 'roles', 'unverified_email', 'username'].sort(),
    );
    expect(props('ErrorBody')).toEqual(['code', 'details', 'message', 'request_id', 'success']);
    expect(props('TokenPairDto')).toEqual(['access', 'refresh']);
    expect(props('SendPhoneOtpDto')).toEqual(['phone']);
    expect(props('VerifyPhoneOtpDto')).toEqual(['email', 'first_name', 'last_name', 'otp', 'phone']);
    expect(props('PhoneSignedInDto')).toEqual(['created', 'message', 'success', 'tokens', 'user']);
    expect(props('UpdateProfileDto')).toEqual(['first_name', 'last_name', 'profile_picture', 'username']);
    expect(doc.components.schemas.ErrorBody.required).toEqual(expect.arrayContaining(['success', 'code', 'message', 'request_id']));
    expect(doc.components.schemas.RegisterDto.required?.sort()).toEqual(['identifier', 'username', 'verification_token']);
  });
});
