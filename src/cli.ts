import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliError, CliExitCode } from './cli/cli-error.js';
import { CliModule } from './cli/cli.module.js';
import { checkConfiguration } from './config/configuration.js';
import { ConfigError } from './config/env.js';
import { asPostgresUnavailable, asRedisUnavailable } from './common/errors/unavailable.js';
import { DomainError } from './common/errors/domain-error.js';

/**
 * The operator's command line: `npm run -s cli -- <command> [options]`.
 * Exit codes: 0 done, 1 unexpected, 2 bad input, 3 not found, 4 a dependency is unreachable.
 */
function fail(error: unknown): never {
  // commander has already printed its own usage errors (unknown command, missing option)
  const commanderCode = (error as { code?: unknown })?.code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    process.exit(commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? 0 : CliExitCode.BadInput);
  }
  const [message, code] =
    error instanceof CliError
      ? [error.message, error.exitCode]
      : error instanceof ConfigError
        ? [`configuration: ${error.message}`, CliExitCode.BadInput]
        : asPostgresUnavailable(error) || asRedisUnavailable(error)
          ? [`${(asPostgresUnavailable(error) ?? asRedisUnavailable(error))!.message}`, CliExitCode.Unavailable]
          : error instanceof DomainError
            ? [error.message, error.code === 'SERVICE_UNAVAILABLE' ? CliExitCode.Unavailable : CliExitCode.BadInput]
            : [error instanceof Error ? error.message : String(error), 1];
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

try {
  checkConfiguration();
} catch (error) {
  fail(error);
}

CommandFactory.run(CliModule, {
  // Failures are reported once, by fail(), without framework noise.
  logger: false,
  abortOnError: false,
  errorHandler: fail,
  serviceErrorHandler: fail,
})
  .then(() => process.exit(0))
  .catch(fail);
