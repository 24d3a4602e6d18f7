import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NameField } from '../../common/validation/name-field.decorator.js';

/** Fields a user may change; `null` clears a name or the picture, an absent field stays as it is. */
export class UpdateProfileDto {
  /** @example "Alice" */
  @NameField({ nullable: true })
  first_name?: string | null;

  /** @example "Rahman" */
  @NameField({ nullable: true })
  last_name?: string | null;

  /** 3-30 characters of a-z, 0-9, `_` and `.`, starting with a letter; stored lower-case. @example "alice" */
  @ApiProperty({ required: false, pattern: '^[a-z][a-z0-9_.]{2,29}$' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  // Absent leaves it as it is; null is refused (a username can be changed, not cleared).
  @ValidateIf((_, value) => value !== undefined)
  @IsString({ message: 'username must be a string; it can be changed but not cleared' })
  @Matches(/^[a-z][a-z0-9_.]{2,29}$/, {
    message: 'username must be 3-30 characters of a-z, 0-9, _ and ., starting with a letter',
  })
  username?: string;

  /** An https (or http) URL of a picture. @example "https://cdn.example.com/u/alice.png" */
  @ApiProperty({ type: String, nullable: true, required: false, format: 'uri', maxLength: 2048 })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'profile_picture must be an http(s) URL' })
  profile_picture?: string | null;
}
