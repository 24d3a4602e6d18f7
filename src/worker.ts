import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { closeOnSignals } from './app.setup.js';
import { readBackendsConfig } from './config/backends.config.js';
import { checkConfiguration, configurations } from './config/configuration.js';
import { NotificationsModule } from './notifications/notifications.module.js';

/**
 * A delivery worker on its own: `npm run worker`. Run API processes with DELIVERY_WORKER=false and as many
 * of these as delivery needs; they share the BullMQ queue in Redis.
 */
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configurations, cache: true }), NotificationsModule],
})
class WorkerModule {}

async function run(): Promise<void> {
  checkConfiguration();
  if (!readBackendsConfig().redisUrl) throw new Error('The delivery worker needs REDIS_URL (its queue lives in Redis)');
  const app = await NestFactory.createApplicationContext(WorkerModule, { abortOnError: false });
  await app.init();
  closeOnSignals(app, new Logger('Worker'));
  new Logger('Worker').log('Delivery worker running');
}

run().catch((error: unknown) => {
  new Logger('Worker').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
