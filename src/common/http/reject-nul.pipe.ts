import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../errors/domain-error.js';

/**
 * Refuses a NUL character anywhere in a body or query: PostgreSQL cannot store one in text, and it has no
 * business in a name, URL or search. Runs before validation, so nothing is spent (no code, no token).
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const field = findNul(value, '');
    if (field !== undefined) {
      throw new ValidationFailedError(`${field || 'the request'} contains a NUL character`, [
        { field: field || metadata.type, message: 'NUL characters are not accepted' },
      ]);
    }
    return value;
  }
}

function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (!value || typeof value !== 'object' || depth > 40) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = key.includes('\u0000') ? path : findNul(inner, path ? `${path}.${key}` : key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
