import { Command, CommandRunner, Option } from 'nest-commander';
import { SessionsService } from '../auth/sessions.service.js';
import { OPERATOR_TOKEN_MAX_TTL_SECONDS } from '../config/auth.config.js';
import { UsersService } from '../users/users.service.js';
import { CliError, CliExitCode, requireOptions } from './cli-error.js';

interface Options {
  username: string;
  ttl: number;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_SECONDS = OPERATOR_TOKEN_MAX_TTL_SECONDS;

/** Prints an access token (only the token, on stdout) for Swagger UI's Authorize dialog or a script. */
@Command({ name: 'token:issue', description: 'Print an access token for a user (for Swagger UI)' })
export class TokenIssueCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  async run(_: string[], given?: Options): Promise<void> {
    const options = requireOptions(given, 'username');
    const user = await this.users.findByUsername(options.username);
    if (!user) throw new CliError(`no user with the username "${options.username}"`, CliExitCode.NotFound);
    if (!user.isActive) throw new CliError(`${user.username} is deactivated`, CliExitCode.BadInput);
    process.stdout.write(`${await this.sessions.issueAccessToken(user, options.ttl ?? 3600)}\n`);
  }

  @Option({ flags: '--username <username>', description: 'whose token' })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '--ttl <duration>', description: 'life of the token: 90s, 30m, 1h (default), 7d at most' })
  parseTtl(value: string): number {
    const match = /^(\d+)([smhd])$/.exec(value.trim());
    const seconds = match ? Number(match[1]) * UNITS[match[2]] : NaN;
    if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
      throw new CliError(`--ttl: expected a duration like 30m, 1h or 7d (at most 7d), got "${value}"`, CliExitCode.BadInput);
    }
    return seconds;
  }
}
