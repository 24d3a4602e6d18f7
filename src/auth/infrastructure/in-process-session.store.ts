import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExpiringMap } from '../../common/in-process/expiring-map.js';
import { SessionStore, type IssuedPair, type NewFamily, type Rotation, type RotationOutcome, type UserRevocations } from '../session.store.js';

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
  /** '1' while the user's record is complete, else the nonce of the load under way (see SessionStore). */
  private readonly known = new ExpiringMap<string>();

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

  async revokeUser(userId: string, cutoffTtlMs: number): Promise<number> {
    for (const familyId of this.byUser.get(userId) ?? []) this.families.delete(familyId);
    this.byUser.delete(userId);
    const now = Date.now();
    if ((this.validAfter.get(userId) ?? 0) < now) this.validAfter.set(userId, now, cutoffTtlMs);
    return now;
  }

  async denyAccess(jti: string, ttlMs: number): Promise<void> {
    if (ttlMs > 0) this.denied.set(jti, true, ttlMs);
  }

  async isAccessRevoked(jti: string, userId: string, issuedAtMs: number, familyId: string): Promise<boolean | undefined> {
    if (this.denied.get(jti) || this.revokedFamilies.get(familyId)) return true;
    const after = this.validAfter.get(userId);
    if (after !== undefined && issuedAtMs < after) return true;
    return this.known.get(userId) === '1' ? false : undefined;
  }

  async beginLoad(userId: string, nonce: string, ttlMs: number): Promise<void> {
    this.known.set(userId, nonce, ttlMs);
  }

  async completeLoad(userId: string, nonce: string, r: UserRevocations, ttlMs: number): Promise<void> {
    if (this.known.get(userId) !== nonce) return;
    const now = Date.now();
    if (r.cutoffMs !== undefined && (r.cutoffUntilMs ?? 0) > now && (this.validAfter.get(userId) ?? 0) < r.cutoffMs) {
      this.validAfter.set(userId, r.cutoffMs, (r.cutoffUntilMs ?? 0) - now);
    }
    for (const s of r.sessions) if (s.untilMs > now && !this.revokedFamilies.get(s.id)) this.revokedFamilies.set(s.id, true, s.untilMs - now);
    for (const a of r.accessTokens) if (a.untilMs > now && !this.denied.get(a.id)) this.denied.set(a.id, true, a.untilMs - now);
    this.known.set(userId, '1', ttlMs);
  }

  onModuleDestroy(): void {
    for (const map of [this.families, this.byUser, this.denied, this.validAfter, this.revokedFamilies, this.known]) map.onModuleDestroy();
  }

  private drop(familyId: string, userId: string): void {
    this.families.delete(familyId);
    this.byUser.get(userId)?.delete(familyId);
  }
}
