import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_EVENT_TYPES = [
  'otp_locked',
  'otp_identifier_locked',
  'refresh_reuse_detected',
  'admin_login',
  'role_changed',
  'user_deactivated',
  'user_reactivated',
  'user_updated',
  'sessions_revoked',
  'signing_key_created',
  'signing_key_rotated',
  'signing_key_revoked',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** A security event: who did what to whom, when, from where. Never holds a code or a token. */
@Entity({ name: 'audit_events' })
@Index('IDX_audit_events_created', ['createdAt'])
@Index('IDX_audit_events_subject', ['subjectId', 'createdAt'])
@Index('IDX_audit_events_type', ['type', 'createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40 })
  type: AuditEventType;

  /** The user who acted (an admin, or the user themself); null for the system or an anonymous caller. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** The user the event is about. */
  @Column({ name: 'subject_id', type: 'uuid', nullable: true })
  subjectId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  /** Particulars (changed fields, masked identifier); never secrets. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
