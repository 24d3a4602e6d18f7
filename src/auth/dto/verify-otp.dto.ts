import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsString, Matches } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { OTP_PURPOSES, OtpPurpose } from '../../otp/otp-purpose.js';

export class VerifyOtpDto {
  @IdentifierField()
  identifier: string;

  /** The code that was delivered. @example "123456" */
  @IsString()
  @Matches(/^\d{4,10}$/, { message: 'otp must be the digits of the code' })
  otp: string;

  @ApiProperty({ enum: OTP_PURPOSES, enumName: 'OtpPurpose', example: OtpPurpose.REGISTER })
  @IsEnum(OtpPurpose, { message: `purpose must be one of ${OTP_PURPOSES.join(', ')}` })
  purpose: OtpPurpose;
}
