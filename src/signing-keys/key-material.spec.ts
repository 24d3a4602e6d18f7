import * as jose from 'jose';
import { sign, verify } from 'node:crypto';
import { generateSigningKey, hs256Kid, KeySealer, publicKeyOf } from './key-material.js';

describe('key material', () => {
  it.each(['ES256', 'EdDSA', 'RS256'] as const)('%s: a public JWK with no private member, kid = its RFC 7638 thumbprint', async (algorithm) => {
    const key = await generateSigningKey(algorithm);
    expect(key.publicJwk).toMatchObject({ kid: key.kid, alg: algorithm, use: 'sig' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key.publicJwk).not.toHaveProperty(member);
    expect(key.kid).toBe(await jose.calculateJwkThumbprint(key.publicJwk, 'sha256'));
    const data = Buffer.from('data');
    const digest = algorithm === 'EdDSA' ? null : 'sha256';
    expect(verify(digest, data, publicKeyOf(key.publicJwk), sign(digest, data, key.privateKey))).toBe(true);
  });

  it('seals a private key that opens only with the same secret and kid', async () => {
    const key = await generateSigningKey('ES256');
    const sealer = new KeySealer('k7Qv9pXw2mLr5tYz8nBc3dFg6hJs1aZe');
    const sealed = sealer.seal(key.kid, key.privateKey);
    const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(sealed).not.toContain(der.toString('base64url').slice(0, 40));
    expect(sealer.open(key.kid, sealed).export({ format: 'der', type: 'pkcs8' })).toEqual(der);
    expect(sealer.seal(key.kid, key.privateKey)).not.toBe(sealed);
    expect(() => new KeySealer('another-secret-of-enough-length-0123').open(key.kid, sealed)).toThrow();
    expect(() => sealer.open('another-kid', sealed)).toThrow();
    const [version, iv, data, tag] = sealed.split('.');
    const flipped = data[5] === 'A' ? 'B' : 'A';
    const tampered = `${version}.${iv}.${data.slice(0, 5)}${flipped}${data.slice(6)}.${tag}`;
    expect(() => sealer.open(key.kid, tampered)).toThrow();
  });

  it('names an HS256 secret by a hash that does not give it away', () => {
    const kid = hs256Kid('a-secret-value-0123456789abcdefghijk');
    expect(kid).toMatch(/^hs256-[A-Za-z0-9_-]{16}$/);
    expect(kid).toBe(hs256Kid('a-secret-value-0123456789abcdefghijk'));
    expect(kid).not.toBe(hs256Kid('a-secret-value-0123456789abcdefghijK'));
  });
});
