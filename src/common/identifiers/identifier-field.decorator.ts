import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MAX_IDENTIFIER_LENGTH, type IdentifierKind } from './identifier.js';

const IDENTIFIER_FIELDS = Symbol('identifier-fields');

export interface IdentifierFieldMeta {
  property: string;
  kind: IdentifierKind;
}

const EXAMPLES: Record<IdentifierKind, string> = {
  email: 'test@example.com',
  phone: '01719159900',
  'email-or-phone': 'test@example.com',
};

const DESCRIPTIONS: Record<IdentifierKind, string> = {
  email: 'An email address; stored trimmed and lower-cased.',
  phone:
    'A phone number, international (`+8801719159900`, `008801719159900`) or national in the default region (`01719159900`); stored in E.164.',
  'email-or-phone':
    'An email address or a phone number. Emails are trimmed and lower-cased; phones are read with the default region when they have no country code and stored in E.164.',
};

/**
 * A field holding an email and/or phone. Validated as a string here; the global
 * CanonicalIdentifiersPipe then replaces it with its canonical form or answers INVALID_IDENTIFIER.
 */
export function IdentifierField(kind: IdentifierKind = 'email-or-phone', options: { required?: boolean } = {}) {
  const required = options.required ?? true;
  const register: PropertyDecorator = (target, property) => {
    const fields = (Reflect.getOwnMetadata(IDENTIFIER_FIELDS, target.constructor) as IdentifierFieldMeta[] | undefined) ?? [];
    Reflect.defineMetadata(IDENTIFIER_FIELDS, [...fields, { property: String(property), kind }], target.constructor);
  };
  return applyDecorators(
    ApiProperty({ example: EXAMPLES[kind], description: DESCRIPTIONS[kind], maxLength: MAX_IDENTIFIER_LENGTH, required }),
    IsString(),
    MaxLength(MAX_IDENTIFIER_LENGTH),
    register,
  );
}

export function identifierFieldsOf(type: unknown): IdentifierFieldMeta[] {
  return typeof type === 'function' ? ((Reflect.getMetadata(IDENTIFIER_FIELDS, type) as IdentifierFieldMeta[] | undefined) ?? []) : [];
}
