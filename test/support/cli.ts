import { spawn } from 'node:child_process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built command line (`dist/src/cli.js`, made by `npm test`'s pretest build) as an operator would,
 * asynchronously: with the embedded database the CLI connects back to the PGlite server in this process.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return run(process.execPath, ['dist/src/cli.js', ...args], env);
}

/** Runs npm in the project (the npm that runs the tests, when they run under npm). */
export function runNpm(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const npm = process.env.npm_execpath;
  return npm && npm.endsWith('.js') ? run(process.execPath, [npm, ...args], env) : run('npm', args, env);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
