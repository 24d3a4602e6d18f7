/** A command failed in a way the operator can fix; printed without a stack, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: CliExitCode,
  ) {
    super(message);
  }
}

export enum CliExitCode {
  BadInput = 2,
  NotFound = 3,
  Unavailable = 4,
}

/**
 * Checks required options here rather than with commander's `required`: commander exits on its own (with 1)
 * for a missing option of a subcommand, past the error handler and its exit codes.
 */
export function requireOptions<T extends object>(options: T | undefined, ...names: (keyof T & string)[]): T {
  const missing = names.filter((name) => options?.[name] === undefined);
  if (missing.length) {
    throw new CliError(`required option ${missing.map((m) => `--${m}`).join(', ')} not specified`, CliExitCode.BadInput);
  }
  return options!;
}
