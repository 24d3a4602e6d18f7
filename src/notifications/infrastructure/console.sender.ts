import { Logger } from '@nestjs/common';
import { maskIdentifier } from '../../common/logging/mask.js';
import type { EmailMessage, SmsMessage } from '../senders.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';
import { OutboxEmailSender, OutboxSmsSender } from './outbox.sender.js';

const CODE = /\b\d{4,10}\b/g;

/**
 * The development delivery: the outbox senders (read back at GET /dev/inbox), plus one log line per message
 * with the recipient masked; the code is shown outside production and masked in it.
 */
export class ConsoleEmailSender extends OutboxEmailSender {
  override readonly provider = 'console';
  private readonly logger = new Logger('EmailSender');

  constructor(
    outbox: InMemoryOutbox,
    private readonly showCodes: boolean,
  ) {
    super(outbox);
  }

  override async send(message: EmailMessage): Promise<void> {
    await super.send(message);
    this.logger.log(`email to ${maskIdentifier(message.to)}: ${display(message.text, this.showCodes)}`);
  }
}

export class ConsoleSmsSender extends OutboxSmsSender {
  override readonly provider = 'console';
  private readonly logger = new Logger('SmsSender');

  constructor(
    outbox: InMemoryOutbox,
    private readonly showCodes: boolean,
  ) {
    super(outbox);
  }

  override async send(message: SmsMessage): Promise<void> {
    await super.send(message);
    this.logger.log(`sms to ${maskIdentifier(message.to)}: ${display(message.text, this.showCodes)}`);
  }
}

function display(text: string, showCodes: boolean): string {
  return showCodes ? text : text.replace(CODE, (code) => '*'.repeat(code.length));
}
