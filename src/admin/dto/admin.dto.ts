import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NameField } from '../../common/validation/name-field.decorator.js';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../../audit/entities/audit-event.entity.js';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';
import { ROLES, type Role } from '../../users/entities/user.entity.js';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListUsersQueryDto {
  /** Page size, 1-100. @example 20 */
  @ApiProperty({ required: false, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(100)
  @IsInt()
  limit?: number;

  /** `next_cursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiProperty({ required: false, enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** Only active (`true`) or deactivated (`false`) users. */
  @ApiProperty({ required: false, type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;

  /** Prefix of the username, email or phone (E.164), e.g. `ali` or `+88017`. */
  @IsOptional()
  @IsString()
  @Length(1, 254)
  q?: string;
}

export class UserPageDto {
  /** How many users match the filters. */
  total: number;

  items: UserResponseDto[];

  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

export class AdminUpdateUserDto {
  @ApiProperty({ required: false, enum: ROLES, isArray: true, example: ['user', 'admin'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @NameField({ nullable: true })
  first_name?: string | null;

  @NameField({ nullable: true })
  last_name?: string | null;
}

export class AuditQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  limit?: number;

  /** Only events about this user. */
  @IsOptional()
  @IsUUID()
  user_id?: string;

  @ApiProperty({ required: false, enum: AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  /** `created_at` of the last event of the previous page: returns older events. */
  @ApiProperty({ required: false, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'before must be an ISO 8601 date-time' })
  @MaxLength(40)
  before?: string;
}

export class AuditEventDto {
  id: string;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES })
  type: AuditEventType;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  actor_id: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  subject_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class AuditPageDto {
  items: AuditEventDto[];
}

export class SuccessResponseDto {
  success: true;
}
