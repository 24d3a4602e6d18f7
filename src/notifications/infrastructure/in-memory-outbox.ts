import { Injectable } from '@nestjs/common';
import type { EmailMessage, SmsMessage } from '../senders.js';

export type OutboxMessage = (EmailMessage & { channel: 'email' }) | (SmsMessage & { channel: 'sms' });

const PER_RECIPIENT = 20;
const RECIPIENTS = 1000;

/** The last messages sent to each recipient, in memory: for development and tests. Bounded. */
@Injectable()
export class InMemoryOutbox {
  private readonly byRecipient = new Map<string, OutboxMessage[]>();

  record(message: OutboxMessage): void {
    const list = this.byRecipient.get(message.to) ?? [];
    this.byRecipient.delete(message.to);
    list.push(message);
    if (list.length > PER_RECIPIENT) list.shift();
    this.byRecipient.set(message.to, list);
    if (this.byRecipient.size > RECIPIENTS) this.byRecipient.delete(this.byRecipient.keys().next().value!);
  }

  messagesTo(recipient: string): OutboxMessage[] {
    return [...(this.byRecipient.get(recipient) ?? [])];
  }

  lastTo(recipient: string): OutboxMessage | undefined {
    return this.byRecipient.get(recipient)?.at(-1);
  }

  clear(): void {
    this.byRecipient.clear();
  }
}
