/**
 * Typed readers for environment variables. This folder is the only place that reads `process.env`;
 * every problem is said with a message that names the variable: thrown at once, or, while
 * collectConfigProblems runs (at start-up), noted so that every problem is reported together.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** The problems noted by the collectConfigProblems running now, if one is. */
let collecting: string[] | undefined;

/**
 * Reports a configuration problem: throws it as a ConfigError, or, while collectConfigProblems runs, notes it
 * (once) and returns, so that the reader carries on with its default and reaches its other variables.
 */
export function configProblem(message: string): void {
  if (!collecting) throw new ConfigError(message);
  if (!collecting.includes(message)) collecting.push(message);
}

/**
 * Runs every reader and returns every problem they report, each once (readers share variables: most read
 * the app's), instead of stopping at the first. What they read is thrown away. A ConfigError thrown
 * outright ends that reader only; any other error propagates.
 */
export function collectConfigProblems(readers: readonly (() => unknown)[]): string[] {
  const outer = collecting;
  const problems: string[] = (collecting = []);
  try {
    for (const read of readers) {
      try {
        read();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        configProblem(error.message);
      }
    }
    return problems;
  } finally {
    collecting = outer;
  }
}

/**
 * Runs a read that throws its ConfigError outright (the secrets): while problems are being collected, the
 * error is noted and `fallback` returned, so the rest of the reader is still checked.
 */
export function orNoted<T>(read: () => T, fallback: T): T {
  if (!collecting) return read();
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configProblem(error.message);
    return fallback;
  }
}

export function readString(env: Env, name: string, fallback?: string): string {
  const raw = env[name]?.trim();
  if (raw) return raw;
  if (fallback !== undefined) return fallback;
  configProblem(`${name} is required`);
  return '';
}

export function readOptional(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

export function readInt(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^-?\d+$/.test(raw)) {
    configProblem(`${name} must be a whole number, got "${raw}"`);
    return fallback;
  }
  const value = Number(raw);
  if (value < range.min || value > range.max) {
    configProblem(`${name} must be between ${range.min} and ${range.max}, got ${value}`);
    return fallback;
  }
  return value;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  configProblem(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

export function readEnum<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    configProblem(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return fallback;
  }
  return raw as T;
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = readOptional(env, name);
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    configProblem(`${name} is not a valid URL`);
    return undefined;
  }
  if (!protocols.includes(url.protocol)) {
    configProblem(`${name} must use ${protocols.join(' or ')}, got ${url.protocol}`);
    return undefined;
  }
  return raw;
}
