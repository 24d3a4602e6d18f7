import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ROLES = ['user', 'provider', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * A person who can sign in. Identifiers are stored canonical (lower-case email, E.164 phone) and
 * usernames lower-case, so plain unique indexes are case-insensitive uniqueness.
 */
@Entity({ name: 'users' })
@Index('UQ_users_username', ['username'], { unique: true })
@Index('UQ_users_email', ['email'], { unique: true })
@Index('UQ_users_phone', ['phone'], { unique: true })
@Index('UQ_users_google_sub', ['googleSub'], { unique: true })
@Check('CHK_users_identifier', `"email" IS NOT NULL OR "phone" IS NOT NULL OR "google_sub" IS NOT NULL`)
@Check('CHK_users_lowercase', `"username" = lower("username") AND "email" = lower("email")`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  username: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  phone: string | null;

  /** The Google account (OpenID `sub`) linked for "Sign in with Google". */
  @Column({ name: 'google_sub', type: 'varchar', length: 255, nullable: true })
  googleSub: string | null;

  /** An email given without proof (phone sign-in): never an identifier until proven by a code. */
  @Column({ name: 'unverified_email', type: 'varchar', length: 254, nullable: true })
  unverifiedEmail: string | null;

  @Column({ name: 'first_name', type: 'varchar', length: 100, nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 100, nullable: true })
  lastName: string | null;

  @Column({ name: 'is_verified', type: 'boolean', default: false })
  isVerified: boolean;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'text', array: true, default: () => `'{user}'` })
  roles: Role[];

  @Column({ name: 'profile_picture', type: 'varchar', length: 2048, nullable: true })
  profilePicture: string | null;

  @CreateDateColumn({ name: 'date_joined', type: 'timestamptz' })
  dateJoined: Date;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
