import type { OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { DeliveryFailure, EmailSender, type EmailMessage } from '../senders.js';

export interface SmtpOptions {
  url: string;
  from: string;
  timeoutMs: number;
}

/** Email over SMTP with nodemailer: a plain-text and an HTML part. 5xx replies are permanent failures. */
export class SmtpEmailSender extends EmailSender implements OnApplicationShutdown {
  readonly provider = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    super();
    const url = new URL(options.url);
    for (const [key, value] of Object.entries({
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      pool: true,
      maxConnections: 5,
    })) {
      if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
    }
    this.transport = createTransport(url.toString());
  }

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.options.from, ...message });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      const reason = (error as Error).message.split('\n')[0];
      throw new DeliveryFailure(`smtp: ${reason}`, !(code !== undefined && code >= 500 && code < 600));
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
