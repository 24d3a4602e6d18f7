import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../common/auth/authenticated.decorator.js';
import { CurrentUser, type AuthenticatedUser } from '../common/auth/current-user.decorator.js';
import { Public } from '../common/auth/public.decorator.js';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { GoogleExchangeDto, GoogleLinkedDto, GoogleLinkStartedDto, GoogleSignedInDto, GoogleStartQueryDto } from './dto/google.dto.js';
import { GoogleAuthService } from './google-auth.service.js';

const OFF = 'Answers 404 NOT_FOUND unless GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and GOOGLE_CALLBACK_URL are set.';

@ApiTags('google')
@Controller('api/auth/google')
export class GoogleAuthController {
  constructor(private readonly google: GoogleAuthService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Sign in with Google: redirect to Google', description: OFF })
  @ApiResponse({ status: 302, description: 'To Google, with a single-use state and PKCE' })
  @ApiErrorResponses('NOT_FOUND')
  async start(@Query() query: GoogleStartQueryDto, @Res() reply: FastifyReply): Promise<void> {
    await reply.redirect(await this.google.start(query.redirect_to), HttpStatus.FOUND);
  }

  /**
   * Google sends the browser back here. Ends on the front-end URL with `?code=<one-time code>` (or
   * `?error=<CODE>`); without a front-end URL configured, answers the sign-in JSON directly.
   */
  @Public()
  @Get('callback')
  @ApiOperation({ summary: "Google's redirect back", description: OFF })
  @ApiResponse({ status: 302, description: 'To the front-end with ?code= or ?error=' })
  @ApiOkResponse({ type: GoogleSignedInDto, description: 'When no front-end URL is configured' })
  @ApiErrorResponses('NOT_FOUND', 'OAUTH_STATE_INVALID', 'OAUTH_DENIED', 'OAUTH_FAILED', 'ACCOUNT_LINK_CONFLICT', 'ACCOUNT_DISABLED')
  async callback(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const answer = await this.google.callback(query);
    if ('redirect' in answer) await reply.redirect(answer.redirect, HttpStatus.FOUND);
    else await reply.send(answer.json);
  }

  /** Trades the one-time code from the callback for the session. */
  @Public()
  @Post('exchange')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange the one-time code', description: OFF })
  @ApiOkResponse({ type: GoogleSignedInDto })
  @ApiErrorResponses('NOT_FOUND', 'EXCHANGE_CODE_INVALID', 'ACCOUNT_DISABLED')
  exchange(@Body() dto: GoogleExchangeDto): Promise<GoogleSignedInDto> {
    return this.google.exchange(dto.code);
  }

  /** Starts linking a Google account to the signed-in account: open `authorization_url` in the browser. */
  @Post('link')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Link Google to my account', description: OFF })
  @ApiOkResponse({ type: GoogleLinkStartedDto })
  @Authenticated('NOT_FOUND')
  async link(@CurrentUser() current: AuthenticatedUser): Promise<GoogleLinkStartedDto> {
    return { authorization_url: await this.google.startLink(current.id) };
  }

  /** Unlinks Google, if another way to sign in (email or phone) remains. */
  @Delete('link')
  @ApiOperation({ summary: 'Unlink Google from my account', description: OFF })
  @ApiOkResponse({ type: GoogleLinkedDto })
  @Authenticated('NOT_FOUND', 'ACCOUNT_NOT_FOUND', 'LAST_SIGN_IN_METHOD')
  unlink(@CurrentUser() current: AuthenticatedUser): Promise<GoogleLinkedDto> {
    return this.google.unlink(current.id);
  }
}
