export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmsMessage {
  /** E.164 phone number. */
  to: string;
  text: string;
}

/**
 * A provider refused or failed a message. `retryable` says whether trying again later may work (a timeout,
 * a 5xx, a rate limit) or never will (no balance, an invalid number, bad credentials).
 */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

/** Delivers an email. Adapters: SMTP, development console, in-memory outbox. */
export abstract class EmailSender {
  /** Short name for logs and metrics, e.g. `smtp`. */
  abstract readonly provider: string;
  /** Resolves once the provider accepted the message; throws DeliveryFailure otherwise. */
  abstract send(message: EmailMessage): Promise<void>;
}

/** Delivers a text message. Adapters: BulkSMS BD, Twilio, development console, in-memory outbox. */
export abstract class SmsSender {
  abstract readonly provider: string;
  abstract send(message: SmsMessage): Promise<void>;
}
