import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { OtpCodeField } from '../../common/validation/otp-code-field.decorator.js';
import { OTP_PURPOSES, OtpPurpose, type SignInPurpose } from '../../otp/otp-purpose.js';

export class VerifyOtpDto {
  @IdentifierField()
  identifier: string;

  @OtpCodeField()
  otp: string;

  @ApiProperty({ enum: OTP_PURPOSES, enumName: 'OtpPurpose', example: OtpPurpose.REGISTER })
  @IsIn(OTP_PURPOSES, { message: `purpose must be one of ${OTP_PURPOSES.join(', ')}` })
  purpose: SignInPurpose;
}
