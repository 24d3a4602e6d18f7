import { calculateJwkThumbprint, type JWK } from 'jose';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import type { AsymmetricAlgorithm } from '../config/auth.config.js';

export interface GeneratedKey {
  kid: string;
  publicJwk: JWK;
  privateKey: KeyObject;
}

/** A new key pair for `algorithm`; its kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(algorithm: AsymmetricAlgorithm): Promise<GeneratedKey> {
  const { privateKey, publicKey } =
    algorithm === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : algorithm === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: algorithm, use: 'sig' } };
}

/** The kid of an HS256 secret: a hash of it, so two instances agree and the secret cannot be read back. */
export function hs256Kid(secret: string): string {
  return `hs256-${createHash('sha256').update('otpgate hs256 kid\0').update(secret).digest('base64url').slice(0, 16)}`;
}

export function publicKeyOf(jwk: JWK): KeyObject {
  return createPublicKey({ key: jwk as never, format: 'jwk' });
}

const SEAL_VERSION = 'v1';

/**
 * Seals private keys for storage: AES-256-GCM under a key derived from JWT_KEYS_SECRET with HKDF, the kid as
 * additional data (a sealed key copied to another row does not open), a fresh 96-bit IV each time.
 */
export class KeySealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'otpgate signing keys v1', 32));
  }

  seal(kid: string, privateKey: KeyObject): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(kid));
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const sealed = Buffer.concat([cipher.update(der), cipher.final()]);
    return [SEAL_VERSION, iv, sealed, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** Throws when the secret is not the one the key was sealed with, or the row was tampered with. */
  open(kid: string, sealed: string): KeyObject {
    const [version, iv, data, tag] = sealed.split('.');
    if (version !== SEAL_VERSION || !iv || !data || !tag) throw new Error(`the private key of ${kid} is not in a known sealed form`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(kid))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    const der = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
}
