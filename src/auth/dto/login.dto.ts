import { IsString, Length } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';

export class LoginDto {
  @IdentifierField()
  identifier: string;

  /** From `POST /api/auth/otp/verify` with purpose LOGIN. */
  @IsString()
  @Length(1, 200)
  verification_token: string;
}
