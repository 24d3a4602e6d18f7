import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import { signHs256, verifyHs256 } from './hs256.js';

const secret = 'k7Qv9pXw2mLr5tYz8nBc3dFg6hJs1aZe';
const key = createSecretKey(Buffer.from(secret));
const now = Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (payload: object, options: jwt.SignOptions = {}) => jwt.sign(payload, secret, { algorithm: 'HS256', ...options });
const reference = (token: string) => {
  try {
    return jwt.verify(token, key, { algorithms: ['HS256'] }) as object;
  } catch {
    return undefined;
  }
};

describe('verifyHs256', () => {
  const valid = sign({ sub: 'u1', jti: 'j1', typ: 'access' }, { expiresIn: 60 });

  it('accepts a token jsonwebtoken signed, with the same payload', () => {
    expect(verifyHs256(valid, key)).toEqual(reference(valid));
    expect(verifyHs256(valid, key)).toMatchObject({ sub: 'u1', jti: 'j1', typ: 'access' });
  });

  it.each([
    ['another key', jwt.sign({ sub: 'u1', exp: now + 60 }, 'another-secret-another-secret-00', { algorithm: 'HS256' })],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u1', exp: now + 60 })}.`],
    ['alg HS512', sign({ sub: 'u1', exp: now + 60 }, { algorithm: 'HS512' })],
    ['expired', sign({ sub: 'u1', exp: now - 1 })],
    ['expiring now', sign({ sub: 'u1', exp: Math.floor(Date.now() / 1000) })],
    ['not yet valid', sign({ sub: 'u1', exp: now + 60, nbf: now + 30 })],
    ['without exp', sign({ sub: 'u1' })],
    ['a string exp', `${valid.split('.')[0]}.${b64({ sub: 'u1', exp: String(now + 60) })}.x`],
    ['two segments', valid.split('.').slice(0, 2).join('.')],
    ['four segments', `${valid}.x`],
    ['an empty payload segment', `${valid.split('.')[0]}..${valid.split('.')[2]}`],
    ['a non-canonical signature', `${valid}=`],
    ['a signature with junk', `${valid.slice(0, -2)}!${valid.slice(-1)}`],
    ['an array payload', `${valid.split('.')[0]}.${b64([1])}.${valid.split('.')[2]}`],
    ['garbage', 'not.a.token'],
    ['empty', ''],
  ])('refuses %s', (_, token) => {
    expect(verifyHs256(token, key)).toBeUndefined();
  });

  it('agrees with jsonwebtoken on mutated tokens (never accepts what it refuses)', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.string({ minLength: 0, maxLength: 3 }), fc.nat(3), (at, insert, cut) => {
        const mutated = valid.slice(0, at) + insert + valid.slice(at + cut);
        const ours = verifyHs256(mutated, key);
        if (ours) expect(ours).toEqual(reference(mutated));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('signHs256', () => {
  it('signs byte for byte what jsonwebtoken signs for the same claims, and verifyHs256 accepts it', () => {
    fc.assert(
      fc.property(
        fc.record({ typ: fc.constantFrom('access', 'refresh'), fam: fc.uuid(), iatms: fc.integer({ min: 1e12, max: 4e12 }) }),
        fc.uuid(),
        fc.uuid(),
        fc.integer({ min: 1, max: 10_000_000 }),
        ({ typ, fam, iatms }, sub, jti, ttl) => {
          const iat = Math.floor(iatms / 1000);
          const ours = signHs256({ typ, fam, iat, iatms, exp: iat + ttl, sub, jti }, key);
          expect(ours).toBe(sign({ typ, fam, iat, iatms }, { subject: sub, jwtid: jti, expiresIn: ttl }));
        },
      ),
      { numRuns: 500 },
    );
    const token = signHs256({ typ: 'access', iat: now, exp: now + 60, sub: 'u1', jti: 'j1' }, key);
    expect(verifyHs256(token, key)).toEqual({ typ: 'access', iat: now, exp: now + 60, sub: 'u1', jti: 'j1' });
  });
});
