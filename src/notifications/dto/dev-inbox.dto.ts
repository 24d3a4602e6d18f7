import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class DevInboxQueryDto {
  /** Only messages to this email or phone (any form: `01719159900` is `+8801719159900`). */
  @IsOptional()
  @IsString()
  @MaxLength(254)
  to?: string;

  /** How many, newest first (1-100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class DevInboxMessageDto {
  @ApiProperty({ enum: ['email', 'sms'], example: 'email' })
  channel: 'email' | 'sms';

  @ApiProperty({ example: 'test@example.com' })
  to: string;

  /** Emails only. */
  @ApiProperty({ nullable: true, example: 'Your otpgate code' })
  subject: string | null;

  @ApiProperty({ example: 'Your otpgate code is 482913. It expires in 2 minutes.' })
  text: string;

  /** The one-time code in the message, if it holds one. */
  @ApiProperty({ nullable: true, example: '482913' })
  code: string | null;

  @ApiProperty({ example: '2026-12-06T04:35:33.404Z' })
  sent_at: string;
}

export class DevInboxDto {
  messages: DevInboxMessageDto[];
}
