import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/redis-server.js';
import { dockerCommand, productionNodeFlags } from './support/production-command.js';
import { migrateTestDatabase } from './support/test-app.js';

/**
 * The built service (made by `npm test`'s pretest build), started as production starts it, stops cleanly on
 * SIGTERM, as `docker stop` sends it.
 */
describe('production process', () => {
  it('runs with the same Node flags from npm run start:prod and from the Docker image', () => {
    expect(productionNodeFlags()).toContain('--max-old-space-size=160');
    expect(dockerCommand()).toEqual(['node', ...productionNodeFlags(), 'dist/src/main.js']);
  });

  it('finishes and exits 0 on SIGTERM, closing its pools', async () => {
    // against a real database the service refuses a schema that is behind: bring it up to date first
    if (process.env.DATABASE_URL) await migrateTestDatabase(process.env.DATABASE_URL);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      QUEUE_PREFIX: `otpgate-shutdown-${port}`,
      ...(process.env.DATABASE_URL ? {} : { DATA_DIR: mkdtempSync(join(tmpdir(), 'otpgate-shutdown-')) }),
    };
    const server = spawn(process.execPath, [...productionNodeFlags(), 'dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the service did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    server.kill('SIGTERM');
    const [code] = (await Promise.race([
      once(server, 'exit'),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no exit within 10 s:\n${output}`)), 10_000)),
    ])) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('SIGTERM: shutting down');
    // it no longer accepts connections
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 40_000);

  it('says in one line, without a stack or the password, that DATABASE_URL cannot be reached, and exits 1', async () => {
    const port = await freePort();
    const password = 'pw-that-must-not-leak';
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://auth.example.com',
      DATABASE_URL: `postgresql://otpgate:${password}@127.0.0.1:${port}/otpgate`,
      REDIS_URL: 'redis://127.0.0.1:6379/15',
      JWT_KEYS_SECRET: randomBytes(32).toString('hex'),
      OTP_HMAC_SECRET: randomBytes(32).toString('hex'),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
    };
    const server = spawn(process.execPath, [...productionNodeFlags(), 'dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await Promise.race([
      once(server, 'exit'),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no exit within 30 s:\n${output}`)), 30_000)),
    ])) as [number | null];
    expect(code).toBe(1);
    const lines = output.split('\n').filter((line) => line.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DATABASE_URL');
    expect(lines[0]).toContain(`127.0.0.1:${port}`);
    expect(output).not.toContain(password);
    expect(output).not.toMatch(/^\s+at /m);
  }, 40_000);
});
