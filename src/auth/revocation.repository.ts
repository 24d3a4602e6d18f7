import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TokenRevocation, type RevocationKind } from './entities/token-revocation.entity.js';
import type { UserRevocations } from './session.store.js';

export interface NewRevocation {
  kind: RevocationKind;
  /** Session id or jti; omitted for kind user. */
  tokenId?: string;
  revokedAt: Date;
  expiresAt: Date;
}

/** Expired rows swept by each write: more than a write adds, so the table stays the size of the live rows. */
const SWEEP = 20;

/** The token_revocations table: written before a revocation is answered, read when Redis has no record. */
@Injectable()
export class RevocationRepository {
  constructor(@InjectRepository(TokenRevocation) private readonly rows: Repository<TokenRevocation>) {}

  /**
   * Upserts the rows (a later cut-off or expiry wins), and sweeps a few expired rows of other users in passing
   * (never this user's: one statement must not delete a row it also upserts).
   */
  async record(userId: string, revocations: NewRevocation[]): Promise<void> {
    await this.rows.query(
      `WITH swept AS (
         DELETE FROM token_revocations WHERE (user_id, kind, token_id) IN (
           SELECT user_id, kind, token_id FROM token_revocations WHERE expires_at < now() AND user_id <> $1::uuid LIMIT ${SWEEP} FOR UPDATE SKIP LOCKED))
       INSERT INTO token_revocations (user_id, kind, token_id, revoked_at, expires_at)
       SELECT $1::uuid, kind, token_id, revoked_at, expires_at
       FROM unnest($2::varchar[], $3::varchar[], $4::timestamptz[], $5::timestamptz[]) AS r(kind, token_id, revoked_at, expires_at)
       ON CONFLICT (user_id, kind, token_id) DO UPDATE SET
         revoked_at = GREATEST(token_revocations.revoked_at, EXCLUDED.revoked_at),
         expires_at = GREATEST(token_revocations.expires_at, EXCLUDED.expires_at)`,
      [
        userId,
        revocations.map((r) => r.kind),
        revocations.map((r) => r.tokenId ?? ''),
        revocations.map((r) => r.revokedAt.toISOString()),
        revocations.map((r) => r.expiresAt.toISOString()),
      ],
    );
  }

  /** What still matters for the user: the rows that have not expired. */
  async load(userId: string): Promise<UserRevocations> {
    const rows = await this.rows.query<{ kind: RevocationKind; token_id: string; revoked_at: Date; expires_at: Date }[]>(
      `SELECT kind, token_id, revoked_at, expires_at FROM token_revocations WHERE user_id = $1 AND expires_at > now()`,
      [userId],
    );
    const found: UserRevocations = { sessions: [], accessTokens: [] };
    for (const row of rows) {
      const untilMs = new Date(row.expires_at).getTime();
      if (row.kind === 'user') {
        found.cutoffMs = new Date(row.revoked_at).getTime();
        found.cutoffUntilMs = untilMs;
      } else (row.kind === 'session' ? found.sessions : found.accessTokens).push({ id: row.token_id, untilMs });
    }
    return found;
  }
}
