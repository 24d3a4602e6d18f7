import { Command, CommandRunner, Option } from 'nest-commander';
import { AuditService } from '../audit/audit.service.js';
import { SessionsService } from '../auth/sessions.service.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { UsersService } from '../users/users.service.js';
import { CliError, CliExitCode, requireOptions } from './cli-error.js';

@Command({ name: 'users:list', description: 'List users, newest first' })
export class UsersListCommand extends CommandRunner {
  constructor(private readonly users: UsersService) {
    super();
  }

  async run(_: string[], options: { limit?: number }): Promise<void> {
    const page = await this.users.list({ limit: options.limit ?? 50 });
    const rows = page.items.map((u) =>
      [u.id, u.username ?? '-', u.email ?? u.phone ?? '-', u.roles.join(','), u.isActive ? 'active' : 'deactivated'].join('\t'),
    );
    process.stdout.write(['id\tusername\tidentifier\troles\tstate', ...rows, `(${page.items.length} of ${page.total})`].join('\n') + '\n');
  }

  @Option({ flags: '--limit <n>', description: 'how many, 1-100 (50)' })
  parseLimit(value: string): number {
    const limit = Number(value);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError('--limit: a whole number from 1 to 100', CliExitCode.BadInput);
    return limit;
  }
}

@Command({ name: 'users:deactivate', description: 'Deactivate a user and end all their sessions' })
export class UsersDeactivateCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly redis: RedisConnection,
  ) {
    super();
  }

  async run(_: string[], given?: { username: string }): Promise<void> {
    const options = requireOptions(given, 'username');
    const user = await this.users.findByUsername(options.username);
    if (!user) throw new CliError(`no user with the username "${options.username}"`, CliExitCode.NotFound);
    await this.users.setActive(user.id, false);
    await this.sessions.revokeAll(user.id);
    await this.audit.recordStrictly({ type: 'user_deactivated', subjectId: user.id, ip: 'cli' });
    process.stdout.write(`${user.username} is deactivated; their sessions have ended\n`);
    if (!this.redis.client) {
      process.stderr.write(
        'note: without REDIS_URL, a running server keeps sessions and its user cache in its own memory, so it\n' +
          'still honours this user\'s tokens until it restarts; use PATCH /api/admin/users/:id there instead.\n',
      );
    }
  }

  @Option({ flags: '--username <username>', description: 'who' })
  parseUsername(value: string): string {
    return value;
  }
}
