import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth/authenticated.decorator.js';
import { CurrentUser, type AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { UsernameChangeLimit } from './username-change.limit.js';
import { UsersService } from './users.service.js';

/** The signed-in user's profile, at /api/users/me and at the first specification's /api/users/profile/. */
@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly usernameChanges: UsernameChangeLimit,
  ) {}

  @Get(['me', 'profile'])
  @ApiOperation({ summary: 'My profile' })
  @ApiOkResponse({ type: UserResponseDto, description: 'The bare user object' })
  @Authenticated()
  get(@CurrentUser() current: AuthenticatedUser): UserResponseDto {
    return current.profile;
  }

  @Patch(['me', 'profile'])
  @ApiOperation({ summary: 'Change my names, username or picture' })
  @ApiOkResponse({ type: UserResponseDto, description: 'The bare user object, changed' })
  @Authenticated('USERNAME_TAKEN', 'RATE_LIMITED')
  async update(@CurrentUser() current: AuthenticatedUser, @Body() dto: UpdateProfileDto): Promise<UserResponseDto> {
    // Only a different username is counted: a form that sends the unchanged one with every save spends nothing.
    if (dto.username !== undefined && dto.username !== current.profile.username) await this.usernameChanges.count(current.id);
    return this.users.updateProfile(current.id, {
      username: dto.username,
      firstName: dto.first_name,
      lastName: dto.last_name,
      profilePicture: dto.profile_picture,
    });
  }
}
