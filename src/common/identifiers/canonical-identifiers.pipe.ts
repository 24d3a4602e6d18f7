import { Injectable, PipeTransform, type ArgumentMetadata } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Configuration } from '../../config/configuration.js';
import { InvalidIdentifierError } from '../errors/domain-error.js';
import { identifierFieldsOf } from './identifier-field.decorator.js';
import { parseIdentifier } from './identifier.js';

/**
 * Runs after validation on every body and query: each `@IdentifierField()` is replaced by its canonical
 * form, so nothing behind the controllers ever sees a raw identifier.
 */
@Injectable()
export class CanonicalIdentifiersPipe implements PipeTransform {
  private readonly region: string;
  private readonly smsCountries: string[];

  constructor(config: ConfigService<Configuration, true>) {
    this.region = config.getOrThrow('app.phoneDefaultRegion', { infer: true });
    this.smsCountries = config.getOrThrow('notifications.smsAllowedCountries', { infer: true });
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom' || !value || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    for (const { property, kind } of identifierFieldsOf(metadata.metatype)) {
      const raw = record[property];
      if (typeof raw !== 'string') continue;
      const parsed = parseIdentifier(raw, kind, this.region, this.smsCountries);
      if (!parsed.ok) throw new InvalidIdentifierError(property, `${property}: ${parsed.reason}`);
      record[property] = parsed.value;
    }
    return value;
  }
}
