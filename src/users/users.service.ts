import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { UnauthenticatedError } from '../common/errors/domain-error.js';
import { uniqueViolation } from '../common/errors/postgres-errors.js';
import { channelOf } from '../common/identifiers/identifier.js';
import type { Configuration } from '../config/configuration.js';
import { toUserResponse, type UserResponseDto } from './dto/user-response.dto.js';
import { User, type Role } from './entities/user.entity.js';
import { AccountDisabledError, AccountNotFoundError, IdentifierTakenError, UsernameTakenError } from './users.errors.js';
import { TurnBatcher } from '../common/concurrency/turn-batcher.js';
import { preparedQuery } from '../database/prepared-query.js';

export interface NewUser {
  /** Canonical email or phone, proven by a code. */
  identifier: string;
  username: string | null;
  firstName?: string | null;
  lastName?: string | null;
  unverifiedEmail?: string | null;
  roles?: Role[];
  /**
   * Made by an operator (`admin:create`): no code has proven the identifier and nobody has signed in, so
   * is_verified stays false and last_login null until the first sign-in by code. Otherwise the identifier was
   * just proven and the account is being signed in.
   */
  byOperator?: boolean;
}

export interface UserListQuery {
  limit: number;
  role?: Role;
  active?: boolean;
  /** Prefix of the username, email or phone. */
  search?: string;
  /** Position after which the page starts (from the previous page). */
  after?: { dateJoined: string; id: string };
}

export interface UserPage {
  total: number;
  items: User[];
  next?: { dateJoined: string; id: string };
}

/** What a user may change about themselves. `null` clears a field; absent leaves it. */
export interface ProfileChanges {
  username?: string;
  firstName?: string | null;
  lastName?: string | null;
  profilePicture?: string | null;
}

@Injectable()
export class UsersService {
  private readonly cacheTtlMs: number;
  private readonly namedStatements: boolean;
  /** The existence probes of every code request, batched per turn of the event loop. */
  private readonly existing = { email: this.existenceLookup('email'), phone: this.existenceLookup('phone') };
  /** Sign-ins by code, batched the same way. */
  private readonly signIns = { email: this.signInStatement('email'), phone: this.signInStatement('phone') };

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    config: ConfigService<Configuration, true>,
  ) {
    this.cacheTtlMs = config.getOrThrow('auth.userCacheTtlSeconds', { infer: true }) * 1000;
    this.namedStatements = config.getOrThrow('backends.preparedStatements', { infer: true });
  }

  findByIdentifier(identifier: string): Promise<User | null> {
    return this.users.findOneBy({ [columnOf(identifier)]: identifier });
  }

  /** On every code request: an index probe, batched with the other requests of the moment. */
  existsByIdentifier(identifier: string): Promise<boolean> {
    return this.existing[columnOf(identifier)].submit(identifier);
  }

  /** One `= ANY($1)` statement answers every probe of a turn (TurnBatcher). */
  private existenceLookup(column: 'email' | 'phone'): TurnBatcher<string, boolean> {
    return new TurnBatcher(async (identifiers) => {
      const rows = await preparedQuery<{ found: string }>(
        this.users.manager.connection,
        this.namedStatements ? `users-existing-${column}` : undefined,
        `SELECT ${column} AS found FROM users WHERE ${column} = ANY($1::varchar[])`,
        [identifiers],
      );
      const found = new Set(rows.map((row) => row.found));
      return identifiers.map((identifier) => found.has(identifier));
    });
  }

  /** Creates a user (see NewUser.byOperator). Conflicts become IDENTIFIER_TAKEN / USERNAME_TAKEN. */
  async create(input: NewUser): Promise<User> {
    const email = channelOf(input.identifier) === 'email' ? input.identifier : null;
    const user = this.users.create({
      username: input.username,
      email,
      phone: email ? null : input.identifier,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      unverifiedEmail: input.unverifiedEmail ?? null,
      roles: input.roles ?? ['user'],
      isVerified: !input.byOperator,
      lastLogin: input.byOperator ? null : new Date(),
    });
    try {
      return await this.users.save(user);
    } catch (error) {
      throw asConflict(error);
    }
  }

  async updateProfile(id: string, changes: ProfileChanges): Promise<UserResponseDto> {
    const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    if (Object.keys(given).length) {
      try {
        await this.users.update({ id }, given);
      } catch (error) {
        throw asConflict(error);
      }
      await this.forget(id);
    }
    return this.getActiveProfile(id);
  }

  /** The profile of the user behind an access token; UNAUTHENTICATED if it is gone or deactivated. */
  async getActiveProfile(id: string): Promise<UserResponseDto> {
    const profile = await this.getProfile(id);
    if (!profile?.is_active) throw new UnauthenticatedError('The account behind this token no longer exists or is deactivated');
    return profile;
  }

  /** Moves the account onto a proven identifier of the same kind (email or phone). */
  async changeIdentifier(id: string, identifier: string): Promise<User> {
    const email = channelOf(identifier) === 'email';
    try {
      await this.users.update(
        { id },
        email ? { email: identifier, unverifiedEmail: null, isVerified: true } : { phone: identifier, isVerified: true },
      );
    } catch (error) {
      throw asConflict(error);
    }
    await this.forget(id);
    return this.users.findOneByOrFail({ id });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByGoogleSub(sub: string): Promise<User | null> {
    return this.users.findOneBy({ googleSub: sub });
  }

  /** Links a Google account; IDENTIFIER_TAKEN if it is already linked to another account. */
  async setGoogleSub(id: string, sub: string | null): Promise<User> {
    try {
      await this.users.update({ id }, { googleSub: sub });
    } catch (error) {
      throw asConflict(error);
    }
    await this.forget(id);
    return this.users.findOneByOrFail({ id });
  }

  async createFromGoogle(input: {
    sub: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    picture: string | null;
  }): Promise<User> {
    const user = this.users.create({
      googleSub: input.sub,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      profilePicture: input.picture,
      isVerified: true,
      lastLogin: new Date(),
    });
    try {
      return await this.users.save(user);
    } catch (error) {
      throw asConflict(error);
    }
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username: username.trim().toLowerCase() });
  }

  async addRole(id: string, role: Role): Promise<void> {
    await this.users.query(`UPDATE users SET roles = array_append(roles, $2) WHERE id = $1 AND NOT ($2 = ANY(roles))`, [id, role]);
    await this.forget(id);
  }

  /**
   * Signs in the active account of an identifier just proven by a code: stamps last_login and marks the
   * account verified (an operator-made one is not until then), in one statement shared with the other
   * sign-ins of the same turn (TurnBatcher). Throws ACCOUNT_NOT_FOUND / ACCOUNT_DISABLED.
   */
  async signIn(identifier: string): Promise<User> {
    const row = await this.signIns[columnOf(identifier)].submit(identifier);
    if (!row) {
      throw (await this.existsByIdentifier(identifier)) ? new AccountDisabledError() : new AccountNotFoundError();
    }
    const user = this.users.create(fromRow(row));
    await this.forget(user.id);
    return user;
  }

  /**
   * The statement behind signIn, without waiting for the WAL flush (synchronous_commit off for this
   * statement only: losing a last_login to a crash is harmless, while an fsync per sign-in capped
   * sign-ins). Each batch locks its rows in id order, so two batches that share accounts wait for each other
   * instead of deadlocking.
   */
  private signInStatement(column: 'email' | 'phone'): TurnBatcher<string, Record<string, unknown> | undefined> {
    return new TurnBatcher(async (identifiers) => {
      // Not a named statement: prepared, `RETURNING users.*` fails ("cached plan must not change result
      // type") once a migration adds a column, on every connection of instances still running the old build.
      const rows = await preparedQuery<Record<string, unknown>>(
        this.users.manager.connection,
        undefined,
        `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
              target AS (SELECT id FROM users WHERE ${column} = ANY($1::varchar[]) AND is_active ORDER BY id FOR UPDATE)
         UPDATE users SET last_login = now(), is_verified = true FROM relaxed, target
         WHERE users.id = target.id
         RETURNING users.*`,
        [identifiers],
      );
      const byIdentifier = new Map(rows.map((row) => [row[column] as string, row]));
      return identifiers.map((identifier) => byIdentifier.get(identifier));
    });
  }

  /**
   * Stamps last_login of a user already found (phone and Google sign-in), as signIn does; `provenByCode`
   * (phone sign-in) also marks the account verified; a Google sign-in proves no email or phone by a code.
   */
  async recordLogin(user: User, provenByCode: boolean): Promise<User> {
    user.lastLogin = new Date();
    if (provenByCode) user.isVerified = true;
    await this.users.query(
      `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
       UPDATE users SET last_login = $2, is_verified = is_verified OR $3 FROM relaxed WHERE id = $1`,
      [user.id, user.lastLogin, provenByCode],
    );
    await this.forget(user.id);
    return user;
  }

  async setActive(id: string, active: boolean): Promise<void> {
    await this.users.update({ id }, { isActive: active });
    await this.forget(id);
  }

  /** The API view of a user, from the cache when it is fresh; undefined when there is no such user. */
  async getProfile(id: string): Promise<UserResponseDto | undefined> {
    const key = cacheKey(id);
    const cached = await this.cache.get<UserResponseDto>(key);
    if (cached) return cached;
    const user = await this.users.findOneBy({ id });
    if (!user) return undefined;
    const profile = toUserResponse(user);
    if (this.cacheTtlMs > 0) await this.cache.set(key, profile, this.cacheTtlMs);
    return profile;
  }

  /** Drops the cached view of a user after a change made elsewhere (an admin's transaction). */
  invalidate(id: string): Promise<void> {
    return this.forget(id);
  }

  /** A page of users, newest first, with the total that matches the filters. */
  async list(query: UserListQuery): Promise<UserPage> {
    const filtered = this.users.createQueryBuilder('u');
    if (query.role) filtered.andWhere(':role = ANY(u.roles)', { role: query.role });
    if (query.active !== undefined) filtered.andWhere('u.is_active = :active', { active: query.active });
    if (query.search) {
      const prefix = `${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filtered.andWhere('(u.username LIKE :prefix OR u.email LIKE :prefix OR u.phone LIKE :prefix)', { prefix });
    }
    const total = await filtered.clone().getCount();
    // The cursor keeps date_joined as PostgreSQL's own text: a JS Date would drop the microseconds.
    const page = filtered
      .clone()
      .addSelect('u.date_joined::text', 'joined_text')
      .orderBy('u.date_joined', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(query.limit + 1);
    if (query.after) {
      page.andWhere('(u.date_joined, u.id) < (:joined::timestamptz, :id::uuid)', { joined: query.after.dateJoined, id: query.after.id });
    }
    const { entities, raw } = await page.getRawAndEntities<{ joined_text: string }>();
    const items = entities.slice(0, query.limit);
    const more = entities.length > query.limit;
    const last = items.at(-1);
    return {
      total,
      items,
      next: more && last ? { dateJoined: raw[items.length - 1].joined_text, id: last.id } : undefined,
    };
  }

  private async forget(id: string): Promise<void> {
    await this.cache.del(cacheKey(id));
  }
}

/** A users row (snake_case columns) as entity fields. */
/** The users column an identifier lives in. */
function columnOf(identifier: string): 'email' | 'phone' {
  return channelOf(identifier) === 'email' ? 'email' : 'phone';
}

function fromRow(row: Record<string, unknown>): Partial<User> {
  return {
    id: row.id as string,
    username: row.username as string | null,
    email: row.email as string | null,
    phone: row.phone as string | null,
    unverifiedEmail: row.unverified_email as string | null,
    googleSub: row.google_sub as string | null,
    firstName: row.first_name as string | null,
    lastName: row.last_name as string | null,
    isVerified: row.is_verified as boolean,
    isActive: row.is_active as boolean,
    roles: row.roles as User['roles'],
    profilePicture: row.profile_picture as string | null,
    dateJoined: row.date_joined as Date,
    lastLogin: row.last_login as Date | null,
    updatedAt: row.updated_at as Date,
  };
}

function asConflict(error: unknown): unknown {
  const constraint = uniqueViolation(error);
  if (constraint === 'UQ_users_username') return new UsernameTakenError();
  if (constraint !== undefined) return new IdentifierTakenError();
  return error;
}

function cacheKey(id: string): string {
  return `user:${id}`;
}
