import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuthConfig } from './auth.config.js';

const random = (seed: string) => createHash('sha256').update(seed).digest('base64url');

describe('token signing configuration', () => {
  const dev = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });

  it('signs with ES256 by default, issued by the public URL, JWKS cached for a minute', () => {
    expect(readAuthConfig(dev())).toMatchObject({
      jwtAlgorithm: 'ES256',
      issuer: 'http://localhost:3000',
      audience: undefined,
      jwksMaxAgeSeconds: 60,
      keysPollSeconds: 2,
      verifiedTokenCacheSize: 10_000,
      introspectionSecrets: [],
    });
    expect(readAuthConfig({ ...dev(), PORT: '8080' }).issuer).toBe('http://localhost:8080');
    expect(readAuthConfig({ ...dev(), PUBLIC_URL: 'https://auth.example.com/' }).issuer).toBe('https://auth.example.com');
    expect(readAuthConfig({ ...dev(), JWT_ISSUER: 'urn:example:otpgate', JWT_AUDIENCE: 'https://api.example.com' })).toMatchObject({
      issuer: 'urn:example:otpgate',
      audience: 'https://api.example.com',
    });
  });

  it('takes several introspection secrets, each of 32 characters or more', () => {
    expect(readAuthConfig({ ...dev(), INTROSPECTION_SECRET: `${random('a')}, ${random('b')}` }).introspectionSecrets).toEqual([random('a'), random('b')]);
    expect(() => readAuthConfig({ ...dev(), INTROSPECTION_SECRET: 'short' })).toThrow(/INTROSPECTION_SECRET: each secret must be at least 32/);
  });

  it('refuses an unknown algorithm', () => {
    expect(() => readAuthConfig({ ...dev(), JWT_ALGORITHM: 'none' })).toThrow(/JWT_ALGORITHM must be one of ES256, EdDSA, RS256, HS256/);
  });

  describe('in production', () => {
    const prod = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', JWT_KEYS_SECRET: random('k') };

    it('needs the key-sealing secret and the public URL under an asymmetric algorithm, and JWT_SECRET only to verify older tokens', () => {
      expect(readAuthConfig(prod)).toMatchObject({ jwtAlgorithm: 'ES256', jwtSecret: undefined, keysSecret: random('k'), issuer: 'https://auth.example.com' });
      expect(readAuthConfig({ ...prod, JWT_SECRET: random('j') }).jwtSecret).toBe(random('j'));
      expect(() => readAuthConfig({ ...prod, JWT_KEYS_SECRET: '' })).toThrow(/JWT_KEYS_SECRET is required in production/);
      expect(() => readAuthConfig({ ...prod, PUBLIC_URL: '' })).toThrow(/PUBLIC_URL is required in production/);
      expect(() => readAuthConfig({ ...prod, JWT_KEYS_SECRET: 'change-me-change-me-change-me-change' })).toThrow(/JWT_KEYS_SECRET must be at least 32 random bytes/);
    });

    it('needs JWT_SECRET, and not the key-sealing secret, under HS256', () => {
      const hs = { NODE_ENV: 'production', PUBLIC_URL: 'https://auth.example.com', JWT_ALGORITHM: 'HS256' };
      expect(readAuthConfig({ ...hs, JWT_SECRET: random('j') })).toMatchObject({ jwtSecret: random('j'), keysSecret: undefined });
      expect(() => readAuthConfig(hs)).toThrow(/JWT_SECRET is required in production/);
    });

    it('refuses one secret for two jobs', () => {
      expect(() => readAuthConfig({ ...prod, JWT_SECRET: random('k') })).toThrow(/must differ from/);
    });
  });
});
