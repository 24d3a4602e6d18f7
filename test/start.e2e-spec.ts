import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productionNodeFlags } from './support/production-command.js';

interface Run {
  code: number | null;
  output: string;
}

/** Runs node with `args`; one still running after 20 s (a start that went on instead of refusing) is killed. */
function run(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const deadline = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(deadline);
      done({ code, output });
    });
  });
}

const count = (text: string, part: string) => text.split(part).length - 1;

/**
 * Starting the built service (made by `npm test`'s pretest build): what a developer or an operator sees when
 * the port is taken or the configuration is wrong.
 */
describe('starting the service', () => {
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise((closed) => taken.close(closed)));

  it('refuses a taken port in one line, before starting anything', async () => {
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'otpgate-port-')), NO_COLOR: '1' };
    const { code, output } = await run([...productionNodeFlags(), 'dist/src/main.js'], env);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`ERROR \\[Bootstrap\\] .*port ${port} is in use: set PORT`))]);
  });

  it('lists every configuration problem of a production start in one message, once, without a stack', async () => {
    const env = { PATH: process.env.PATH, NO_COLOR: '1', NODE_ENV: 'production', PORT: 'abc', OTP_TTL_SECONDS: '0', SMS_PROVIDER: 'pigeon' };
    const { code, output } = await run([...productionNodeFlags(), 'dist/src/main.js'], env);
    expect(code).toBe(1);
    expect(count(output, 'Configuration:')).toBe(1);
    for (const problem of [
      'PORT must be a whole number, got "abc"',
      'PUBLIC_URL is required in production',
      'DATABASE_URL is required in production',
      'REDIS_URL is required in production',
      'OTP_TTL_SECONDS must be between 2 and 3600, got 0',
      'OTP_HMAC_SECRET is required in production',
      'JWT_KEYS_SECRET is required in production',
      'SMS_PROVIDER must be one of console, outbox, bulksmsbd, twilio, got "pigeon"',
    ]) {
      expect(count(output, problem)).toBe(1);
    }
    expect(output).toContain('Configuration: 8 problems\n');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('Starting Nest application');
  });
});
