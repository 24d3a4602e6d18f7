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

/** Delivers an email. Adapters: development console + outbox now; SMTP later. */
export abstract class EmailSender {
  abstract send(message: EmailMessage): Promise<void>;
}

/** Delivers a text message. Adapters: development console + outbox now; SMS providers later. */
export abstract class SmsSender {
  abstract send(message: SmsMessage): Promise<void>;
}
