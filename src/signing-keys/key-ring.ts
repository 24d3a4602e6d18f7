import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { JWK } from 'jose';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { AuthConfig, JwtAlgorithm } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import type { SigningKey } from './entities/signing-key.entity.js';
import { hs256Kid, KeySealer, publicKeyOf } from './key-material.js';
import { SigningKeysRepository } from './signing-keys.repository.js';
import { SigningKeysService } from './signing-keys.service.js';

/** A key as the verifier sees it. */
export interface VerificationKey {
  kid: string;
  algorithm: JwtAlgorithm;
  key: KeyObject;
  /** Only tokens issued at or before this (epoch ms) were signed by it: set once it stopped signing. */
  signedUntilMs?: number;
}

export interface SigningHandle {
  kid: string;
  algorithm: JwtAlgorithm;
  key: KeyObject;
}

/**
 * After JWT_SECRET stops signing, instances of a rolling deploy that still run HS256 sign with it a while
 * longer: their tokens are accepted if issued up to this long after the switch.
 */
const HS256_SWITCH_GRACE_MS = 5 * 60_000;

/**
 * The last issue time a key's tokens may carry: for JWT_SECRET (which stays in configuration, so could sign
 * anything) its switch time plus a rolling deploy's grace; none for key pairs, whose private half is erased
 * when they retire (an instance that has not reloaded yet keeps signing with it, legitimately, until its poll).
 */
function signedUntil(row: SigningKey): number | undefined {
  return row.algorithm === 'HS256' && row.retiredAt ? row.retiredAt.getTime() + HS256_SWITCH_GRACE_MS : undefined;
}

/** Seen an unknown kid: reload at most this often (a forged kid must not turn into a query per request). */
const UNKNOWN_KID_RELOAD_MS = 1000;

/**
 * The keys this instance signs and verifies with, loaded from PostgreSQL at start and every
 * JWT_KEYS_POLL_SECONDS after, so a rotation or revocation made by any instance or the command line reaches
 * every instance within seconds, without a restart. A revocation also empties the verified-token cache.
 */
@Injectable()
export class KeyRing implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('KeyRing');
  private readonly config: AuthConfig;
  private readonly sealer: KeySealer | undefined;
  private signing: SigningHandle | undefined;
  private verifying = new Map<string, VerificationKey>();
  private published: JWK[] = [];
  private revoked = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastReloadMs = 0;
  private ensuresKeys = false;
  private readonly revocationListeners: Array<() => void> = [];

  constructor(
    private readonly repository: SigningKeysRepository,
    private readonly keys: SigningKeysService,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
    this.sealer = this.config.keysSecret ? new KeySealer(this.config.keysSecret) : undefined;
  }

  /**
   * Called (by the HTTP app's WellKnownModule) before start-up completes: this process makes sure the keys of
   * its JWT_ALGORITHM exist. The command line and the worker only read the key store.
   */
  ensureKeysAtStart(): void {
    this.ensuresKeys = true;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.ensuresKeys) await this.keys.ensure();
    await this.reload();
    this.timer = setInterval(() => void this.reload().catch((error: unknown) => this.logger.warn(`could not reload signing keys: ${String(error)}`)), this.config.keysPollSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The key new tokens are signed with. */
  signingKey(): SigningHandle {
    if (!this.signing) throw new Error('there is no signing key yet: start the service once, or run keys:rotate');
    return this.signing;
  }

  /** The key that verifies tokens with this kid (HS256 tokens from before kids: `undefined`), if any. */
  verificationKey(kid: string | undefined): VerificationKey | undefined {
    const key = this.verifying.get(kid ?? (this.config.jwtSecret ? hs256Kid(this.config.jwtSecret) : ''));
    if (!key && kid !== undefined && !this.revoked.has(kid)) this.reloadSoon();
    return key;
  }

  /** The public keys a live token may be signed with: staged, active, and retired ones still verifying. */
  jwks(): { keys: JWK[] } {
    return { keys: this.published };
  }

  /** The algorithms of the published keys and the signing key: what a verifier must support. */
  algorithms(): JwtAlgorithm[] {
    const algorithms = new Set(this.published.map((jwk) => jwk.alg as JwtAlgorithm));
    if (this.signing) algorithms.add(this.signing.algorithm);
    return [...algorithms];
  }

  onRevocation(listener: () => void): void {
    this.revocationListeners.push(listener);
  }

  /** Reads the key set again; public for the tests and the command line, which change it in-process. */
  async reload(): Promise<void> {
    this.lastReloadMs = Date.now();
    const rows = await this.repository.loadLive();
    const verifying = new Map<string, VerificationKey>();
    const published: JWK[] = [];
    const revoked = new Set<string>();
    let signing: SigningHandle | undefined;
    for (const row of rows) {
      if (row.state === 'revoked') {
        revoked.add(row.kid);
        continue;
      }
      const key = this.keyOf(row);
      if (!key) continue;
      if (row.state !== 'next') verifying.set(row.kid, { kid: row.kid, algorithm: row.algorithm, key, signedUntilMs: signedUntil(row) });
      if (row.publicJwk) published.push(row.publicJwk);
      if (row.state === 'active') signing = { kid: row.kid, algorithm: row.algorithm, key: this.signingKeyOf(row) ?? key };
    }
    const newlyRevoked = [...revoked].some((kid) => !this.revoked.has(kid));
    this.verifying = verifying;
    this.published = published;
    this.revoked = revoked;
    if (signing && signing.kid !== this.signing?.kid) this.logger.log(`signing with ${signing.kid} (${signing.algorithm})`);
    this.signing = signing ?? this.signing;
    if (newlyRevoked) for (const listener of this.revocationListeners) listener();
  }

  private reloadSoon(): void {
    if (Date.now() - this.lastReloadMs < UNKNOWN_KID_RELOAD_MS) return;
    void this.reload().catch((error: unknown) => this.logger.warn(`could not reload signing keys: ${String(error)}`));
  }

  /** The verifying half: the public key, or JWT_SECRET for its own HS256 row (another secret's row: none). */
  private keyOf(row: SigningKey): KeyObject | undefined {
    if (row.algorithm === 'HS256') {
      const secret = this.config.jwtSecret;
      return secret && hs256Kid(secret) === row.kid ? createSecretKey(Buffer.from(secret, 'utf8')) : undefined;
    }
    return row.publicJwk ? publicKeyOf(row.publicJwk) : undefined;
  }

  private signingKeyOf(row: SigningKey): KeyObject | undefined {
    if (row.algorithm === 'HS256') return undefined;
    if (this.signing?.kid === row.kid) return this.signing.key;
    if (!row.privateSealed || !this.sealer) throw new Error(`the signing key ${row.kid} has no private key this instance can open`);
    try {
      return this.sealer.open(row.kid, row.privateSealed);
    } catch {
      throw new Error(`JWT_KEYS_SECRET does not open the private key of ${row.kid}: it must be the secret the keys were created with`);
    }
  }
}
