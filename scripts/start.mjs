// `npm start`, before `npm run start:prod`: refuses at once a port that is taken, then builds only when the
// build is missing or older than a source, so that a restart with nothing changed takes seconds, not a build.
// Runs in the project directory (npm's working directory for scripts); `npm run build` as usual.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Files whose change changes every output. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', '.swcrc'];
/** Source folders and where the build writes each one's `.js` (spec files are not built). */
const SOURCES = [
  ['src', 'dist/src'],
  ['migrations', 'dist/migrations'],
];

if (existsSync('.env')) process.loadEnvFile('.env');

const port = listenPort();
if (port !== undefined && (await portInUse(port, listenHost()))) {
  process.stderr.write(`port ${port} is in use: set PORT\n`);
  process.exit(1);
}

const stale = whyStale();
if (!stale) {
  process.stdout.write('dist/ is newer than every source: no build\n');
  process.exit(0);
}
process.stdout.write(`building: ${stale}\n`);
const npm = process.env.npm_execpath;
const build = npm?.endsWith('.js')
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
process.exit(build.status ?? 1);

/** PORT as the service reads it (src/config/app.config.ts); undefined when invalid: the service says so. */
function listenPort() {
  const raw = process.env.PORT?.trim() || '3000';
  const value = Number(raw);
  return /^\d+$/.test(raw) && value > 0 && value <= 65535 ? value : undefined;
}

/** HOST with the service's default: loopback in development, every interface in production. */
function listenHost() {
  return process.env.HOST?.trim() || (process.env.NODE_ENV?.trim() === 'production' ? '0.0.0.0' : '127.0.0.1');
}

function portInUse(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    // Any other failure (a host that is not local, say) is for the service to report.
    probe.once('error', (error) => resolve(error.code === 'EADDRINUSE'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/** Why the build is out of date, or undefined when every output exists and is newer than every input. */
function whyStale() {
  let newest = { file: '', mtimeMs: 0 };
  let oldestOutput = Infinity;
  const consider = (file) => {
    const { mtimeMs } = statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  for (const file of BUILD_INPUTS) if (existsSync(file)) consider(file);
  for (const [folder, outFolder] of SOURCES) {
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || /\.(spec|d)\.ts$/.test(entry.name)) continue;
      const source = join(entry.parentPath ?? entry.path, entry.name);
      const output = join(outFolder, source.slice(folder.length + 1).replace(/\.ts$/, '.js'));
      if (!existsSync(output)) return `${output} is missing`;
      oldestOutput = Math.min(oldestOutput, statSync(output).mtimeMs);
      consider(source);
    }
  }
  if (oldestOutput === Infinity) return 'no build yet';
  return newest.mtimeMs >= oldestOutput ? `${newest.file} changed since the last build` : undefined;
}
