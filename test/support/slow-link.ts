import { connect, createServer, type Server, type Socket } from 'node:net';

export interface LinkShape {
  /** Bytes carried per second, each way. */
  bytesPerSecond: number;
  /** How long a byte takes to cross. */
  latencyMs: number;
}

/**
 * A loopback TCP proxy that behaves like a network link rather than the loopback's instant, deep buffers:
 * bytes cross at `bytesPerSecond` after `latencyMs`, and a sender that outruns the link waits. A clean close
 * crosses after the bytes before it. A reset crosses at once and discards what has not crossed yet: over a
 * real link, a reset discards the data still queued on the sending side, and may erase what the receiver
 * has not read yet (RFC 9112 section 9.6), which is how a client loses an answer sent just before a reset.
 */
export class SlowLink {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly shape: LinkShape,
  ) {}

  async start(): Promise<void> {
    // Half-open allowed: after one side's FIN the other side's bytes still cross, as on a real connection.
    this.server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = connect({ port: this.targetPort, host: '127.0.0.1', allowHalfOpen: true });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      }
      carry(client, upstream, this.shape);
      carry(upstream, client, this.shape);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const TICK_MS = 10;

function carry(from: Socket, to: Socket, { bytesPerSecond, latencyMs }: LinkShape): void {
  const queue: { at: number; chunk: Buffer }[] = [];
  let queued = 0;
  let ended = false;
  const perTick = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  // What the link holds before the sender must wait: what is in flight at full speed, plus a socket's buffer.
  const highWater = (bytesPerSecond * latencyMs) / 1000 + 64 * 1024;
  const timer = setInterval(() => {
    let budget = perTick;
    while (budget > 0 && queue.length && queue[0].at <= Date.now()) {
      const head = queue[0];
      const part = head.chunk.subarray(0, budget);
      if (!to.destroyed) to.write(part);
      budget -= part.length;
      queued -= part.length;
      if (part.length === head.chunk.length) queue.shift();
      else head.chunk = head.chunk.subarray(part.length);
    }
    if (queued < highWater && from.isPaused()) from.resume();
    if (ended && !queue.length) {
      clearInterval(timer);
      to.end();
    }
  }, TICK_MS);
  from.on('data', (chunk: Buffer) => {
    queue.push({ at: Date.now() + latencyMs, chunk });
    queued += chunk.length;
    if (queued >= highWater) from.pause();
  });
  from.on('end', () => (ended = true));
  from.on('error', () => {
    clearInterval(timer);
    queue.length = 0;
    if (!to.destroyed) to.resetAndDestroy();
  });
  from.on('close', () => {
    if (!ended) clearInterval(timer);
  });
}
