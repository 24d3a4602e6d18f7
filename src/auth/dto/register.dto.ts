import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { IdentifierField } from '../../common/identifiers/identifier-field.decorator.js';
import { NameField } from '../../common/validation/name-field.decorator.js';

export class RegisterDto {
  @IdentifierField()
  identifier: string;

  /**
   * 3-30 characters of a-z, 0-9, `_` and `.`, starting with a letter; unique regardless of case
   * (stored lower-case).
   * @example "alice"
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Matches(/^[a-z][a-z0-9_.]{2,29}$/, {
    message: 'username must be 3-30 characters of a-z, 0-9, _ and ., starting with a letter',
  })
  username: string;

  /** From `POST /api/auth/otp/verify` with purpose REGISTER. */
  @IsString()
  @Length(1, 200)
  verification_token: string;

  /** @example "Alice" */
  @NameField()
  first_name?: string;

  /** @example "Rahman" */
  @NameField()
  last_name?: string;
}
