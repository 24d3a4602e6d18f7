import { createHmac, randomUUID } from 'node:crypto';
import * as jose from 'jose';
import { encodeSegment, signJws } from './jws.js';
import { authConfigService, FakeKeyRing, TEST_ISSUER, TEST_SECRET } from './testing/fake-key-ring.js';
import type { TokenClaims } from './token-claims.js';
import { TokenSigner, type UnsignedClaims } from './token-signer.js';
import { TokenVerifier } from './token-verifier.js';

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: Partial<UnsignedClaims> = {}): UnsignedClaims {
  const iat = overrides.iat ?? now();
  return { sub: randomUUID(), iat, exp: iat + 600, jti: randomUUID(), fam: randomUUID(), iatms: iat * 1000, ...overrides };
}

/** A token made by hand: any header, any payload, signed with any HMAC key. */
function forge(header: object, payload: object, hmacKey: string | Buffer): string {
  const input = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  return `${input}.${createHmac('sha256', hmacKey).update(input).digest('base64url')}`;
}

describe('TokenVerifier', () => {
  let ring: FakeKeyRing;
  let signer: TokenSigner;
  let verifier: TokenVerifier;
  let es256: ReturnType<FakeKeyRing['addAsymmetric']>;

  beforeEach(() => {
    ring = new FakeKeyRing();
    es256 = ring.addAsymmetric('es-1', 'ES256', { signing: true });
    signer = new TokenSigner(ring.asKeyRing(), authConfigService());
    verifier = new TokenVerifier(ring.asKeyRing(), authConfigService());
  });

  it.each(['ES256', 'EdDSA', 'RS256'] as const)('signs %s tokens that jose verifies, and verifies them itself', async (algorithm) => {
    const pair = ring.addAsymmetric(`k-${algorithm}`, algorithm, { signing: true });
    const token = await signer.sign('access', { ...claims(), roles: ['user'] });
    const { payload, protectedHeader } = await jose.jwtVerify(token, pair.publicKey, { issuer: TEST_ISSUER, algorithms: [algorithm], typ: 'at+jwt' });
    expect(protectedHeader).toEqual({ alg: algorithm, kid: `k-${algorithm}`, typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: TEST_ISSUER, typ: 'access', roles: ['user'] });
    expect(await verifier.verify(token, 'access')).toMatchObject({ sub: payload.sub, jti: payload.jti });
  });

  it('refuses a token whose signature or payload was changed by one character', async () => {
    const token = await signer.sign('access', claims());
    const [header, payload, signature] = token.split('.');
    const flip = (s: string) => s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(await verifier.verify(`${header}.${payload}.${flip(signature)}`, 'access')).toBeUndefined();
    expect(await verifier.verify(`${header}.${flip(payload)}.${signature}`, 'access')).toBeUndefined();
  });

  describe('refuses forged and foreign tokens', () => {
    const base = () => ({ iss: TEST_ISSUER, ...claims(), typ: 'access' });

    it('an HS256 token keyed with the public key (PEM or JWK text): algorithm confusion', async () => {
      const pem = es256.publicKey.export({ format: 'pem', type: 'spki' }).toString();
      const jwk = JSON.stringify(es256.publicKey.export({ format: 'jwk' }));
      for (const key of [pem, jwk, Buffer.from(pem)]) {
        expect(await verifier.verify(forge({ alg: 'HS256', kid: 'es-1', typ: 'at+jwt' }, base(), key), 'access')).toBeUndefined();
      }
    });

    it('alg none, with or without a signature', async () => {
      const unsigned = `${encodeSegment({ alg: 'none', kid: 'es-1', typ: 'at+jwt' })}.${encodeSegment(base())}`;
      expect(await verifier.verify(`${unsigned}.`, 'access')).toBeUndefined();
      expect(await verifier.verify(`${unsigned}.c2ln`, 'access')).toBeUndefined();
    });

    it.each([
      ['unknown', 'no-such-key'],
      ['path traversal', '../../etc/passwd'],
      ['SQL', "' OR 1=1 --"],
      ['10 KB', 'k'.repeat(10_240)],
      ['a number', 7],
      ['an object', { $ne: null }],
    ])('a kid that is %s', async (_, kid) => {
      const header = encodeSegment({ alg: 'ES256', kid, typ: 'at+jwt' });
      const real = (await signer.sign('access', claims())).split('.');
      expect(await verifier.verify(`${header}.${real[1]}.${real[2]}`, 'access')).toBeUndefined();
    });

    it('a token of another issuer or audience', async () => {
      const foreign = new TokenSigner(ring.asKeyRing(), authConfigService({ issuer: 'https://evil.test' }));
      expect(await verifier.verify(await foreign.sign('access', claims()), 'access')).toBeUndefined();
      const forApi = new TokenSigner(ring.asKeyRing(), authConfigService({ audience: 'https://other-api.test' }));
      const strict = new TokenVerifier(ring.asKeyRing(), authConfigService({ audience: 'https://api.test' }));
      expect(await strict.verify(await forApi.sign('access', claims()), 'access')).toBeUndefined();
      expect(await strict.verify(await signer.sign('access', claims()), 'access')).toBeUndefined();
      const mine = new TokenSigner(ring.asKeyRing(), authConfigService({ audience: 'https://api.test' }));
      expect(await strict.verify(await mine.sign('access', claims()), 'access')).toBeDefined();
    });

    it('living longer than this service makes that kind live (a backdated forgery)', async () => {
      const long = (kind: 'access' | 'refresh', seconds: number, fam?: string) =>
        signer.sign(kind, claims({ iat: now() - 60, exp: now() - 60 + seconds, ...(fam ? { fam } : {}) }));
      expect(await verifier.verify(await long('access', 3600), 'access')).toBeDefined();
      expect(await verifier.verify(await long('access', 3601), 'access')).toBeUndefined();
      expect(await verifier.verify(await long('access', 7 * 86_400, 'operator'), 'access')).toBeDefined();
      expect(await verifier.verify(await long('access', 7 * 86_400 + 1, 'operator'), 'access')).toBeUndefined();
      expect(await verifier.verify(await long('refresh', 14 * 86_400), 'refresh')).toBeDefined();
      expect(await verifier.verify(await long('refresh', 14 * 86_400 + 1), 'refresh')).toBeUndefined();
    });

    it('issued in the future, with an iatms that disagrees with iat, or for a subject that is not a user id', async () => {
      expect(await verifier.verify(await signer.sign('access', claims({ iat: now() + 120 })), 'access')).toBeUndefined();
      // A far-future iatms would outlive every logout-all cut-off.
      expect(await verifier.verify(await signer.sign('access', claims({ iatms: 9e15 })), 'access')).toBeUndefined();
      for (const sub of ['not-a-uuid', '\u0000', 'x'.repeat(5000)]) {
        expect(await verifier.verify(await signer.sign('access', claims({ sub })), 'access')).toBeUndefined();
      }
    });

    it('expired, and not yet valid', async () => {
      expect(await verifier.verify(await signer.sign('access', claims({ iat: now() - 700, exp: now() - 1 })), 'access')).toBeUndefined();
      const early = await signer.sign('access', { ...claims(), nbf: now() + 60 } as UnsignedClaims);
      expect(await verifier.verify(early, 'access')).toBeUndefined();
    });

    it('a refresh token used as an access token, and the reverse', async () => {
      expect(await verifier.verify(await signer.sign('refresh', claims()), 'access')).toBeUndefined();
      expect(await verifier.verify(await signer.sign('access', claims()), 'refresh')).toBeUndefined();
      // A header type that contradicts the claimed kind, even with a valid signature.
      const key = ring.signingKey();
      const input = `${encodeSegment({ alg: 'ES256', kid: 'es-1', typ: 'refresh+jwt' })}.${encodeSegment(base())}`;
      expect(await verifier.verify(`${input}.${await signJws('ES256', key.key, input)}`, 'access')).toBeUndefined();
    });

    it('a header with crit, jwk or jku (never set here)', async () => {
      const key = ring.signingKey();
      for (const extra of [{ crit: ['exp'] }, { jwk: es256.publicKey.export({ format: 'jwk' }) }, { jku: 'https://evil.test/jwks' }]) {
        const input = `${encodeSegment({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt', ...extra })}.${encodeSegment(base())}`;
        expect(await verifier.verify(`${input}.${await signJws('ES256', key.key, input)}`, 'access')).toBeUndefined();
      }
    });

    it('garbage', async () => {
      for (const token of ['', '.', '..', 'a.b.c', 'a.b.c.d', `${'x'.repeat(5000)}..`, 'eyJ9.eyJ9.', 'ey.ey.ey']) {
        expect(await verifier.verify(token, 'access')).toBeUndefined();
      }
    });
  });

  describe('HS256 tokens from before kids (the legacy format)', () => {
    const legacy = (iat: number) => forge({ alg: 'HS256', typ: 'JWT' }, { typ: 'access', fam: randomUUID(), iat, iatms: iat * 1000, exp: iat + 600, sub: randomUUID(), jti: randomUUID() }, TEST_SECRET);

    it('verify while JWT_SECRET signed them: issued before the switch, until they expire', async () => {
      ring.addHs256(TEST_SECRET, { signedUntilMs: Date.now() });
      expect(await verifier.verify(legacy(now() - 5), 'access')).toMatchObject({ typ: 'access' });
      expect(await verifier.verify(legacy(now() + 2), 'access')).toBeUndefined();
    });

    it('do not verify once the secret is gone or revoked', async () => {
      expect(await verifier.verify(legacy(now() - 5), 'access')).toBeUndefined();
    });
  });

  it('remembers verified access tokens until they expire, and forgets them all when a key is revoked', async () => {
    const token = await signer.sign('access', claims({ iat: now(), exp: now() + 2 }));
    expect(await verifier.verify(token, 'access')).toBeDefined();
    expect(await verifier.verify(token, 'access', Date.now() + 3000)).toBeUndefined();
    const other = await signer.sign('access', claims());
    expect(await verifier.verify(other, 'access')).toBeDefined();
    ring.revoke('es-1');
    expect(await verifier.verify(other, 'access')).toBeUndefined();
  });

  it('does not remember a token whose check was under way when its key was revoked', async () => {
    const token = await signer.sign('access', claims());
    const pending = verifier.verify(token, 'access');
    ring.revoke('es-1');
    expect(await pending).toBeUndefined();
    expect(verifier.cached(token, 'access')).toBeUndefined();
  });

  it('keeps at most JWT_VERIFIED_CACHE_SIZE tokens', async () => {
    const small = new TokenVerifier(ring.asKeyRing(), authConfigService({ verifiedTokenCacheSize: 2 }));
    const tokens = [await signer.sign('access', claims()), await signer.sign('access', claims()), await signer.sign('access', claims())];
    for (const token of tokens) await small.verify(token, 'access');
    const cache = (small as unknown as { verified: Map<string, TokenClaims> }).verified;
    expect([...cache.keys()]).toEqual(tokens.slice(1));
  });

  it('signs the same header and payload for the same claims (the grace window re-signs a pair)', async () => {
    const same = claims();
    const [a, b] = [await signer.sign('refresh', same), await signer.sign('refresh', same)];
    expect(a.slice(0, a.lastIndexOf('.'))).toBe(b.slice(0, b.lastIndexOf('.')));
    expect(await verifier.verify(a, 'refresh')).toBeDefined();
    expect(await verifier.verify(b, 'refresh')).toBeDefined();
  });

  it('HS256 under its own kid: verifies with JWT_SECRET, and only with it', async () => {
    const kid = ring.addHs256(TEST_SECRET, { signing: true });
    const token = await signer.sign('access', claims());
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', kid, typ: 'at+jwt' });
    expect(await verifier.verify(token, 'access')).toBeDefined();
    expect(await verifier.verify(forge({ alg: 'HS256', kid, typ: 'at+jwt' }, JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()), 'another-secret-0123456789abcdefghij'), 'access')).toBeUndefined();
  });
});
