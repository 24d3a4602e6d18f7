import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readOptional } from './env.js';

const MIN_SECRET_LENGTH = 32;
/** Values people paste from examples; a random secret never contains these, nor repeats few characters. */
const PLACEHOLDER = /change[-_ ]?me|placeholder|your[-_ ]?secret|<.*>/i;
const MIN_DISTINCT_CHARACTERS = 10;

/**
 * Reads a signing secret. In production it must be set, long and not a placeholder.
 * Elsewhere, when unset, a random secret is created once under the data directory, so that
 * development tokens survive a restart without any well-known default secret existing.
 */
export function readSecret(env: NodeJS.ProcessEnv, name: string, nodeEnv: string, dataDir: string): string {
  const value = readOptional(env, name);
  if (value) {
    if (nodeEnv === 'production' && !looksRandom(value)) {
      throw new ConfigError(`${name} must be a random value of at least ${MIN_SECRET_LENGTH} characters in production`);
    }
    return value;
  }
  if (nodeEnv === 'production') throw new ConfigError(`${name} is required in production`);
  return developmentSecret(name, dataDir);
}

/**
 * A secret given in the environment, or one development generated earlier under the data directory; never a
 * new one (JWT_SECRET under an asymmetric algorithm: it only verifies tokens it signed before a switch).
 */
export function readExistingSecret(env: NodeJS.ProcessEnv, name: string, dataDir: string): string | undefined {
  return readOptional(env, name) ?? readDevelopmentSecrets(dataDir)[name];
}

function readDevelopmentSecrets(dataDir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function developmentSecret(name: string, dataDir: string): string {
  const file = join(dataDir, 'dev-secrets.json');
  const secrets = readDevelopmentSecrets(dataDir);
  if (!secrets[name]) {
    secrets[name] = randomBytes(32).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name];
}

function looksRandom(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && !PLACEHOLDER.test(value) && new Set(value).size >= MIN_DISTINCT_CHARACTERS;
}
