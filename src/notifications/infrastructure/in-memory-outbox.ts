import { Injectable } from '@nestjs/common';
import type { EmailMessage, SmsMessage } from '../senders.js';

export type OutboxMessage = ((EmailMessage & { channel: 'email' }) | (SmsMessage & { channel: 'sms' })) & {
  /** When it was handed over, epoch ms. */
  sentAt?: number;
};

const PER_RECIPIENT = 20;
const RECIPIENTS = 1000;
const RECENT = 100;

/** The last messages sent, per recipient and overall, in memory: for development and tests. Bounded. */
@Injectable()
export class InMemoryOutbox {
  private readonly byRecipient = new Map<string, OutboxMessage[]>();
  private readonly latest: OutboxMessage[] = [];

  record(message: OutboxMessage): void {
    const stamped = { ...message, sentAt: message.sentAt ?? Date.now() };
    const list = this.byRecipient.get(message.to) ?? [];
    this.byRecipient.delete(message.to);
    list.push(stamped);
    if (list.length > PER_RECIPIENT) list.shift();
    this.byRecipient.set(message.to, list);
    if (this.byRecipient.size > RECIPIENTS) this.byRecipient.delete(this.byRecipient.keys().next().value!);
    this.latest.push(stamped);
    if (this.latest.length > RECENT) this.latest.shift();
  }

  messagesTo(recipient: string): OutboxMessage[] {
    return [...(this.byRecipient.get(recipient) ?? [])];
  }

  lastTo(recipient: string): OutboxMessage | undefined {
    return this.byRecipient.get(recipient)?.at(-1);
  }

  /** The last `limit` messages (to one recipient, or anyone), newest first. */
  recent(limit: number, recipient?: string): OutboxMessage[] {
    const source = recipient === undefined ? this.latest : (this.byRecipient.get(recipient) ?? []);
    return source.slice(-limit).reverse();
  }

  clear(): void {
    this.byRecipient.clear();
    this.latest.length = 0;
  }
}
