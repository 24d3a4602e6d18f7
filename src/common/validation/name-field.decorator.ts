import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateBy, ValidateIf } from 'class-validator';
import { codePointName, hiddenCharacterInName } from './hidden-characters.js';

/**
 * An optional first or last name: trimmed, 1-100 characters, nothing hidden in it (a bidi override would
 * show another name than the one stored, a zero-width character a copy of someone else's). With `nullable`,
 * `null` is accepted too (it clears the name).
 */
export function NameField(options: { nullable?: boolean } = {}) {
  return applyDecorators(
    ApiProperty({ type: String, minLength: 1, maxLength: 100, required: false, nullable: options.nullable }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsOptional(),
    ...(options.nullable ? [ValidateIf((_: unknown, value: unknown) => value !== null)] : []),
    IsString(),
    Length(1, 100),
    VisibleText(),
  );
}

/** Refuses a string holding an invisible, control or bidirectional formatting character, naming it. */
function VisibleText(): PropertyDecorator {
  return ValidateBy({
    name: 'visibleText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || hiddenCharacterInName(value) === undefined,
      defaultMessage: (args) => {
        const hidden = typeof args?.value === 'string' ? hiddenCharacterInName(args.value) : undefined;
        return `${args?.property ?? 'the field'} must not contain invisible, control or bidirectional formatting characters${hidden ? ` (${codePointName(hidden)})` : ''}`;
      },
    },
  });
}
