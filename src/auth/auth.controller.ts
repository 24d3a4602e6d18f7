import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnauthenticatedError } from '../common/errors/domain-error.js';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { UsersService } from '../users/users.service.js';
import { Authenticated } from './decorators/authenticated.decorator.js';
import { CurrentUser, type AuthenticatedUser } from './decorators/current-user.decorator.js';
import { Public } from './decorators/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { SessionDto } from './dto/session.dto.js';
import { SignInService } from './sign-in.service.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly users: UsersService,
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
  login(@Body() dto: LoginDto): Promise<SessionDto> {
    return this.signIn.login(dto.identifier, dto.verification_token);
  }

  /** The signed-in user. */
  @Get('me')
  @ApiOperation({ summary: 'Who am I' })
  @ApiOkResponse({ type: UserResponseDto, description: 'The bare user object' })
  @Authenticated()
  async me(@CurrentUser() current: AuthenticatedUser): Promise<UserResponseDto> {
    const profile = await this.users.getProfile(current.id);
    if (!profile?.is_active) throw new UnauthenticatedError('The account behind this token no longer exists or is deactivated');
    return profile;
  }
}
