import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role, type User } from '../entities/user.entity.js';

/** A user as the API shows it. `null` stands for what is not known. */
export class UserResponseDto {
  /** @example "0f8fad5b-d9cb-469f-a165-70867728950e" */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** @example "alice" */
  @ApiProperty({ type: String, nullable: true })
  username: string | null;

  /** @example "test@example.com" */
  @ApiProperty({ type: String, nullable: true })
  email: string | null;

  /** E.164. @example "+8801719159900" */
  @ApiProperty({ type: String, nullable: true })
  phone: string | null;

  /**
   * An email given at phone sign-in without proof. It is not used to sign in or to send codes until it is
   * proven through `POST /api/users/me/identifier` (an addition to the contract's user object).
   */
  @ApiProperty({ type: String, nullable: true })
  unverified_email: string | null;

  /** @example "Alice" */
  @ApiProperty({ type: String, nullable: true })
  first_name: string | null;

  /** @example "Rahman" */
  @ApiProperty({ type: String, nullable: true })
  last_name: string | null;

  /** True once an identifier of this user was proven by a code. */
  is_verified: boolean;

  is_active: boolean;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['user'] })
  roles: Role[];

  @ApiProperty({ type: String, nullable: true, format: 'uri' })
  profile_picture: string | null;

  @ApiProperty({ format: 'date-time' })
  date_joined: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_login: string | null;
}

export function toUserResponse(user: User): UserResponseDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    phone: user.phone,
    unverified_email: user.unverifiedEmail,
    first_name: user.firstName,
    last_name: user.lastName,
    is_verified: user.isVerified,
    is_active: user.isActive,
    roles: user.roles,
    profile_picture: user.profilePicture,
    date_joined: user.dateJoined.toISOString(),
    last_login: user.lastLogin?.toISOString() ?? null,
  };
}
