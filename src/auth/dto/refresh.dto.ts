import { IsString, Length } from 'class-validator';

export class RefreshDto {
  /** The refresh token of the session. @example "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..." */
  @IsString()
  @Length(1, 4096)
  refresh: string;
}

export class SuccessDto {
  success: true;
}
