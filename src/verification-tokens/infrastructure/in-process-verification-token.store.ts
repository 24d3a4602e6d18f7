import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
import { VerificationTokenStore, verificationTokenKey } from '../verification-token.store.js';

@Injectable()
export class InProcessVerificationTokenStore extends VerificationTokenStore implements OnModuleDestroy {
  private readonly tokens = new ExpiringMap<string>();

  async save(tokenHash: string, binding: string, ttlMs: number): Promise<void> {
    this.tokens.set(verificationTokenKey(tokenHash), binding, ttlMs);
  }

  async take(tokenHash: string, binding: string): Promise<number | undefined> {
    const key = verificationTokenKey(tokenHash);
    if (this.tokens.get(key) !== binding) return undefined;
    const ttl = this.tokens.ttl(key);
    this.tokens.delete(key);
    return ttl;
  }

  async restore(tokenHash: string, binding: string, ttlMs: number): Promise<void> {
    const key = verificationTokenKey(tokenHash);
    if (this.tokens.get(key) === undefined) this.tokens.set(key, binding, Math.max(1, ttlMs));
  }

  onModuleDestroy(): void {
    this.tokens.onModuleDestroy();
  }
}
