import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { Public } from '../common/auth/public.decorator.js';
import { OtpRequestedDto } from './dto/otp-requested.dto.js';
import { OtpVerifiedDto } from './dto/otp-verified.dto.js';
import { RequestOtpDto } from './dto/request-otp.dto.js';
import { VerifyOtpDto } from './dto/verify-otp.dto.js';
import { OtpFlowService } from './otp-flow.service.js';
import { IpLimit } from '../rate-limits/ip-limit.guard.js';

@ApiTags('auth')
@Controller('api/auth/otp')
export class OtpController {
  constructor(private readonly flow: OtpFlowService) {}

  /**
   * Sends a one-time code to an email or phone. Answers the same whether or not an account exists;
   * the delivered message tells the owner the truth.
   */
  @Public()
  @Post('request')
  @IpLimit('otp-request')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Request a one-time code' })
  @ApiOkResponse({ type: OtpRequestedDto })
  @ApiErrorResponses('INVALID_IDENTIFIER', 'RATE_LIMITED')
  request(@Body() dto: RequestOtpDto): Promise<OtpRequestedDto> {
    return this.flow.request(dto.identifier, dto.purpose);
  }

  /** Trades the right code for a single-use verification token. */
  @Public()
  @Post('verify')
  @IpLimit('otp-verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Verify a code' })
  @ApiOkResponse({ type: OtpVerifiedDto })
  @ApiErrorResponses('INVALID_IDENTIFIER', 'OTP_INVALID', 'OTP_EXPIRED', 'OTP_ATTEMPTS_EXCEEDED', 'RATE_LIMITED')
  verify(@Body() dto: VerifyOtpDto): Promise<OtpVerifiedDto> {
    return this.flow.verify(dto.identifier, dto.purpose, dto.otp);
  }
}
