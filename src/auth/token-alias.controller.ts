import { Body, Controller, Ip, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { TokenPairDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

/** The refresh route of the product's first specification (flow 2), kept for the apps built against it. */
@ApiTags('phone sign-in')
@Controller('api/token')
export class TokenAliasController {
  constructor(private readonly sessions: SessionsService) {}

  /** Same as `POST /api/auth/token/refresh`. */
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Refresh the tokens (flow 2 path)' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrorResponses('UNAUTHENTICATED')
  refresh(@Body() dto: RefreshDto, @Ip() ip: string): Promise<TokenPairDto> {
    return this.sessions.refresh(dto.refresh, ip);
  }
}
