import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth/authenticated.decorator.js';
import { CurrentUser, type AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { CodeSentDto, ConfirmIdentifierChangeDto, RequestIdentifierChangeDto } from './dto/identifier-change.dto.js';
import { IdentifierChangeService } from './identifier-change.service.js';
import { IpLimit } from '../rate-limits/ip-limit.guard.js';

@ApiTags('users')
@Controller('api/users/me/identifier')
export class IdentifierChangeController {
  constructor(private readonly change: IdentifierChangeService) {}

  /** Sends a code to a new email or phone for this account (purpose CHANGE_IDENTIFIER). */
  @Post()
  @IpLimit('otp-request')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Start changing my email or phone' })
  @ApiOkResponse({ type: CodeSentDto })
  @Authenticated('INVALID_IDENTIFIER', 'RATE_LIMITED')
  request(@CurrentUser() current: AuthenticatedUser, @Body() dto: RequestIdentifierChangeDto): Promise<CodeSentDto> {
    return this.change.request(current.id, dto.identifier);
  }

  /** Enters the code: the account moves to the new identifier and the old one is told. */
  @Post('verify')
  @IpLimit('otp-verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm my new email or phone' })
  @ApiOkResponse({ type: UserResponseDto, description: 'The bare user object, changed' })
  @Authenticated('INVALID_IDENTIFIER', 'OTP_INVALID', 'OTP_EXPIRED', 'OTP_ATTEMPTS_EXCEEDED', 'RATE_LIMITED', 'IDENTIFIER_TAKEN')
  confirm(@CurrentUser() current: AuthenticatedUser, @Body() dto: ConfirmIdentifierChangeDto): Promise<UserResponseDto> {
    return this.change.confirm(current.id, dto.identifier, dto.otp);
  }
}
