import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Configuration } from '../config/configuration.js';
import { DeliveryMetrics } from './delivery-metrics.js';
import { DeliveryService } from './delivery.service.js';
import { BulkSmsBdSmsSender } from './infrastructure/bulksms-bd.sms-sender.js';
import { ConsoleEmailSender, ConsoleSmsSender } from './infrastructure/console.sender.js';
import { InMemoryOutbox } from './infrastructure/in-memory-outbox.js';
import { OutboxEmailSender, OutboxSmsSender } from './infrastructure/outbox.sender.js';
import { SmtpEmailSender } from './infrastructure/smtp.email-sender.js';
import { TwilioSmsSender } from './infrastructure/twilio.sms-sender.js';
import { EmailSender, SmsSender } from './senders.js';

type Config = ConfigService<Configuration, true>;

function emailSender(config: Config, outbox: InMemoryOutbox): EmailSender {
  const n = config.getOrThrow('notifications', { infer: true });
  switch (n.emailProvider) {
    case 'smtp':
      return new SmtpEmailSender({ ...n.smtp!, timeoutMs: n.providerTimeoutMs });
    case 'outbox':
      return new OutboxEmailSender(outbox);
    case 'console':
      return new ConsoleEmailSender(outbox, showsCodes(config));
  }
}

function smsSender(config: Config, outbox: InMemoryOutbox): SmsSender {
  const n = config.getOrThrow('notifications', { infer: true });
  switch (n.smsProvider) {
    case 'bulksmsbd':
      return new BulkSmsBdSmsSender({ ...n.bulkSmsBd!, timeoutMs: n.providerTimeoutMs });
    case 'twilio':
      return new TwilioSmsSender({ ...n.twilio!, timeoutMs: n.providerTimeoutMs });
    case 'outbox':
      return new OutboxSmsSender(outbox);
    case 'console':
      return new ConsoleSmsSender(outbox, showsCodes(config));
  }
}

/** Development logs whole messages, codes included, so a sign-in needs no mailbox; production masks codes. */
function showsCodes(config: Config): boolean {
  return config.getOrThrow('app.nodeEnv', { infer: true }) !== 'production';
}

function warnIfNotDelivering(config: Config): void {
  const { nodeEnv } = config.getOrThrow('app', { infer: true });
  const { emailProvider, smsProvider } = config.getOrThrow('notifications', { infer: true });
  const local = [emailProvider, smsProvider].filter((p) => p === 'console' || p === 'outbox');
  if (nodeEnv === 'production' && local.length) {
    new Logger('Notifications').warn(`EMAIL_PROVIDER=${emailProvider}, SMS_PROVIDER=${smsProvider}: codes are not delivered to anyone`);
  }
}

/** The senders (one adapter per port, picked from configuration) and the delivery attempt logic. */
@Module({
  providers: [
    InMemoryOutbox,
    DeliveryMetrics,
    {
      provide: EmailSender,
      inject: [ConfigService, InMemoryOutbox],
      useFactory: (config: Config, outbox: InMemoryOutbox) => (warnIfNotDelivering(config), emailSender(config, outbox)),
    },
    { provide: SmsSender, inject: [ConfigService, InMemoryOutbox], useFactory: smsSender },
    DeliveryService,
  ],
  exports: [DeliveryService, DeliveryMetrics, InMemoryOutbox],
})
export class DeliveryCoreModule {}
