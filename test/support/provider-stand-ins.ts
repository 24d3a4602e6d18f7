import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SMTPServer } from 'smtp-server';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

/** What the stand-in does with one request: answer, answer late, or never answer. */
export type Behaviour = { status: number; json: unknown; delayMs?: number } | 'hang';

/**
 * A local HTTP server standing in for an SMS provider: records every request exactly and answers from a
 * script (the last behaviour repeats).
 */
export class ProviderStandIn {
  readonly requests: RecordedRequest[] = [];
  private script: Behaviour[] = [];
  private server?: Server;
  private readonly hanging = new Set<ServerResponse>();
  port = 0;

  constructor(private readonly fallback: Behaviour) {}

  answer(...behaviours: Behaviour[]): void {
    this.script = behaviours;
  }

  reset(): void {
    this.requests.length = 0;
    this.script = [];
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://stand-in');
        this.requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          form: Object.fromEntries(new URLSearchParams(body)),
        });
        const behaviour = this.script.length > 1 ? this.script.shift()! : (this.script[0] ?? this.fallback);
        if (behaviour === 'hang') {
          this.hanging.add(res);
          return;
        }
        setTimeout(() => {
          res.writeHead(behaviour.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(behaviour.json));
        }, behaviour.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  async waitForRequests(count: number, timeoutMs = 5000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.requests;
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server in the test process that keeps what it receives. */
export async function startSmtpServer(): Promise<{ port: number; mails: ReceivedMail[]; stop(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
