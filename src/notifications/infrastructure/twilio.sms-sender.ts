import { SmsSender, type SmsMessage } from '../senders.js';
import { callProvider } from './http-call.js';

export interface TwilioOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  timeoutMs: number;
}

/** SMS through Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`, HTTP basic auth). */
export class TwilioSmsSender extends SmsSender {
  readonly provider = 'twilio';
  private readonly authorization: string;

  constructor(private readonly options: TwilioOptions) {
    super();
    this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  }

  async send(message: SmsMessage): Promise<void> {
    const body = new URLSearchParams({ To: message.to, Body: message.text });
    if (this.options.messagingServiceSid) body.set('MessagingServiceSid', this.options.messagingServiceSid);
    else body.set('From', this.options.from!);
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
    await callProvider(
      this.provider,
      url,
      {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      },
      this.options.timeoutMs,
    );
  }
}
