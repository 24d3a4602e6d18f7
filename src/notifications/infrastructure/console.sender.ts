import { Logger } from '@nestjs/common';
import { maskIdentifier } from '../../common/logging/mask.js';
import { EmailSender, SmsSender, type EmailMessage, type SmsMessage } from '../senders.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';

const CODE = /\b\d{4,10}\b/g;

/**
 * The development delivery: one log line per message with the recipient and any code masked (the code is
 * shown only with OTP_DEBUG_ECHO), and the message kept in the in-memory outbox.
 */
export class ConsoleEmailSender extends EmailSender {
  readonly provider = 'console';
  private readonly logger = new Logger('EmailSender');

  constructor(
    private readonly outbox: InMemoryOutbox,
    private readonly showCodes: boolean,
  ) {
    super();
  }

  async send(message: EmailMessage): Promise<void> {
    this.outbox.record({ channel: 'email', ...message });
    this.logger.log(`email to ${maskIdentifier(message.to)}: ${display(message.text, this.showCodes)}`);
  }
}

export class ConsoleSmsSender extends SmsSender {
  readonly provider = 'console';
  private readonly logger = new Logger('SmsSender');

  constructor(
    private readonly outbox: InMemoryOutbox,
    private readonly showCodes: boolean,
  ) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    this.outbox.record({ channel: 'sms', ...message });
    this.logger.log(`sms to ${maskIdentifier(message.to)}: ${display(message.text, this.showCodes)}`);
  }
}

function display(text: string, showCodes: boolean): string {
  return showCodes ? text : text.replace(CODE, (code) => '*'.repeat(code.length));
}
