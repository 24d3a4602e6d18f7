import { helmetHeaders } from './app.setup.js';

describe('helmetHeaders', () => {
  it('sends Strict-Transport-Security in production only', () => {
    expect(helmetHeaders(true)['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(helmetHeaders(false)['strict-transport-security']).toBeUndefined();
  });

  it('sends the other security headers everywhere', () => {
    for (const production of [true, false]) {
      expect(helmetHeaders(production)).toMatchObject({
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
      });
    }
  });
});
