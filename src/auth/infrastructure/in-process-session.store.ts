import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
import { SessionStore, type IssuedPair, type NewFamily, type Rotation, type RotationOutcome } from '../session.store.js';

interface Family {
  userId: string;
  current: string;
  previous?: string;
  rotatedAt: number;
  pair: IssuedPair;
  absoluteExpiresAtMs: number;
}

const FOREVER = 400 * 86_400_000;

/** The embedded default's SessionStore: the rules of the Redis scripts, in synchronous (atomic) steps. */
@Injectable()
export class InProcessSessionStore extends SessionStore implements OnModuleDestroy {
  private readonly families = new ExpiringMap<Family>();
  private readonly byUser = new ExpiringMap<Set<string>>();
  private readonly denied = new ExpiringMap<true>();
  private readonly validAfter = new ExpiringMap<number>();
  private readonly revokedFamilies = new ExpiringMap<true>();

  async create(f: NewFamily): Promise<void> {
    this.families.set(
      f.familyId,
      { userId: f.userId, current: f.refreshHash, rotatedAt: 0, pair: f.pair, absoluteExpiresAtMs: f.absoluteExpiresAtMs },
      Math.min(f.idleTtlMs, f.absoluteExpiresAtMs - Date.now()),
    );
    const set = this.byUser.get(f.userId) ?? new Set<string>();
    set.add(f.familyId);
    this.byUser.set(f.userId, set, FOREVER);
  }

  async rotate(r: Rotation): Promise<RotationOutcome> {
    const family = this.families.get(r.familyId);
    if (!family) return { status: 'unknown' };
    const now = Date.now();
    if (now >= family.absoluteExpiresAtMs) {
      this.drop(r.familyId, family.userId);
      return { status: 'expired' };
    }
    const presented = (hash: string | undefined) => hash !== undefined && (r.presentedHash === hash || r.presentedLegacyHash === hash);
    if (presented(family.current)) {
      const next: Family = { ...family, previous: family.current, current: r.nextHash, rotatedAt: now, pair: r.next };
      this.families.set(r.familyId, next, Math.min(r.idleTtlMs, family.absoluteExpiresAtMs - now));
      return { status: 'rotated', userId: family.userId };
    }
    if (presented(family.previous) && now - family.rotatedAt <= r.graceMs) {
      return { status: 'grace', userId: family.userId, pair: family.pair };
    }
    this.drop(r.familyId, family.userId);
    this.revokedFamilies.set(r.familyId, true, r.accessTtlMs);
    return { status: 'reuse', userId: family.userId };
  }

  async revokeFamily(familyId: string, accessTtlMs: number): Promise<string | undefined> {
    this.revokedFamilies.set(familyId, true, accessTtlMs);
    const family = this.families.get(familyId);
    if (!family) return undefined;
    this.drop(familyId, family.userId);
    return family.userId;
  }

  async revokeUser(userId: string, accessTtlMs: number): Promise<void> {
    for (const familyId of this.byUser.get(userId) ?? []) this.families.delete(familyId);
    this.byUser.delete(userId);
    this.validAfter.set(userId, Date.now(), accessTtlMs);
  }

  async denyAccess(jti: string, ttlMs: number): Promise<void> {
    if (ttlMs > 0) this.denied.set(jti, true, ttlMs);
  }

  async isAccessRevoked(jti: string, userId: string, issuedAtMs: number, familyId: string): Promise<boolean> {
    if (this.denied.get(jti) || this.revokedFamilies.get(familyId)) return true;
    const after = this.validAfter.get(userId);
    return after !== undefined && issuedAtMs < after;
  }

  onModuleDestroy(): void {
    for (const map of [this.families, this.byUser, this.denied, this.validAfter, this.revokedFamilies]) map.onModuleDestroy();
  }

  private drop(familyId: string, userId: string): void {
    this.families.delete(familyId);
    this.byUser.get(userId)?.delete(familyId);
  }
}
