import { Controller, Get, Header, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { parseIdentifier } from '../common/identifiers/identifier.js';
import type { Configuration } from '../config/configuration.js';
import { DevInboxDto, DevInboxQueryDto } from './dto/dev-inbox.dto.js';
import { InMemoryOutbox } from './infrastructure/in-memory-outbox.js';

const CODE = /\b\d{4,10}\b/;

/**
 * Development only (never registered in production): the last messages this process sent through the
 * console or outbox senders, so a sign-in can be finished without a mailbox or a phone.
 */
@ApiTags('development')
@Public()
@Controller('dev/inbox')
export class DevInboxController {
  private readonly region: string;

  constructor(
    private readonly outbox: InMemoryOutbox,
    config: ConfigService<Configuration, true>,
  ) {
    this.region = config.getOrThrow('app.phoneDefaultRegion', { infer: true });
  }

  /**
   * The last messages sent by email and SMS from this process, newest first, each with its code picked out.
   * Development only: the route does not exist in production.
   */
  @Get()
  @Header('cache-control', 'no-store')
  @ApiOperation({ operationId: 'readDevInbox', summary: 'Development only: the last codes and messages sent' })
  @ApiOkResponse({ type: DevInboxDto })
  read(@Query() query: DevInboxQueryDto): DevInboxDto {
    const parsed = query.to === undefined ? undefined : parseIdentifier(query.to, 'email-or-phone', this.region);
    const recipient = parsed?.ok ? parsed.value : query.to?.trim();
    const messages = this.outbox.recent(query.limit ?? 20, recipient).map((m) => ({
      channel: m.channel,
      to: m.to,
      subject: m.channel === 'email' ? m.subject : null,
      text: m.text,
      code: CODE.exec(m.text)?.[0] ?? null,
      sent_at: new Date(m.sentAt ?? 0).toISOString(),
    }));
    return { messages };
  }
}
