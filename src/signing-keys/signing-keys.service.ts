import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '../audit/audit.service.js';
import { longestTokenLifeSeconds, type AsymmetricAlgorithm, type AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import { KeyOperationError } from './key-operation.error.js';
import type { SigningKey } from './entities/signing-key.entity.js';
import { generateSigningKey, hs256Kid, KeySealer } from './key-material.js';
import { SigningKeysRepository, type KeyChanges } from './signing-keys.repository.js';

export interface RotationResult {
  retired?: string;
  active: string;
  next?: string;
  /** The new signing key was published for less than the JWKS max-age: some verifiers may refetch once. */
  publishedForSeconds?: number;
}

/**
 * The key store's changes: what every start makes sure of, rotation and emergency revocation. Each runs
 * under one lock in one transaction and is audited; the running instances pick the result up through
 * KeyRing's poll.
 */
@Injectable()
export class SigningKeysService {
  private readonly logger = new Logger('SigningKeys');
  private readonly config: AuthConfig;
  private readonly sealer: KeySealer | undefined;

  constructor(
    private readonly repository: SigningKeysRepository,
    private readonly audit: AuditService,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
    this.sealer = this.config.keysSecret ? new KeySealer(this.config.keysSecret) : undefined;
  }

  /**
   * At the service's start-up (never the command line's): the configured algorithm has an active key (and, if asymmetric, a staged next one); a key of
   * another algorithm that was signing is retired, so switching HS256 -> ES256 (or back) logs nobody out.
   */
  async ensure(): Promise<void> {
    const { jwtAlgorithm, jwtSecret } = this.config;
    let retired: string | undefined;
    const created = await this.repository.change(async (keys) => {
      const rows = await keys.all();
      const made: string[] = [];
      retired = rows.find((k) => k.state === 'active' && k.algorithm !== jwtAlgorithm)?.kid;
      const secretKid = jwtSecret ? hs256Kid(jwtSecret) : undefined;
      const secretRow = rows.find((k) => k.kid === secretKid);
      if (jwtAlgorithm === 'HS256') {
        if (secretRow?.state === 'revoked') {
          throw new KeyOperationError(`JWT_SECRET's key ${secretKid} was revoked: set a new JWT_SECRET`);
        }
        for (const key of rows) if (key.kid !== secretKid && key.state === 'active') await keys.retire(key.kid, this.verifyUntil());
        await keys.discard(rows.filter((k) => k.state === 'next').map((k) => k.kid));
        if (!secretRow) made.push((await keys.insert({ kid: secretKid, algorithm: 'HS256', state: 'active', activatedAt: new Date() })).kid);
        else if (secretRow.state !== 'active') await keys.activate(secretRow.kid);
        return made;
      }
      // Tokens signed with JWT_SECRET before this start keep verifying until they expire.
      if (secretKid && !secretRow) {
        await keys.insert({ kid: secretKid, algorithm: 'HS256', state: 'retired', retiredAt: new Date(), verifyUntil: this.verifyUntil() });
      }
      const active = rows.find((k) => k.state === 'active');
      if (!active || active.algorithm !== jwtAlgorithm) made.push(...(await this.promote(keys, rows, active, jwtAlgorithm)));
      else if (!rows.some((k) => k.state === 'next')) made.push(await this.stage(keys, jwtAlgorithm));
      return made;
    });
    for (const kid of created) {
      this.logger.log(`created signing key ${kid} (${jwtAlgorithm})`);
      await this.audit.record({ type: 'signing_key_created', details: { kid, algorithm: jwtAlgorithm } });
    }
    if (retired) {
      this.logger.log(`JWT_ALGORITHM is now ${jwtAlgorithm}: retired ${retired}, whose tokens verify until they expire`);
      await this.audit.record({ type: 'signing_key_rotated', details: { retired, reason: `JWT_ALGORITHM=${jwtAlgorithm}` } });
    }
  }

  /** `keys:rotate`: the staged key signs from now on, the signing one is retired, a new one is staged. */
  async rotate(): Promise<RotationResult> {
    const result = await this.repository.change(async (keys) => {
      const rows = await keys.all();
      const active = rows.find((k) => k.state === 'active');
      const algorithm = this.algorithmInForce(active, 'rotate');
      const next = rows.find((k) => k.state === 'next' && k.algorithm === algorithm);
      await this.promote(keys, rows, active, algorithm);
      const after = await keys.all();
      return {
        retired: active?.kid,
        active: after.find((k) => k.state === 'active')!.kid,
        next: after.find((k) => k.state === 'next')?.kid,
        publishedForSeconds: next ? Math.floor((Date.now() - next.createdAt.getTime()) / 1000) : 0,
      } satisfies RotationResult;
    });
    await this.audit.recordStrictly({ type: 'signing_key_rotated', details: { retired: result.retired, active: result.active, next: result.next } });
    return result;
  }

  /** `keys:revoke <kid>`: nothing it signed verifies any more; a signing or staged key is replaced at once. */
  async revoke(kid: string): Promise<RotationResult | undefined> {
    const result = await this.repository.change(async (keys) => {
      const rows = await keys.all();
      const target = rows.find((k) => k.kid === kid);
      if (!target) throw new KeyOperationError(`no signing key with the kid "${kid}"`, 'not-found');
      if (target.state === 'revoked') throw new KeyOperationError(`${kid} is already revoked`, 'bad-input');
      if (target.algorithm === 'HS256' && target.state === 'active') {
        throw new KeyOperationError(`${kid} is JWT_SECRET, which signs every token under HS256: set a new JWT_SECRET (or JWT_ALGORITHM=ES256) and restart instead`, 'bad-input');
      }
      const active = rows.find((k) => k.state === 'active');
      await keys.revoke(kid);
      if (target.state === 'active' || target.state === 'next') {
        const algorithm = this.algorithmInForce(active, 'replace');
        if (target.state === 'active') await this.promote(keys, rows.filter((k) => k.kid !== kid), undefined, algorithm);
        else await this.stage(keys, algorithm);
      }
      const after = await keys.all();
      return { active: after.find((k) => k.state === 'active')?.kid ?? '', next: after.find((k) => k.state === 'next')?.kid };
    });
    await this.audit.recordStrictly({ type: 'signing_key_revoked', details: { kid, active: result.active, next: result.next } });
    return result;
  }

  list(): Promise<SigningKey[]> {
    return this.repository.listAll();
  }

  /** Retires `active` (if any), makes the staged key of `algorithm` (or a new one) active, stages a next. */
  private async promote(keys: KeyChanges, rows: SigningKey[], active: SigningKey | undefined, algorithm: AsymmetricAlgorithm): Promise<string[]> {
    const made: string[] = [];
    if (active) await keys.retire(active.kid, this.verifyUntil());
    const staged = rows.filter((k) => k.state === 'next');
    const next = staged.find((k) => k.algorithm === algorithm);
    await keys.discard(staged.filter((k) => k !== next).map((k) => k.kid));
    if (next) await keys.activate(next.kid);
    else made.push(await this.create(keys, algorithm, 'active'));
    made.push(await this.stage(keys, algorithm));
    return made;
  }

  private stage(keys: KeyChanges, algorithm: AsymmetricAlgorithm): Promise<string> {
    return this.create(keys, algorithm, 'next');
  }

  private async create(keys: KeyChanges, algorithm: AsymmetricAlgorithm, state: 'active' | 'next'): Promise<string> {
    const sealer = this.sealer;
    if (!sealer) throw new KeyOperationError('JWT_KEYS_SECRET is required to create a signing key', 'bad-input');
    const key = await generateSigningKey(algorithm);
    await keys.insert({
      kid: key.kid,
      algorithm,
      state,
      publicJwk: key.publicJwk as Record<string, string>,
      privateSealed: sealer.seal(key.kid, key.privateKey),
      activatedAt: state === 'active' ? new Date() : null,
    });
    return key.kid;
  }

  /**
   * The algorithm the running service signs with: the active key's, not this process's JWT_ALGORITHM (a shell
   * with another setting must not switch the fleet's algorithm; only a service start does, see `ensure`).
   */
  private algorithmInForce(active: SigningKey | undefined, operation: string): AsymmetricAlgorithm {
    const algorithm = active?.algorithm ?? this.config.jwtAlgorithm;
    if (algorithm === 'HS256') {
      throw new KeyOperationError(`the service signs with HS256 (JWT_SECRET): there is no key pair to ${operation}; change JWT_SECRET to replace the secret`, 'bad-input');
    }
    return algorithm;
  }

  private verifyUntil(): Date {
    return new Date(Date.now() + longestTokenLifeSeconds(this.config) * 1000);
  }
}
