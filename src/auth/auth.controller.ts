import { Body, Controller, Ip, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { RefreshDto, SuccessDto } from './dto/refresh.dto.js';
import { SessionsService } from './sessions.service.js';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { Authenticated } from '../common/auth/authenticated.decorator.js';
import { CurrentUser, type AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { Public } from '../common/auth/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { SessionDto, TokenPairDto } from './dto/session.dto.js';
import { SignInService } from './sign-in.service.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionsService,
  ) {}

  /** Creates the account of a verified identifier and signs it in. */
  @Public()
  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Register with a REGISTER verification token' })
  @ApiCreatedResponse({ type: SessionDto })
  @ApiErrorResponses('INVALID_IDENTIFIER', 'VERIFICATION_TOKEN_INVALID', 'IDENTIFIER_TAKEN', 'USERNAME_TAKEN')
  register(@Body() dto: RegisterDto): Promise<SessionDto> {
    return this.signIn.register(dto);
  }

  /** Signs in the account of a verified identifier. */
  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in with a LOGIN verification token' })
  @ApiOkResponse({ type: SessionDto })
  @ApiErrorResponses('INVALID_IDENTIFIER', 'VERIFICATION_TOKEN_INVALID', 'ACCOUNT_NOT_FOUND', 'ACCOUNT_DISABLED')
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<SessionDto> {
    return this.signIn.login(dto.identifier, dto.verification_token, ip);
  }

  /** The signed-in user. */
  @Get('me')
  @ApiOperation({ summary: 'Who am I' })
  @ApiOkResponse({ type: UserResponseDto, description: 'The bare user object' })
  @Authenticated()
  me(@CurrentUser() current: AuthenticatedUser): UserResponseDto {
    return current.profile;
  }

  /**
   * Rotates the refresh token: returns a new pair and spends the old token. The same token presented again
   * within the grace window (parallel tabs) gets the same new pair; any other reuse ends the session.
   */
  @Public()
  @Post('token/refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Refresh the tokens' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrorResponses('UNAUTHENTICATED')
  refresh(@Body() dto: RefreshDto, @Ip() ip: string): Promise<TokenPairDto> {
    return this.sessions.refresh(dto.refresh, ip);
  }

  /** Ends the session of the refresh token and kills the access token of this request. */
  @Post('logout')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log out of this session' })
  @ApiOkResponse({ type: SuccessDto })
  @Authenticated()
  async logout(@CurrentUser() current: AuthenticatedUser, @Body() dto: RefreshDto): Promise<SuccessDto> {
    await this.sessions.logout(current, dto.refresh);
    return { success: true };
  }

  /** Ends every session of the user and kills every access token issued so far. */
  @Post('logout-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log out everywhere' })
  @ApiOkResponse({ type: SuccessDto })
  @Authenticated()
  async logoutAll(@CurrentUser() current: AuthenticatedUser): Promise<SuccessDto> {
    await this.sessions.revokeAll(current.id);
    return { success: true };
  }
}
