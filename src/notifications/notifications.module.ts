import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Configuration } from '../config/configuration.js';
import { CodeDeliveryService } from './code-delivery.service.js';
import { DevelopmentEmailSender, DevelopmentSmsSender } from './infrastructure/development.sender.js';
import { InMemoryOutbox } from './infrastructure/in-memory-outbox.js';
import { EmailSender, SmsSender } from './senders.js';

const showCodes = (config: ConfigService<Configuration, true>) => config.getOrThrow('otp.debugEcho', { infer: true });

@Module({
  providers: [
    InMemoryOutbox,
    {
      provide: EmailSender,
      inject: [InMemoryOutbox, ConfigService],
      useFactory: (outbox: InMemoryOutbox, config: ConfigService<Configuration, true>) =>
        new DevelopmentEmailSender(outbox, showCodes(config)),
    },
    {
      provide: SmsSender,
      inject: [InMemoryOutbox, ConfigService],
      useFactory: (outbox: InMemoryOutbox, config: ConfigService<Configuration, true>) =>
        new DevelopmentSmsSender(outbox, showCodes(config)),
    },
    CodeDeliveryService,
  ],
  exports: [CodeDeliveryService, EmailSender, SmsSender],
})
export class NotificationsModule {}
