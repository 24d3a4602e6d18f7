import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type FindOptionsWhere, type Repository } from 'typeorm';
import { AuditEvent, type AuditEventType } from './entities/audit-event.entity.js';

export interface AuditInput {
  type: AuditEventType;
  actorId?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  subjectId?: string;
  type?: AuditEventType;
  limit: number;
  /** Events strictly older than this (the `created_at` of the last event of the previous page). */
  before?: Date;
}

/** The security event trail, in PostgreSQL. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Records an event; also one structured log line. A failure to record is logged, never thrown at the caller. */
  async record(input: AuditInput): Promise<void> {
    this.logger.log(JSON.stringify({ event: input.type, actor: input.actorId, subject: input.subjectId, ip: input.ip }));
    try {
      await this.events.save(toEntity(input));
    } catch (error) {
      this.logger.error(`could not record ${input.type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Records an event as part of an operation: a failure fails the operation (admin writes). */
  async recordStrictly(input: AuditInput): Promise<void> {
    await this.events.save(toEntity(input));
  }

  recent(query: AuditQuery): Promise<AuditEvent[]> {
    const where: FindOptionsWhere<AuditEvent> = {};
    if (query.subjectId) where.subjectId = query.subjectId;
    if (query.type) where.type = query.type;
    if (query.before) where.createdAt = LessThan(query.before);
    return this.events.find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: query.limit });
  }
}

/** An unsaved event, for `save` here or in another transaction's manager. */
export function toEntity(input: AuditInput): AuditEvent {
  return Object.assign(new AuditEvent(), {
    type: input.type,
    actorId: input.actorId ?? null,
    subjectId: input.subjectId ?? null,
    ip: input.ip ?? null,
    details: input.details ?? {},
  });
}
