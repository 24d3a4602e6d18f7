import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error.js';

/**
 * Refuses a NUL character or a lone UTF-16 surrogate anywhere in a body or query: PostgreSQL cannot store
 * either in text, validators throw on the surrogate (a fresh-eyes review got 500s with `a@b.com\ud800`), and
 * neither has any business in a name, URL or search. Runs before validation, so nothing is spent.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const field = findUnfit(value, '');
    if (field !== undefined) {
      throw new ValidationFailedError(`${field || 'the request'} contains a NUL character or malformed Unicode`, [
        { field: field || metadata.type, message: 'NUL characters and lone surrogates are not accepted' },
      ]);
    }
    return value;
  }
}

/** A string with U+0000 or an unpaired surrogate (String.prototype.isWellFormed, ES2024). */
function unfit(text: string): boolean {
  return text.includes('\u0000') || !(text as string & { isWellFormed(): boolean }).isWellFormed();
}

function findUnfit(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return unfit(value) ? path : undefined;
  if (!value || typeof value !== 'object' || depth > 40) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = unfit(key) ? path : findUnfit(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
