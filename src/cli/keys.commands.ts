import { Command, CommandRunner } from 'nest-commander';
import type { SigningKey } from '../signing-keys/entities/signing-key.entity.js';
import { SigningKeysService, type RotationResult } from '../signing-keys/signing-keys.service.js';
import { KeyOperationError } from '../signing-keys/key-operation.error.js';
import { CliError, CliExitCode } from './cli-error.js';

@Command({ name: 'keys:list', description: "List the token signing keys: kid, algorithm, state and dates" })
export class KeysListCommand extends CommandRunner {
  constructor(private readonly keys: SigningKeysService) {
    super();
  }

  async run(): Promise<void> {
    const rows = (await this.keys.list()).map((key) =>
      [key.kid, key.algorithm, stateOf(key), date(key.createdAt), date(key.activatedAt), date(key.retiredAt ?? key.revokedAt), date(key.verifyUntil)].join('\t'),
    );
    process.stdout.write(['kid\talgorithm\tstate\tcreated\tsigning since\tstopped\tverifies until', ...rows].join('\n') + '\n');
  }
}

@Command({ name: 'keys:rotate', description: 'Sign with the staged key from now on; the current one verifies its tokens until they expire' })
export class KeysRotateCommand extends CommandRunner {
  constructor(private readonly keys: SigningKeysService) {
    super();
  }

  async run(): Promise<void> {
    const result = await asCliError(() => this.keys.rotate());
    process.stdout.write(describe(result));
    if (result.publishedForSeconds !== undefined && result.publishedForSeconds < 60) {
      process.stderr.write(
        'note: the new signing key was published only moments ago; verifiers whose JWKS cache predates it refetch\n' +
          'when they first see its kid. Waiting JWKS_MAX_AGE_SECONDS between rotations avoids even that.\n',
      );
    }
  }
}

@Command({ name: 'keys:revoke', arguments: '<kid>', description: 'Emergency: refuse every token the key signed, at once' })
export class KeysRevokeCommand extends CommandRunner {
  constructor(private readonly keys: SigningKeysService) {
    super();
  }

  async run([kid]: string[]): Promise<void> {
    const result = await asCliError(() => this.keys.revoke(kid));
    process.stdout.write(`revoked ${kid}: running instances refuse its tokens within JWT_KEYS_POLL_SECONDS\n`);
    if (result) process.stdout.write(describe(result));
  }
}

function describe(result: RotationResult): string {
  return [result.retired && `retired ${result.retired}`, `signing with ${result.active}`, result.next && `staged ${result.next}`].filter(Boolean).join('\n') + '\n';
}

function stateOf(key: SigningKey): string {
  if (key.state === 'retired' && key.verifyUntil && key.verifyUntil.getTime() <= Date.now()) return 'expired';
  return key.algorithm === 'HS256' ? `${key.state} (JWT_SECRET)` : key.state;
}

function date(value: Date | null): string {
  return value ? value.toISOString().replace(/\.\d+Z$/, 'Z') : '-';
}

async function asCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KeyOperationError) {
      throw new CliError(error.message, error.kind === 'not-found' ? CliExitCode.NotFound : CliExitCode.BadInput);
    }
    throw error;
  }
}
