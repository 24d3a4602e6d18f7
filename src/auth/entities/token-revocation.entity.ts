import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * user: every access token of the user issued before `revoked_at` is dead (logout-all, an admin's revoke,
 * deactivation); session: every access token of one session is dead (logout, refresh reuse); access: one
 * access token is dead (the one a logout was made with, which may belong to another session).
 */
export const REVOCATION_KINDS = ['user', 'session', 'access'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

/**
 * The durable record of ended access tokens. Redis answers the per-request check; these rows are what it is
 * rebuilt from when it has no record of a user (after it lost its data), so losing Redis cannot bring an ended
 * token back. A row matters until `expires_at`, when every token it ends has expired; later writes sweep it.
 */
@Entity({ name: 'token_revocations' })
@Index('IDX_token_revocations_expires', ['expiresAt'])
export class TokenRevocation {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  kind: RevocationKind;

  /** The session (refresh-token family) id, or the access token's jti; empty for kind user. */
  @PrimaryColumn({ name: 'token_id', type: 'varchar', length: 64 })
  tokenId: string;

  /** When it was ended; for kind user, the cut-off: tokens issued before it are dead. */
  @Column({ name: 'revoked_at', type: 'timestamptz' })
  revokedAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
