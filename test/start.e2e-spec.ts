import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { productionNodeFlags } from './support/production-command.js';
import { runNpm } from './support/cli.js';
import { freePort } from './support/redis-server.js';

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
 * Starting the built service (made by `npm test`'s pretest build), and `npm start`'s check before it: what a
 * developer or an operator sees when the port is taken or the configuration is wrong.
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

  it('npm start says so in one line when the port is taken, without building first', async () => {
    const res = await runNpm(['run', '-s', 'start'], { ...process.env, PORT: String(port), HOST: '127.0.0.1' });
    expect(res).toEqual({ code: 1, stdout: '', stderr: `port ${port} is in use: set PORT\n` });
  });
});

/**
 * `npm start`'s check (scripts/start.mjs), in a project of its own whose `npm run build` only leaves a mark:
 * it builds when an output is missing or older than a source or a build setting, and only then.
 */
describe('npm start: build only when something changed', () => {
  const sources = ['src/main.ts', 'src/config/env.ts', 'src/main.spec.ts', 'migrations/1-Init.ts'];
  const settings = ['package.json', 'package-lock.json', 'tsconfig.json', 'nest-cli.json'];
  const outputs = ['dist/src/main.js', 'dist/src/config/env.js', 'dist/migrations/1-Init.js'];
  const script = resolve('scripts/start.mjs');
  let dir: string;

  const write = (path: string, text = '') => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const age = (paths: string[], seconds: number) => {
    const at = Date.now() / 1000 - seconds;
    for (const path of paths) utimesSync(join(dir, path), at, at);
  };
  const check = async (env: NodeJS.ProcessEnv = {}) => {
    const inherited = { ...process.env };
    delete inherited.PORT;
    const res = await run([script], { ...inherited, PORT: String(await freePort()), HOST: '127.0.0.1', ...env }, dir);
    return { ...res, built: existsSync(join(dir, 'built')) };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'otpgate-start-'));
    write('package.json', JSON.stringify({ name: 'fake', version: '0.0.0', scripts: { build: `node -e "require('fs').writeFileSync('built', '')"` } }));
    for (const path of [...settings.slice(1), ...sources, ...outputs]) write(path);
    age([...settings, ...sources], 120);
    age(outputs, 60);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('skips the build when every output is newer than every source and setting', async () => {
    expect(await check()).toMatchObject({ code: 0, built: false, output: 'dist/ is newer than every source: no build\n' });
  });

  it.each([
    ['a source changed', () => age(['src/config/env.ts'], 0), 'src/config/env.ts changed since the last build'],
    ['a migration changed', () => age(['migrations/1-Init.ts'], 0), 'migrations/1-Init.ts changed since the last build'],
    ['a source was added', () => write('src/users/new.ts'), 'dist/src/users/new.js is missing'],
    ['a build setting changed', () => age(['tsconfig.json'], 0), 'tsconfig.json changed since the last build'],
    ['the lock file changed', () => age(['package-lock.json'], 0), 'package-lock.json changed since the last build'],
    ['there is no build', () => rmSync(join(dir, 'dist'), { recursive: true }), 'dist/src/'],
  ])('builds when %s', async (_, change, reason) => {
    change();
    const res = await check();
    expect(res).toMatchObject({ code: 0, built: true });
    expect(res.output).toContain(`building: ${reason}`);
  });

  it('does not build for a changed spec file, which the build leaves out', async () => {
    age(['src/main.spec.ts'], 0);
    expect(await check()).toMatchObject({ code: 0, built: false });
  });

  it('checks the port first, from .env too: one line, exit 1, no build', async () => {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
    const { port } = taken.address() as { port: number };
    try {
      age(['src/main.ts'], 0);
      write('.env', `PORT=${port}\n`);
      const env = { ...process.env };
      delete env.PORT;
      const res = await run([script], { ...env, HOST: '127.0.0.1' }, dir);
      expect(res).toEqual({ code: 1, output: `port ${port} is in use: set PORT\n` });
      expect(existsSync(join(dir, 'built'))).toBe(false);
    } finally {
      await new Promise((closed) => taken.close(closed));
    }
  });

  it('fails as the build fails', async () => {
    write('package.json', JSON.stringify({ name: 'fake', version: '0.0.0', scripts: { build: 'node -e "process.exit(3)"' } }));
    expect(await check()).toMatchObject({ code: 3, built: false });
  });
});
