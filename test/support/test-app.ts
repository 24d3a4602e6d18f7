import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createClient } from '@redis/client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import { APP_OPTIONS, createHttpAdapter, setupApp } from '../../src/app.setup.js';
import { InMemoryOutbox, type OutboxMessage } from '../../src/notifications/infrastructure/in-memory-outbox.js';
import { OutboxEmailSender, OutboxSmsSender } from '../../src/notifications/infrastructure/outbox.sender.js';
import { EmailSender, SmsSender } from '../../src/notifications/senders.js';
import { RedisConnection } from '../../src/redis/redis-connection.js';
import { emptyTables, migrateTestDatabase } from './test-database.js';

export { migrateTestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  /** The environment the app was configured from (to start the CLI or another process against it). */
  env: NodeJS.ProcessEnv;
  outbox: InMemoryOutbox;
  /** The next message delivered to `to` (delivery is asynchronous: waits up to 3 s for it). */
  nextMessage(to: string): Promise<OutboxMessage>;
  /** Empties the tables and the service's Redis keys (external backends) and forgets the outbox. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SERVICE_KEYS = ['otp:*', 'otp-sent:*', 'vt:*', 'user:*', 'limit:*'];

/**
 * The real AppModule with its global pipes, filters and guards, on Fastify, with the notification ports
 * swapped for an in-memory outbox. `env` overrides configuration for this app only.
 */
export interface TestAppOptions {
  /** `configured`: keep the senders the configuration picks (SMTP, BulkSMS BD, ...) instead of the outbox. */
  senders?: 'outbox' | 'configured';
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  // Each app gets its own BullMQ queue, so no app works off jobs another one left behind.
  const queuePrefix = (process.env.QUEUE_PREFIX = `otpgate-test-${randomUUID().slice(0, 8)}`);
  const redisUrl = process.env.REDIS_URL;
  let ownDataDir: string | undefined;
  if (process.env.DATABASE_URL) await migrateTestDatabase(process.env.DATABASE_URL);
  else {
    // The embedded database the caller names, else the worker's (see global-setup.ts), else one of its own;
    // never a DATA_DIR from the shell, whose tables reset() would empty.
    const shared = env.DATA_DIR ?? process.env.TEST_WORKER_DATA_DIR;
    if (!shared) ownDataDir = mkdtempSync(join(tmpdir(), 'otpgate-test-'));
    process.env.DATA_DIR = shared ?? ownDataDir;
  }
  const outbox = new InMemoryOutbox();
  let starting: NestFastifyApplication | undefined;
  try {
    let builder = Test.createTestingModule({ imports: [AppModule] });
    if (options.senders !== 'configured') {
      builder = builder
        .overrideProvider(EmailSender)
        .useValue(new OutboxEmailSender(outbox))
        .overrideProvider(SmsSender)
        .useValue(new OutboxSmsSender(outbox));
    }
    const moduleRef = await builder.compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...APP_OPTIONS, logger: ['error', 'warn'] });
    starting = app;
    await setupApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const dataSource = app.get(DataSource);
    const redis = app.get(RedisConnection);
    const read = new Map<string, number>();
    const appEnv = { ...process.env };
    return {
      app,
      env: appEnv,
      http: request(app.getHttpServer()),
      outbox,
      async nextMessage(to) {
        const seen = read.get(to) ?? 0;
        const deadline = Date.now() + 3000;
        for (;;) {
          const messages = outbox.messagesTo(to);
          if (messages.length > seen) {
            read.set(to, seen + 1);
            return messages[seen];
          }
          if (Date.now() > deadline) throw new Error(`no message was delivered to ${to}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      async reset() {
        outbox.clear();
        read.clear();
        await emptyTables(dataSource);
        const client = redis.client;
        if (!client) return;
        for (const pattern of SERVICE_KEYS) {
          for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 })) {
            if (keys.length) await client.del(keys);
          }
        }
      },
      async close() {
        await app.close();
        if (redisUrl) await deleteKeys(redisUrl, `${queuePrefix}:*`);
        if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // A half-started app would hold its database and connections open, and keep jest from exiting.
    await starting?.close().catch(() => undefined);
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    throw error;
  } finally {
    process.env = saved;
  }
}

async function deleteKeys(url: string, pattern: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 })) {
      if (keys.length) await client.del(keys);
    }
  } finally {
    await client.close();
  }
}
