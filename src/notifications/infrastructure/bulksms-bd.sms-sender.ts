import { DeliveryFailure, SmsSender, type SmsMessage } from '../senders.js';
import { callProvider } from './http-call.js';

export interface BulkSmsBdOptions {
  baseUrl: string;
  apiKey: string;
  senderId: string;
  timeoutMs: number;
}

/** Reply codes that may succeed later (provider-side errors, rate limit); every other error code is final. */
const RETRYABLE_CODES = new Set([1005, 1006, 1013]);

const DESCRIPTIONS: Record<number, string> = {
  1002: 'sender id not found',
  1003: 'API not found',
  1004: 'SPAM detected',
  1005: 'internal error',
  1006: 'internal error',
  1007: 'balance insufficient',
  1008: 'message is empty',
  1009: 'message type not set',
  1010: 'invalid user and password',
  1011: 'invalid user id',
  1012: 'invalid number',
  1013: 'API limit error',
  1014: 'no matching template',
  1015: 'SMS content validation failed',
  1016: 'IP address not allowed',
  1017: 'invalid API key',
  1018: 'account inactive',
  1019: 'sender id not approved',
  1020: 'account expired',
  1021: 'sender id not allowed for this number',
};

/**
 * SMS through BulkSMS BD (`POST <base>?api_key=..&type=text&number=8801..&senderid=..&message=..`, form
 * encoded so the key stays out of URLs and access logs). `response_code` 202 means submitted.
 */
export class BulkSmsBdSmsSender extends SmsSender {
  readonly provider = 'bulksmsbd';

  constructor(private readonly options: BulkSmsBdOptions) {
    super();
  }

  async send(message: SmsMessage): Promise<void> {
    const body = new URLSearchParams({
      api_key: this.options.apiKey,
      type: 'text',
      number: message.to.replace(/^\+/, ''),
      senderid: this.options.senderId,
      message: message.text,
    });
    const response = await callProvider(
      this.provider,
      this.options.baseUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      this.options.timeoutMs,
    );
    let reply: { response_code?: unknown; error_message?: unknown };
    try {
      reply = (await response.json()) as typeof reply;
    } catch {
      throw new DeliveryFailure('bulksmsbd: the reply is not JSON', true);
    }
    const code = Number(reply.response_code);
    if (code === 202) return;
    const known = DESCRIPTIONS[code] ?? (typeof reply.error_message === 'string' ? reply.error_message : 'unknown reply');
    throw new DeliveryFailure(`bulksmsbd: response_code ${code} (${known})`, RETRYABLE_CODES.has(code));
  }
}
