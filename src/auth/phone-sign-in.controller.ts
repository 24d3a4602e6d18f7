import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { ApiErrorResponses } from '../common/swagger/api-error-responses.decorator.js';
import { PhoneOtpSentDto, PhoneSignedInDto, SendPhoneOtpDto, VerifyPhoneOtpDto } from './dto/phone-sign-in.dto.js';
import { PhoneSignInService } from './phone-sign-in.service.js';
import { IpLimit } from '../rate-limits/ip-limit.guard.js';

/** Flow 2: phone sign-in in one step, at the paths of the product's first specification. */
@ApiTags('phone sign-in')
@Controller('api/users')
export class PhoneSignInController {
  constructor(private readonly phoneSignIn: PhoneSignInService) {}

  /** Sends a code to a phone; whether it has an account is not revealed. */
  @Public()
  @Post('send-otp')
  @IpLimit('otp-request')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Send a sign-in code to a phone' })
  @ApiOkResponse({ type: PhoneOtpSentDto })
  @ApiErrorResponses('INVALID_IDENTIFIER', 'RATE_LIMITED')
  send(@Body() dto: SendPhoneOtpDto): Promise<PhoneOtpSentDto> {
    return this.phoneSignIn.send(dto.phone);
  }

  /** Verifies the code and signs in, creating the account on first sign-in (`created: true`). */
  @Public()
  @Post('verify-otp')
  @IpLimit('otp-verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Verify the code and sign in' })
  @ApiOkResponse({ type: PhoneSignedInDto })
  @ApiErrorResponses('INVALID_IDENTIFIER', 'OTP_INVALID', 'OTP_EXPIRED', 'OTP_ATTEMPTS_EXCEEDED', 'RATE_LIMITED', 'ACCOUNT_DISABLED')
  verify(@Body() dto: VerifyPhoneOtpDto, @Ip() ip: string): Promise<PhoneSignedInDto> {
    return this.phoneSignIn.verify(dto, ip);
  }
}
