/**
 * Sessions (refresh-token families) and access-token revocation. A family is one sign-in; it remembers the
 * hash of its current refresh token, the one before it, and the claims of the pair issued at the last
 * rotation, so a retried refresh within the grace window can be answered with that same pair.
 */
export interface IssuedPair {
  /** Claims that, signed again, give the same pair: JWT signing here is deterministic. */
  refreshJti: string;
  accessJti: string;
  /** Issue time, epoch ms. */
  issuedAtMs: number;
}

export interface NewFamily {
  familyId: string;
  userId: string;
  refreshHash: string;
  pair: IssuedPair;
  /** Epoch ms after which the family cannot be refreshed, whatever happens. */
  absoluteExpiresAtMs: number;
  /** How long the family lives without being used. */
  idleTtlMs: number;
}

export interface Rotation {
  familyId: string;
  /** How long the family's access tokens may still live: a reuse revokes them for that long. */
  accessTtlMs: number;
  presentedHash: string;
  /** The hash of the whole presented token: what sessions created before signed-part hashes hold. */
  presentedLegacyHash: string;
  nextHash: string;
  next: IssuedPair;
  graceMs: number;
  idleTtlMs: number;
}

export type RotationOutcome =
  | { status: 'rotated'; userId: string }
  /** The presented token was rotated a moment ago and its child is unused: answer with that child. */
  | { status: 'grace'; userId: string; pair: IssuedPair }
  /** A spent token came back: the family is now revoked. */
  | { status: 'reuse'; userId: string }
  | { status: 'expired' }
  | { status: 'unknown' };

export abstract class SessionStore {
  abstract create(family: NewFamily): Promise<void>;
  /** Atomic: rotates, answers a grace retry, or revokes the family on reuse. */
  abstract rotate(rotation: Rotation): Promise<RotationOutcome>;
  /** Revokes one family and its access tokens; answers the user it belonged to, if it existed. */
  abstract revokeFamily(familyId: string, accessTtlMs: number): Promise<string | undefined>;
  /** Revokes every family of the user and every access token issued before now. */
  abstract revokeUser(userId: string, accessTtlMs: number): Promise<void>;
  /** Deny-lists one access token until it would have expired. */
  abstract denyAccess(jti: string, ttlMs: number): Promise<void>;
  /** One round trip: is this access token deny-listed, of a revoked family, or issued before its user's cut-off? */
  abstract isAccessRevoked(jti: string, userId: string, issuedAtMs: number, familyId: string): Promise<boolean>;
}

export const sessionKey = (familyId: string) => `session:${familyId}`;
export const userSessionsKey = (userId: string) => `sessions:${userId}`;
export const denyKey = (jti: string) => `deny:${jti}`;
export const validAfterKey = (userId: string) => `valid-after:${userId}`;
export const revokedFamilyKey = (familyId: string) => `revoked-family:${familyId}`;
