import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

export const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

/** A throwaway redis-server on a spare port, which the test can stop and start again. */
export class ThrowawayRedis {
  private process?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPort(this.port, true);
  }

  async stop(): Promise<void> {
    this.process?.kill('SIGKILL');
    this.process = undefined;
    await waitForPort(this.port, false);
  }
}

async function waitForPort(port: number, open: boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (isOpen === open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not ${open ? 'open' : 'close'} in time`);
}
