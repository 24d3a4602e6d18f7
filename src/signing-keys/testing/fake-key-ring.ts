import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import type { AuthConfig, JwtAlgorithm } from '../../config/auth.config.js';
import type { Configuration } from '../../config/configuration.js';
import type { KeyRing, SigningHandle, VerificationKey } from '../key-ring.js';
import { hs256Kid } from '../key-material.js';

export const TEST_ISSUER = 'https://auth.test';
export const TEST_SECRET = 'unit-test-hs256-secret-0123456789abcdef';

export function keyPair(algorithm: Exclude<JwtAlgorithm, 'HS256'>): { privateKey: KeyObject; publicKey: KeyObject } {
  if (algorithm === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (algorithm === 'EdDSA') return generateKeyPairSync('ed25519');
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/**
 * A key ring in memory for the signer and verifier specs: keys are added by hand, `sign` picks the one
 * that signs; it fails loudly on anything else.
 */
export class FakeKeyRing {
  readonly keys = new Map<string, VerificationKey>();
  signing: SigningHandle | undefined;
  private readonly listeners: Array<() => void> = [];

  addAsymmetric(kid: string, algorithm: Exclude<JwtAlgorithm, 'HS256'>, options: { signing?: boolean; signedUntilMs?: number } = {}) {
    const pair = keyPair(algorithm);
    this.keys.set(kid, { kid, algorithm, key: pair.publicKey, signedUntilMs: options.signedUntilMs });
    if (options.signing) this.signing = { kid, algorithm, key: pair.privateKey };
    return pair;
  }

  addHs256(secret = TEST_SECRET, options: { signing?: boolean; signedUntilMs?: number } = {}): string {
    const kid = hs256Kid(secret);
    const key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.keys.set(kid, { kid, algorithm: 'HS256', key, signedUntilMs: options.signedUntilMs });
    if (options.signing) this.signing = { kid, algorithm: 'HS256', key };
    return kid;
  }

  revoke(kid: string): void {
    this.keys.delete(kid);
    for (const listener of this.listeners) listener();
  }

  signingKey(): SigningHandle {
    if (!this.signing) throw new Error('FakeKeyRing: no signing key was added');
    return this.signing;
  }

  verificationKey(kid: string | undefined): VerificationKey | undefined {
    return this.keys.get(kid ?? hs256Kid(TEST_SECRET));
  }

  onRevocation(listener: () => void): void {
    this.listeners.push(listener);
  }

  asKeyRing(): KeyRing {
    return this as unknown as KeyRing;
  }
}

export function authConfigService(overrides: Partial<AuthConfig> = {}): ConfigService<Configuration, true> {
  const config: Partial<AuthConfig> = { accessTtlSeconds: 3600, refreshTtlSeconds: 14 * 86_400, issuer: TEST_ISSUER, audience: undefined, verifiedTokenCacheSize: 100, jwtSecret: TEST_SECRET, ...overrides };
  return { getOrThrow: (name: string) => (name === 'auth' ? config : undefined) } as unknown as ConfigService<Configuration, true>;
}
