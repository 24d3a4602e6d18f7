import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { channelOf } from '../common/identifiers/identifier.js';
import type { Configuration } from '../config/configuration.js';
import { renderEmail, renderSms, type CodeNotice } from './messages.js';
import { EmailSender, SmsSender } from './senders.js';

/** Sends a code, or the truthful notice that replaces it, over the identifier's channel. */
@Injectable()
export class CodeDeliveryService {
  private readonly product: string;

  constructor(
    private readonly email: EmailSender,
    private readonly sms: SmsSender,
    config: ConfigService<Configuration, true>,
  ) {
    this.product = config.getOrThrow('app.productName', { infer: true });
  }

  async deliver(identifier: string, notice: CodeNotice): Promise<void> {
    if (channelOf(identifier) === 'email') {
      await this.email.send(renderEmail(identifier, notice, this.product));
    } else {
      await this.sms.send(renderSms(identifier, notice, this.product));
    }
  }
}
