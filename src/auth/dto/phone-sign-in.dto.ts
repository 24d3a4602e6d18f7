import { IsOptional } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { OtpCodeField } from '../../common/validation/otp-code-field.decorator.js';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';
import { NameField } from '../../common/validation/name-field.decorator.js';
import { TokenPairDto } from './session.dto.js';

export class SendPhoneOtpDto {
  @IdentifierField('phone')
  phone: string;
}

export class PhoneOtpSentDto {
  success: true;

  /** @example "OTP sent successfully" */
  message: string;

  /** E.164. @example "+8801719159900" */
  phone: string;

  /** @example 120 */
  expires_in_seconds: number;

  /** @example 60 */
  resend_in_seconds: number;

  /** Only with OTP_DEBUG_ECHO (never in production). */
  otp?: string;
}

export class VerifyPhoneOtpDto {
  @IdentifierField('phone')
  phone: string;

  @OtpCodeField()
  otp: string;

  /** Applied only when the account is created. @example "Alice" */
  @NameField()
  first_name?: string;

  /** Applied only when the account is created. @example "Rahman" */
  @NameField()
  last_name?: string;

  /** Kept as `unverified_email` when the account is created; it is not an identifier until proven. */
  @IdentifierField('email', { required: false })
  @IsOptional()
  email?: string;
}

export class PhoneSignedInDto {
  success: true;

  /** @example "Login successful" */
  message: string;

  /** True when this sign-in created the account. */
  created: boolean;

  user: UserResponseDto;

  tokens: TokenPairDto;
}
