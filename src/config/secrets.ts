import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readOptional } from './env.js';

/**
 * Every variable holding a secret of this service, each needing its own value in production: one leaked
 * secret must not open the others. GOOGLE_CLIENT_SECRET is Google's, chosen by Google, and not checked.
 */
export const SECRET_VARIABLES = ['JWT_SECRET', 'JWT_KEYS_SECRET', 'OTP_HMAC_SECRET', 'METRICS_TOKEN', 'INTROSPECTION_SECRET'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

const HOW_TO_MAKE_ONE = 'make one with `openssl rand -hex 32`';

/**
 * Reads a signing secret. In production it must be set, random-looking (see strongSecretProblem) and unlike
 * every other secret. Elsewhere, when unset, a random secret is created once under the data directory, so
 * that development tokens survive a restart without any well-known default secret existing.
 */
export function readSecret(env: NodeJS.ProcessEnv, name: SecretVariable, nodeEnv: string, dataDir: string): string {
  const value = readOptional(env, name);
  if (value) {
    if (nodeEnv === 'production') checkProductionSecret(env, name, value);
    return value;
  }
  if (nodeEnv === 'production') throw new ConfigError(`${name} is required in production (${HOW_TO_MAKE_ONE})`);
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

/** An optional secret (METRICS_TOKEN): held to the production rules when it is set there. */
export function readOptionalSecret(env: NodeJS.ProcessEnv, name: SecretVariable, nodeEnv: string): string | undefined {
  const value = readOptional(env, name);
  if (value && nodeEnv === 'production') checkProductionSecret(env, name, value);
  return value;
}

/** A comma-separated list of secrets (INTROSPECTION_SECRET, several during a rotation), each held to the rules. */
export function readSecretList(env: NodeJS.ProcessEnv, name: SecretVariable, nodeEnv: string): string[] {
  const values = secretsOf(env, name);
  for (const value of values) {
    if (nodeEnv === 'production') checkProductionSecret(env, name, value);
    else if (value.length < 32) throw new ConfigError(`${name}: each secret must be at least 32 characters (${HOW_TO_MAKE_ONE})`);
  }
  return values;
}

/**
 * Why `value` is not a production secret, or undefined when it is one: at least 32 random bytes written as
 * hex (64+ characters) or base64/base64url (43+ characters, both cases of letters), with no run of 8
 * characters repeated, no long stretch of sequential or equal characters, the spread of characters a random
 * value has (Shannon entropy per character: a random hex string never scored under 3.28 in a million
 * draws, base64 never under 4.15), and no placeholder such as `change-me`. No rule proves a value random;
 * these refuse what people type instead of one (`abcdefghij` four times over, a phrase, a keyboard walk).
 */
export function strongSecretProblem(value: string): string | undefined {
  if (PLACEHOLDER.test(value)) return 'it looks like a placeholder';
  const hex = /^[0-9a-f]+$/i.test(value);
  const body = value.replace(/={1,2}$/, '');
  if (hex ? value.length < 64 : !/^[A-Za-z0-9+/_-]+$/.test(body) || body.length < 43) {
    return 'it must be at least 32 bytes written as hex (64+ characters) or base64 (43+ characters)';
  }
  if (!hex && !(/[A-Z]/.test(body) && /[a-z]/.test(body))) return 'it lacks upper- or lower-case letters, which base64 of random bytes always has';
  if (repeatsARun(body, 8)) return 'it repeats a run of characters';
  if (sequentialShare(body) > 0.6) return 'it is mostly sequential or repeated characters';
  if (shannonBitsPerCharacter(body) < (hex ? 3 : 3.8)) return 'its characters are too uneven to be random';
  return undefined;
}

const PLACEHOLDER = /change[-_ ]?me|placeholder|your[-_ ]?secret|<.*>/i;

function checkProductionSecret(env: NodeJS.ProcessEnv, name: SecretVariable, value: string): void {
  const problem = strongSecretProblem(value);
  if (problem) {
    // The message never quotes the value: configuration errors end up in logs.
    throw new ConfigError(
      `${name} must be at least 32 random bytes in production, as hex (64+ characters) or base64 (43+ characters): ${problem}; ${HOW_TO_MAKE_ONE}`,
    );
  }
  const twin = SECRET_VARIABLES.find((other) => other !== name && secretsOf(env, other).includes(value));
  if (twin) throw new ConfigError(`${name} must differ from ${twin}: each secret needs its own value (${HOW_TO_MAKE_ONE} for each)`);
}

/** The values of a secret variable: INTROSPECTION_SECRET holds a comma-separated list, the others one value. */
function secretsOf(env: NodeJS.ProcessEnv, name: SecretVariable): string[] {
  const raw = readOptional(env, name);
  if (!raw) return [];
  return name === 'INTROSPECTION_SECRET' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : [raw];
}

function repeatsARun(text: string, length: number): boolean {
  const seen = new Set<string>();
  for (let i = 0; i + length <= text.length; i++) {
    const run = text.slice(i, i + length);
    if (seen.has(run)) return true;
    seen.add(run);
  }
  return false;
}

/** The share of neighbouring characters that are equal or next to each other (`aa`, `ab`, `ba`, `12`). */
function sequentialShare(text: string): number {
  let steps = 0;
  for (let i = 1; i < text.length; i++) if (Math.abs(text.charCodeAt(i) - text.charCodeAt(i - 1)) <= 1) steps++;
  return steps / (text.length - 1);
}

function shannonBitsPerCharacter(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
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
