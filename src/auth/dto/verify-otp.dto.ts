import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { OTP_PURPOSES, OtpPurpose, type SignInPurpose } from '../../otp/otp-purpose.js';

export class VerifyOtpDto {
  @IdentifierField()
  identifier: string;

  /** The code that was delivered. @example "123456" */
  @IsString()
  @Matches(/^\d{4,10}$/, { message: 'otp must be the digits of the code' })
  otp: string;

  @ApiProperty({ enum: OTP_PURPOSES, enumName: 'OtpPurpose', example: OtpPurpose.REGISTER })
  @IsIn(OTP_PURPOSES, { message: `purpose must be one of ${OTP_PURPOSES.join(', ')}` })
  purpose: SignInPurpose;
}
