import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { TokenPairDto } from '../../auth/dto/session.dto.js';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';

export class GoogleStartQueryDto {
  /** Where the flow ends: one of GOOGLE_FRONTEND_URLS (the first when absent). */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  redirect_to?: string;
}

export class GoogleExchangeDto {
  /** The one-time code the callback put on the front-end URL. */
  @IsString()
  @Length(1, 200)
  code: string;
}

export class GoogleSignedInDto {
  success: true;

  /** True when this sign-in created the account. */
  created: boolean;

  user: UserResponseDto;

  tokens: TokenPairDto;
}

export class GoogleLinkStartedDto {
  /** Send the browser here; Google sends it back to the callback, which links the account. */
  authorization_url: string;
}

export class GoogleLinkedDto {
  success: true;

  user: UserResponseDto;
}
