import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JwtAlgorithm } from '../../config/auth.config.js';

/**
 * next: published in the JWKS ahead of signing, so verifiers have it before its first token;
 * active: signs (exactly one); retired: verifies what it signed until `verify_until`;
 * revoked: verifies nothing, at once.
 */
export const SIGNING_KEY_STATES = ['next', 'active', 'retired', 'revoked'] as const;
export type SigningKeyState = (typeof SIGNING_KEY_STATES)[number];

/**
 * A token signing key. Asymmetric keys keep their public half as a JWK and their private half sealed
 * (AES-256-GCM under JWT_KEYS_SECRET, bound to the kid); the private half is erased when the key stops
 * signing. An HS256 row stands for JWT_SECRET, whose value lives only in configuration: it tracks the
 * secret's life (when it stopped signing, until when its tokens verify) like any other key's.
 */
@Entity({ name: 'signing_keys' })
@Index('UQ_signing_keys_signing_state', ['state'], { unique: true, where: `"state" IN ('next', 'active')` })
export class SigningKey {
  /** RFC 7638 thumbprint of the public key (HS256: derived from a hash of the secret). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid: string;

  @Column({ type: 'varchar', length: 8 })
  algorithm: JwtAlgorithm;

  @Column({ type: 'varchar', length: 8 })
  state: SigningKeyState;

  @Column({ name: 'public_jwk', type: 'jsonb', nullable: true })
  publicJwk: Record<string, string> | null;

  @Column({ name: 'private_sealed', type: 'text', nullable: true })
  privateSealed: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  /** When it stopped signing (retired or revoked). */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The last moment a token it signed can be live; past it the key leaves the JWKS. */
  @Column({ name: 'verify_until', type: 'timestamptz', nullable: true })
  verifyUntil: Date | null;
}
