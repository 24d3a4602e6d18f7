import { Body, Controller, Get, HttpCode, HttpStatus, Ip, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { ValidationFailedError } from '../common/errors/domain-error.js';
import { Roles } from '../common/auth/roles.decorator.js';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { UserResponseDto } from '../users/dto/user-response.dto.js';
import { AdminService } from './admin.service.js';
import {
  AdminUpdateUserDto,
  AuditPageDto,
  AuditQueryDto,
  ListUsersQueryDto,
  SuccessResponseDto,
  UserPageDto,
} from './dto/admin.dto.js';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError('id must be a UUID', [{ field: 'id', message: 'id must be a UUID' }]),
});

@ApiTags('admin')
@Roles('admin')
@Controller('api/admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  /** Users, newest first, filtered by role, state and a prefix of username, email or phone. */
  @Get('users')
  @ApiOperation({ summary: 'List users' })
  @ApiOkResponse({ type: UserPageDto })
  listUsers(@Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return this.admin.listUsers(query);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrorResponses('ACCOUNT_NOT_FOUND')
  getUser(@Param('id', uuid) id: string): Promise<UserResponseDto> {
    return this.admin.getUser(id);
  }

  /** Roles, active state, names. Deactivating ends the user's sessions. Admins cannot lock themselves out. */
  @Patch('users/:id')
  @ApiOperation({ summary: 'Change a user' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrorResponses('ACCOUNT_NOT_FOUND', 'SELF_LOCKOUT')
  updateUser(
    @CurrentUser() current: AuthenticatedUser,
    @Ip() ip: string,
    @Param('id', uuid) id: string,
    @Body() dto: AdminUpdateUserDto,
  ): Promise<UserResponseDto> {
    return this.admin.updateUser({ id: current.id, ip }, id, dto);
  }

  /** Ends every session and access token of the user. */
  @Post('users/:id/revoke-sessions')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Revoke a user's sessions" })
  @ApiOkResponse({ type: SuccessResponseDto })
  @ApiErrorResponses('ACCOUNT_NOT_FOUND')
  async revokeSessions(@CurrentUser() current: AuthenticatedUser, @Ip() ip: string, @Param('id', uuid) id: string): Promise<SuccessResponseDto> {
    await this.admin.revokeSessions({ id: current.id, ip }, id);
    return { success: true };
  }

  /** The most recent security events, newest first. */
  @Get('audit')
  @ApiOperation({ summary: 'Audit trail' })
  @ApiOkResponse({ type: AuditPageDto })
  async audit(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return { items: await this.admin.auditTrail(query) };
  }
}
