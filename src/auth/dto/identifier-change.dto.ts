import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { OtpCodeField } from '../../common/validation/otp-code-field.decorator.js';

export class RequestIdentifierChangeDto {
  /** The new email or phone. A code goes there; the account moves to it once the code is entered. */
  @IdentifierField()
  identifier: string;
}

export class ConfirmIdentifierChangeDto {
  @IdentifierField()
  identifier: string;

  @OtpCodeField()
  otp: string;
}

export class CodeSentDto {
  success: true;

  /** @example "OTP sent successfully" */
  message: string;

  /** The new identifier, canonical. @example "new@example.com" */
  identifier: string;

  /** @example 120 */
  expires_in_seconds: number;

  /** @example 60 */
  resend_in_seconds: number;

  /** Only with OTP_DEBUG_ECHO (never in production). */
  otp?: string;
}
