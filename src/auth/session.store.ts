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

/** A user's ended access tokens, as PostgreSQL holds them durably and a store caches them. */
export interface UserRevocations {
  /** Tokens issued before this instant (epoch ms) are dead; until `cutoffUntilMs`. */
  cutoffMs?: number;
  cutoffUntilMs?: number;
  /** Ended sessions (family ids), each with the epoch ms until which its access tokens could live. */
  sessions: { id: string; untilMs: number }[];
  /** Ended access tokens (jti), each with its expiry, epoch ms. */
  accessTokens: { id: string; untilMs: number }[];
}

export abstract class SessionStore {
  abstract create(family: NewFamily): Promise<void>;
  /** Atomic: rotates, answers a grace retry, or revokes the family on reuse. */
  abstract rotate(rotation: Rotation): Promise<RotationOutcome>;
  /** Revokes one family and its access tokens; answers the user it belonged to, if it existed. */
  abstract revokeFamily(familyId: string, accessTtlMs: number): Promise<string | undefined>;
  /**
   * Revokes every family of the user and every access token issued before now, by the store's clock (one
   * clock for every instance); answers that cut-off, epoch ms. It is kept for `cutoffTtlMs`.
   */
  abstract revokeUser(userId: string, cutoffTtlMs: number): Promise<number>;
  /** Deny-lists one access token until it would have expired. */
  abstract denyAccess(jti: string, ttlMs: number): Promise<void>;
  /**
   * One round trip: true when the access token is deny-listed, of a revoked family, or issued before its
   * user's cut-off; false when not, and the store holds the user's complete record; undefined when it does not
   * (it lost its data, or has not loaded the user since): only PostgreSQL can answer then.
   */
  abstract isAccessRevoked(jti: string, userId: string, issuedAtMs: number, familyId: string): Promise<boolean | undefined>;
  /** Starts loading a user's record: `completeLoad` with the same nonce stores it only if nothing was lost since. */
  abstract beginLoad(userId: string, nonce: string, ttlMs: number): Promise<void>;
  /**
   * Adds what PostgreSQL holds to what the store holds (never removing a revocation, never lowering a
   * cut-off), and marks the user's record complete for `ttlMs`, if this load is still the current one.
   */
  abstract completeLoad(userId: string, nonce: string, revocations: UserRevocations, ttlMs: number): Promise<void>;
}

export const sessionKey = (familyId: string) => `session:${familyId}`;
export const userSessionsKey = (userId: string) => `sessions:${userId}`;
export const denyKey = (jti: string) => `deny:${jti}`;
export const validAfterKey = (userId: string) => `valid-after:${userId}`;
export const revokedFamilyKey = (familyId: string) => `revoked-family:${familyId}`;
/** '1' while the store holds the user's complete record of revocations; a load's nonce while one is under way. */
export const revocationsKnownKey = (userId: string) => `revocations-known:${userId}`;
