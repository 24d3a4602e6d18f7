import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateIf } from 'class-validator';

/**
 * An optional first or last name: trimmed, 1-100 characters. With `nullable`, `null` is accepted too
 * (it clears the name).
 */
export function NameField(options: { nullable?: boolean } = {}) {
  return applyDecorators(
    ApiProperty({ type: String, minLength: 1, maxLength: 100, required: false, nullable: options.nullable }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsOptional(),
    ...(options.nullable ? [ValidateIf((_: unknown, value: unknown) => value !== null)] : []),
    IsString(),
    Length(1, 100),
  );
}
