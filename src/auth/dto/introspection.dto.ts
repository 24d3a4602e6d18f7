import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

/** RFC 7662 section 2.1, as JSON or `application/x-www-form-urlencoded`. */
export class IntrospectDto {
  /** The access token to check. @example "eyJhbGciOiJFUzI1NiIsImtpZCI6InAzWTFjUVc2djJzUXE4bTBjM2tSOXlxNFpWYm1wbUoyTTVsQzBZdDloR1EiLCJ0eXAiOiJhdCtqd3QifQ..." */
  @IsString()
  @Length(1, 8192)
  token: string;

  /** Optional (RFC 7662): only access tokens are ever reported active. */
  @IsOptional()
  @IsIn(['access_token', 'refresh_token'])
  token_type_hint?: 'access_token' | 'refresh_token';
}

/** `{active: false}` alone for any token that is not a live access token (RFC 7662 section 2.2). */
export class IntrospectionDto {
  active: boolean;

  @ApiProperty({ required: false, example: 'access_token' })
  token_type?: 'access_token';

  @ApiProperty({ required: false, example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  sub?: string;

  /** The user's roles now (not when the token was issued). */
  @ApiProperty({ required: false, example: ['user'] })
  roles?: string[];

  @ApiProperty({ required: false, nullable: true, example: 'alice' })
  username?: string | null;

  @ApiProperty({ required: false, example: 1796529600 })
  exp?: number;

  @ApiProperty({ required: false, example: 1796526000 })
  iat?: number;

  @ApiProperty({ required: false, example: '3b241101-e2bb-4255-8caf-4136c566a962' })
  jti?: string;

  @ApiProperty({ required: false, example: 'https://auth.example.com' })
  iss?: string;

  @ApiProperty({ required: false, example: 'https://api.example.com' })
  aud?: string;
}
