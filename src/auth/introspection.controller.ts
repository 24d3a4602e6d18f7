import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { IntrospectDto, IntrospectionDto } from './dto/introspection.dto.js';
import { IntrospectionSecretGuard } from './guards/introspection-secret.guard.js';
import { IntrospectionService } from './introspection.service.js';

export const INTROSPECTION_PATH = '/api/auth/introspect';

@ApiTags('auth')
@Controller('api/auth')
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  /**
   * For resource servers that must see revocations at once (RFC 7662). Authenticated with
   * `Authorization: Bearer <one of INTROSPECTION_SECRET>`, not with a user's token.
   */
  @Public()
  @UseGuards(IntrospectionSecretGuard)
  @Post('introspect')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'introspectToken', summary: 'Is this access token live? (RFC 7662)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: IntrospectDto })
  @ApiOkResponse({ type: IntrospectionDto })
  @ApiErrorResponses('UNAUTHENTICATED')
  introspect(@Body() dto: IntrospectDto): Promise<IntrospectionDto> {
    return this.introspection.introspect(dto.token);
  }
}
