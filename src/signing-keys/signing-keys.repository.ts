import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { SigningKey } from './entities/signing-key.entity.js';

/** The SQL of the key store. Changes run through `change`, one at a time across every instance. */
@Injectable()
export class SigningKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every key that can still verify something, plus the revoked ones (kept so their kids stay refused). */
  loadLive(): Promise<SigningKey[]> {
    return this.dataSource
      .getRepository(SigningKey)
      .createQueryBuilder('k')
      .where(`k.state <> 'retired' OR k.verify_until > now()`)
      .getMany();
  }

  listAll(): Promise<SigningKey[]> {
    return this.dataSource.getRepository(SigningKey).find({ order: { createdAt: 'DESC' } });
  }

  /**
   * Runs `work` in a transaction holding the key store's advisory lock: two instances starting at once, or a
   * rotation during a start, cannot both create an active key.
   */
  change<T>(work: (keys: KeyChanges) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('otpgate:signing-keys'))`);
      return work(new KeyChanges(manager));
    });
  }
}

/** What a locked change can do. */
export class KeyChanges {
  constructor(private readonly manager: EntityManager) {}

  all(): Promise<SigningKey[]> {
    return this.manager.find(SigningKey, { order: { createdAt: 'ASC' } });
  }

  insert(key: Partial<SigningKey>): Promise<SigningKey> {
    return this.manager.save(this.manager.create(SigningKey, key));
  }

  /** Stops a key signing: it verifies what it signed until `verifyUntil`, and its private half is erased. */
  async retire(kid: string, verifyUntil: Date): Promise<void> {
    await this.manager.update(SigningKey, { kid }, { state: 'retired', retiredAt: new Date(), verifyUntil, privateSealed: null });
  }

  async activate(kid: string): Promise<void> {
    await this.manager.update(SigningKey, { kid }, { state: 'active', activatedAt: new Date(), retiredAt: null, verifyUntil: null });
  }

  async revoke(kid: string): Promise<void> {
    const now = new Date();
    await this.manager.update(SigningKey, { kid }, { state: 'revoked', revokedAt: now, retiredAt: now, privateSealed: null });
  }

  /** A staged key that never signed anything can simply go. */
  async discard(kids: string[]): Promise<void> {
    if (kids.length) await this.manager.delete(SigningKey, { kid: In(kids), state: 'next' });
  }
}
