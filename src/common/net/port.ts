import { createServer } from 'node:net';

/** The port is taken by another process: said in one line, with the way out. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';

  constructor(readonly port: number) {
    super(`port ${port} is in use: set PORT`);
  }
}

/**
 * Throws PortInUseError when something listens on host:port, found by listening there for a moment: before
 * the seconds of start-up work (database, migrations, modules) and before Nest says it started.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** A listen that failed on a taken port (one that was taken after assertPortFree looked), as PortInUseError. */
export function asPortInUse(error: unknown, port: number): unknown {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE' ? new PortInUseError(port) : error;
}
