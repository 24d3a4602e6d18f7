import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

/** A person's first or last name: trimmed, 1-100 characters. */
export function NameField() {
  return applyDecorators(
    ApiProperty({ type: String, minLength: 1, maxLength: 100, required: false }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, 100),
  );
}
