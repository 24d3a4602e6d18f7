import { Module } from '@nestjs/common';
import { DeliveryCoreModule } from './delivery-core.module.js';
import { DevInboxController } from './dev-inbox.controller.js';

/** GET /dev/inbox, registered only outside production (see NotificationsModule). */
@Module({
  imports: [DeliveryCoreModule],
  controllers: [DevInboxController],
})
export class DevInboxModule {}

/** The inbox exists in development and tests, never in production. */
export const devInboxEnabled = (env: NodeJS.ProcessEnv): boolean => env.NODE_ENV !== 'production';
