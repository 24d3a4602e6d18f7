import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import type { Configuration } from '../config/configuration.js';
import { VerificationTokenStore } from './verification-token.store.js';

export class VerificationTokenInvalidError extends DomainError {
  constructor() {
    super(
      'VERIFICATION_TOKEN_INVALID',
      'The verification token is unknown, used, expired, or was issued for another identifier or purpose',
    );
  }
}

export interface IssuedVerificationToken {
  token: string;
  expiresInSeconds: number;
}

/**
 * Proof that someone just entered the right code for an identifier and purpose. Random, single-use,
 * stored only as a hash.
 */
@Injectable()
export class VerificationTokensService {
  private readonly ttlSeconds: number;
  private readonly logger = new Logger(VerificationTokensService.name);

  constructor(
    private readonly store: VerificationTokenStore,
    config: ConfigService<Configuration, true>,
  ) {
    this.ttlSeconds = config.getOrThrow('auth.verificationTokenTtlSeconds', { infer: true });
  }

  async issue(purpose: string, identifier: string): Promise<IssuedVerificationToken> {
    const token = `vt_${randomBytes(32).toString('base64url')}`;
    await this.store.save(hashToken(token), binding(purpose, identifier), this.ttlSeconds * 1000);
    return { token, expiresInSeconds: this.ttlSeconds };
  }

  /**
   * Consumes the token and runs `work` with it spent. If `work` fails, the token is put back for the rest
   * of its life, so a failed register or login (a taken username, a database outage) can be retried.
   */
  async spend<T>(token: string, purpose: string, identifier: string, work: () => Promise<T>): Promise<T> {
    const hash = hashToken(token);
    const bound = binding(purpose, identifier);
    const remainingMs = await this.store.take(hash, bound);
    if (remainingMs === undefined) throw new VerificationTokenInvalidError();
    try {
      return await work();
    } catch (error) {
      await this.store.restore(hash, bound, remainingMs).catch((restoreError: unknown) => {
        this.logger.warn(`A spent verification token could not be restored: ${String(restoreError)}`);
      });
      throw error;
    }
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function binding(purpose: string, identifier: string): string {
  return `${purpose}:${identifier}`;
}
