import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Configuration } from '../config/configuration.js';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WebAssembly) served over the Postgres wire
 * protocol on a loopback port, so the app uses the same `pg` driver and migrations as against a real server.
 * PGlite is a single connection, so the pool that talks to it must hold one connection: transactions then
 * run one after another and stay isolated.
 */
@Injectable()
export class EmbeddedPostgres implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private readonly dataDir: string;
  private db?: PGlite;
  private server?: PGLiteSocketServer;

  constructor(config: ConfigService<Configuration, true>) {
    this.dataDir = resolve(config.getOrThrow('app.dataDir', { infer: true }), 'pglite');
  }

  get isRunning(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<string> {
    mkdirSync(this.dataDir, { recursive: true });
    this.db = await PGlite.create({ dataDir: this.dataDir });
    // Two slots, not one: a slot is freed asynchronously after a disconnect, so a pool that reconnects at
    // once would otherwise be refused. The app's pool still holds a single connection.
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await this.server.start();
    const address = this.server.getServerConn();
    this.logger.log(`Embedded PostgreSQL (PGlite) at ${address}, data in ${join(this.dataDir)}`);
    return `postgresql://postgres@${address}/postgres`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
  }
}
