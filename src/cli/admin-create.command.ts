import { ConfigService } from '@nestjs/config';
import { Command, CommandRunner, Option } from 'nest-commander';
import { AuditService } from '../audit/audit.service.js';
import { parseIdentifier } from '../common/identifiers/identifier.js';
import type { Configuration } from '../config/configuration.js';
import { UsersService } from '../users/users.service.js';
import { CliError, CliExitCode, requireOptions } from './cli-error.js';

interface Options {
  identifier: string;
  username: string;
}

@Command({ name: 'admin:create', description: 'Create an admin, or make an existing user an admin' })
export class AdminCreateCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Configuration, true>,
  ) {
    super();
  }

  async run(_: string[], given?: Options): Promise<void> {
    const options = requireOptions(given, 'identifier', 'username');
    const parsed = parseIdentifier(
      options.identifier,
      'email-or-phone',
      this.config.getOrThrow('app.phoneDefaultRegion', { infer: true }),
      this.config.getOrThrow('notifications.smsAllowedCountries', { infer: true }),
    );
    if (!parsed.ok) throw new CliError(`--identifier: ${parsed.reason}`, CliExitCode.BadInput);
    const username = options.username.trim().toLowerCase();
    if (!/^[a-z][a-z0-9_.]{2,29}$/.test(username)) {
      throw new CliError('--username: 3-30 characters of a-z, 0-9, _ and ., starting with a letter', CliExitCode.BadInput);
    }
    const existing = await this.users.findByIdentifier(parsed.value);
    if (existing?.roles.includes('admin')) {
      process.stdout.write(`${existing.username ?? existing.id} is already an admin\n`);
      return;
    }
    if (existing) {
      if (existing.username !== username) {
        process.stderr.write(`note: ${options.identifier} belongs to ${existing.username ?? 'an account without a username'}; --username is not applied\n`);
      }
      await this.users.addRole(existing.id, 'admin');
      await this.audit.recordStrictly({ type: 'role_changed', subjectId: existing.id, ip: 'cli', details: { added: 'admin' } });
      process.stdout.write(`${existing.username ?? existing.id} is now an admin\n`);
      return;
    }
    const user = await this.users.create({ identifier: parsed.value, username, roles: ['user', 'admin'], byOperator: true });
    await this.audit.recordStrictly({ type: 'role_changed', subjectId: user.id, ip: 'cli', details: { to: user.roles } });
    process.stdout.write(`created admin ${username} (${user.id})\n`);
  }

  @Option({ flags: '--identifier <identifier>', description: 'email or phone of the admin' })
  parseIdentifier(value: string): string {
    return value;
  }

  @Option({ flags: '--username <username>', description: 'username of a new admin' })
  parseUsername(value: string): string {
    return value;
  }
}
