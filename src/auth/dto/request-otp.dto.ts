import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { OTP_PURPOSES, OtpPurpose } from '../../otp/otp-purpose.js';

export class RequestOtpDto {
  @IdentifierField()
  identifier: string;

  @ApiProperty({ enum: OTP_PURPOSES, enumName: 'OtpPurpose', example: OtpPurpose.REGISTER })
  @IsEnum(OtpPurpose, { message: `purpose must be one of ${OTP_PURPOSES.join(', ')}` })
  purpose: OtpPurpose;
}
