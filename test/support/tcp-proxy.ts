import { createServer, connect, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream: Socket;
  /** Frozen for good: a thaw that strands leaves it frozen (the server it reached never answers again). */
  stranded: boolean;
}

/**
 * A loopback TCP proxy a test can cut and restore, to simulate a dependency going away, or freeze and thaw,
 * to simulate one that stops answering while its connections stay open (a stopped process, a stalled disk).
 */
export class TcpProxy {
  private server?: Server;
  private readonly links = new Set<Link>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = this.port): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      const link: Link = { client, upstream, stranded: false };
      this.links.add(link);
      for (const s of [client, upstream]) s.on('error', () => s.destroy());
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.links.delete(link);
      };
      client.on('close', close);
      upstream.on('close', close);
      if (this.frozen) hold(link);
      else forward(link);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Refuses new connections and drops the open ones. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const { client, upstream } of this.links) {
      client.destroy();
      upstream.destroy();
    }
    await closed;
    this.server = undefined;
  }

  async restore(): Promise<void> {
    await this.start(this.port);
  }

  /** Stops forwarding in both directions: connections stay open (new ones too), and their bytes wait. */
  freeze(): void {
    this.frozen = true;
    for (const link of this.links) hold(link);
  }

  /**
   * Forwards again, delivering what waited. `strand`: the connections open now stay frozen for good and only
   * new ones flow, as after a failover away from a server that hung.
   */
  thaw({ strand = false } = {}): void {
    this.frozen = false;
    for (const link of this.links) {
      if (strand) link.stranded = true;
      if (!link.stranded) forward(link);
    }
  }
}

function forward({ client, upstream }: Link): void {
  client.pipe(upstream);
  upstream.pipe(client);
}

function hold({ client, upstream }: Link): void {
  client.unpipe(upstream);
  upstream.unpipe(client);
  client.pause();
  upstream.pause();
}
