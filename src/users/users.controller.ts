import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../common/auth/authenticated.decorator.js';
import { CurrentUser, type AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { UsersService } from './users.service.js';

/** The signed-in user's profile, at /api/users/me and at the first specification's /api/users/profile/. */
@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

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
  @Authenticated('USERNAME_TAKEN')
  async update(@CurrentUser() current: AuthenticatedUser, @Body() dto: UpdateProfileDto): Promise<UserResponseDto> {
    return this.users.updateProfile(current.id, {
      username: dto.username,
      firstName: dto.first_name,
      lastName: dto.last_name,
      profilePicture: dto.profile_picture,
    });
  }
}
