import { ApiProperty } from '@nestjs/swagger';
import { OTP_PURPOSES, OtpPurpose, type SignInPurpose } from '../../otp/otp-purpose.js';

export class OtpRequestedDto {
  success: true;

  /** @example "OTP sent successfully" */
  message: string;

  /** The identifier in canonical form. @example "test@example.com" */
  identifier: string;

  @ApiProperty({ enum: OTP_PURPOSES, enumName: 'OtpPurpose', example: OtpPurpose.REGISTER })
  purpose: SignInPurpose;

  @ApiProperty({ enum: ['email', 'sms'], example: 'email' })
  channel: 'email' | 'sms';

  /** @example 120 */
  expires_in_seconds: number;

  /** When a new code may be requested. @example 60 */
  resend_in_seconds: number;

  /** The code itself: only when OTP_DEBUG_ECHO is on (never in production). @example "123456" */
  otp?: string;
}
