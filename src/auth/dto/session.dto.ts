import { UserResponseDto } from '../../users/dto/user-response.dto.js';

export class TokenPairDto {
  /** Access JWT for `Authorization: Bearer`. @example "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..." */
  access: string;

  /** Refresh JWT, spent when used. @example "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..." */
  refresh: string;
}

export class SessionDto {
  success: true;

  user: UserResponseDto;

  tokens: TokenPairDto;
}
