import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, toEntity } from '../audit/audit.service.js';
import { AuditEvent, type AuditEventType } from '../audit/entities/audit-event.entity.js';
import { SessionsService } from '../auth/sessions.service.js';
import { DomainError, ValidationFailedError } from '../common/errors/domain-error.js';
import { toUserResponse, type UserResponseDto } from '../users/dto/user-response.dto.js';
import { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { AdminUpdateUserDto, AuditEventDto, AuditQueryDto, ListUsersQueryDto, UserPageDto } from './dto/admin.dto.js';

export interface Actor {
  id: string;
  ip: string;
}

export class UserNotFoundError extends DomainError {
  constructor() {
    super('ACCOUNT_NOT_FOUND', 'No user has this id');
  }
}

export class SelfLockoutError extends DomainError {
  constructor(what: string) {
    super('SELF_LOCKOUT', `An admin cannot ${what} themselves; ask another admin`);
  }
}

export class LastAdminError extends DomainError {
  constructor() {
    super('SELF_LOCKOUT', 'This would leave no active admin; make another admin first');
  }
}

/** What admins do to accounts. Every write and its audit event are one transaction. */
@Injectable()
export class AdminService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
  ) {}

  async listUsers(query: ListUsersQueryDto): Promise<UserPageDto> {
    const page = await this.users.list({
      limit: query.limit ?? 20,
      role: query.role,
      active: query.active,
      search: query.q,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    return {
      total: page.total,
      items: page.items.map(toUserResponse),
      next_cursor: page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null,
    };
  }

  async getUser(id: string): Promise<UserResponseDto> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError();
    return toUserResponse(user);
  }

  async updateUser(actor: Actor, id: string, dto: AdminUpdateUserDto): Promise<UserResponseDto> {
    if (actor.id === id && dto.roles && !dto.roles.includes('admin')) throw new SelfLockoutError('remove the admin role from');
    if (actor.id === id && dto.is_active === false) throw new SelfLockoutError('deactivate');
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError();

    const events: { type: AuditEventType; details: Record<string, unknown> }[] = [];
    const changes: Partial<User> = {};
    if (dto.roles && !sameSet(dto.roles, user.roles)) {
      changes.roles = dto.roles;
      events.push({ type: 'role_changed', details: { from: user.roles, to: dto.roles } });
    }
    if (dto.is_active !== undefined && dto.is_active !== user.isActive) {
      changes.isActive = dto.is_active;
      events.push({ type: dto.is_active ? 'user_reactivated' : 'user_deactivated', details: {} });
    }
    const names = { firstName: dto.first_name, lastName: dto.last_name };
    const renamed = Object.entries(names).filter(([key, value]) => value !== undefined && value !== user[key as 'firstName']);
    if (renamed.length) {
      Object.assign(changes, Object.fromEntries(renamed));
      events.push({ type: 'user_updated', details: { fields: renamed.map(([key]) => (key === 'firstName' ? 'first_name' : 'last_name')) } });
    }
    if (!events.length) return toUserResponse(user);

    const removesAdmin = user.isActive && user.roles.includes('admin') && (changes.isActive === false || (changes.roles && !changes.roles.includes('admin')));
    await this.dataSource.transaction(async (manager) => {
      if (removesAdmin) await keepsAnotherActiveAdmin(manager, id);
      await manager.getRepository(User).update({ id }, changes);
      await manager.getRepository(AuditEvent).save(events.map((e) => toEntity({ ...e, actorId: actor.id, subjectId: id, ip: actor.ip })));
    });
    await this.users.invalidate(id);
    if (changes.isActive === false) await this.sessions.revokeAll(id);
    return this.getUser(id);
  }

  async revokeSessions(actor: Actor, id: string): Promise<void> {
    if (!(await this.users.findById(id))) throw new UserNotFoundError();
    await this.sessions.revokeAll(id);
    await this.audit.recordStrictly({ type: 'sessions_revoked', actorId: actor.id, subjectId: id, ip: actor.ip });
  }

  async auditTrail(query: AuditQueryDto): Promise<AuditEventDto[]> {
    const before = query.before ? new Date(query.before) : undefined;
    const year = before?.getUTCFullYear() ?? 2000;
    if (before && (Number.isNaN(before.getTime()) || year < 1970 || year > 9999)) {
      throw new ValidationFailedError('before must be a date-time between 1970 and 9999', [{ field: 'before', message: 'before must be a date-time' }]);
    }
    const events = await this.audit.recent({ subjectId: query.user_id, type: query.type, limit: query.limit ?? 50, before });
    return events.map((e) => ({
      id: e.id,
      type: e.type,
      actor_id: e.actorId,
      subject_id: e.subjectId,
      ip: e.ip,
      details: e.details,
      created_at: e.createdAt.toISOString(),
    }));
  }
}

/**
 * Locks every active admin's row (in id order, so two of these never deadlock) and refuses when none would
 * remain but `id`. Two admins demoting or deactivating each other at once take turns here: the second sees
 * the first's change once it commits (FOR UPDATE reads the committed row again) and is refused.
 */
async function keepsAnotherActiveAdmin(manager: EntityManager, id: string): Promise<void> {
  const admins = await manager.query<{ id: string }[]>(`SELECT id FROM users WHERE 'admin' = ANY(roles) AND is_active ORDER BY id FOR UPDATE`);
  if (!admins.some((admin) => admin.id !== id)) throw new LastAdminError();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** PostgreSQL's text form of a timestamptz, as the cursor carries it. */
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

function decodeCursor(cursor: string): { dateJoined: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { dateJoined?: unknown; id?: unknown };
    const date = typeof value.dateJoined === 'string' ? PG_TIMESTAMP.exec(value.dateJoined) : null;
    const real = date && new Date(Date.UTC(+date[1], +date[2] - 1, +date[3])).getUTCDate() === +date[3];
    if (date && real && +date[1] >= 1970 && typeof value.id === 'string' && UUID.test(value.id)) {
      return { dateJoined: value.dateJoined as string, id: value.id };
    }
  } catch {
    // falls through to the error below
  }
  throw new ValidationFailedError('cursor is not one this service gave out', [{ field: 'cursor', message: 'cursor is not valid' }]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
