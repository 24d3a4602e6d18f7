import { EmailSender, SmsSender, type EmailMessage, type SmsMessage } from '../senders.js';
import type { InMemoryOutbox } from './in-memory-outbox.js';

/** Keeps messages in the in-memory outbox and nothing else: for tests and load runs. */
export class OutboxEmailSender extends EmailSender {
  readonly provider: string = 'outbox';

  constructor(private readonly outbox: InMemoryOutbox) {
    super();
  }

  async send(message: EmailMessage): Promise<void> {
    this.outbox.record({ channel: 'email', ...message });
  }
}

export class OutboxSmsSender extends SmsSender {
  readonly provider: string = 'outbox';

  constructor(private readonly outbox: InMemoryOutbox) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    this.outbox.record({ channel: 'sms', ...message });
  }
}
