import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** The digits of a delivered code. A malformed one is a validation error and spends no attempt. */
export function OtpCodeField() {
  return applyDecorators(
    ApiProperty({ example: '123456', pattern: '^\\d{4,10}$', description: 'The code that was delivered.' }),
    IsString(),
    Matches(/^\d{4,10}$/, { message: 'otp must be the digits of the code' }),
  );
}
