import { Injectable } from '@nestjs/common';
import { UsersService } from '../users/users.service.js';
import { SessionsService } from './sessions.service.js';

/** Turning an account off: it can no longer sign in, and every session and access token it has dies now. */
@Injectable()
export class AccountStatusService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  async deactivate(userId: string): Promise<void> {
    await this.users.setActive(userId, false);
    await this.sessions.revokeAll(userId);
  }

  async reactivate(userId: string): Promise<void> {
    await this.users.setActive(userId, true);
  }
}
