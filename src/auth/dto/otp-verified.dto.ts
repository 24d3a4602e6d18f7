import { ApiProperty } from '@nestjs/swagger';
import { OTP_PURPOSES, OtpPurpose, type SignInPurpose } from '../../otp/otp-purpose.js';

export class OtpVerifiedDto {
  success: true;

  /** Single use; bound to the identifier and purpose. @example "vt_Jq3b0n6rS1x9..." */
  verification_token: string;

  @ApiProperty({ enum: OTP_PURPOSES, enumName: 'OtpPurpose', example: OtpPurpose.REGISTER })
  purpose: SignInPurpose;

  /** @example 600 */
  expires_in_seconds: number;
}
