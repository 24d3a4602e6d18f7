import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import type { Configuration } from '../config/configuration.js';

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WebAssembly) served over the Postgres wire
 * protocol on a loopback port, so the app uses the same `pg` driver and migrations as against a real server.
 * PGlite is a single connection, so the pool that talks to it must hold one connection: transactions then
 * run one after another and stay isolated. A second process on the same data directory (the command line
 * while the server runs) attaches to the running server, found through `server.json`, instead of opening
 * the files a second time.
 */
@Injectable()
export class EmbeddedPostgres implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private readonly dataDir: string;
  private db?: PGlite;
  private server?: PGLiteSocketServer;
  private attached = false;

  constructor(config: ConfigService<Configuration, true>) {
    this.dataDir = resolve(config.getOrThrow('app.dataDir', { infer: true }), 'pglite');
  }

  /** True when this process uses the embedded database (its own or another process's). */
  get inUse(): boolean {
    return this.server !== undefined || this.attached;
  }

  async start(): Promise<string> {
    mkdirSync(this.dataDir, { recursive: true });
    const running = await this.runningServer();
    if (running) {
      this.attached = true;
      this.logger.log(`Using the embedded PostgreSQL of process ${running.pid} at 127.0.0.1:${running.port}`);
      return `postgresql://postgres@127.0.0.1:${running.port}/postgres`;
    }
    this.db = await PGlite.create({ dataDir: this.dataDir });
    // Two slots, not one: a slot is freed asynchronously after a disconnect, so a pool that reconnects at
    // once would otherwise be refused. The app's pool still holds a single connection.
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: 0, maxConnections: 2 });
    await this.server.start();
    const address = this.server.getServerConn();
    writeFileSync(this.infoFile, JSON.stringify({ pid: process.pid, port: Number(address.split(':').pop()) }));
    this.logger.log(`Embedded PostgreSQL (PGlite) at ${address}, data in ${join(this.dataDir)}`);
    return `postgresql://postgres@${address}/postgres`;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    rmSync(this.infoFile, { force: true });
    await this.server.stop();
    await this.db?.close();
  }

  private get infoFile(): string {
    return join(this.dataDir, 'server.json');
  }

  /** The embedded server another live process runs on this data directory, if any. */
  private async runningServer(): Promise<{ pid: number; port: number } | undefined> {
    let info: { pid: number; port: number };
    try {
      info = JSON.parse(readFileSync(this.infoFile, 'utf8')) as { pid: number; port: number };
      process.kill(info.pid, 0);
    } catch {
      return undefined;
    }
    const answers = await new Promise<boolean>((done) => {
      const socket = connect(info.port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    return answers ? info : undefined;
  }
}
