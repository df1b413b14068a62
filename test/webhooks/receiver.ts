import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 (port 0). `answers` are the status codes to reply with, used up in order; the last
 * one repeats. `delayMs` holds each answer back.
 */
export class Receiver {
  readonly requests: Received[] = [];
  answers: number[] = [200];
  delayMs = 0;
  private readonly held = new Set<ServerResponse>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver.requests.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const status = receiver.answers.length > 1 ? receiver.answers.shift()! : receiver.answers[0];
        receiver.held.add(res);
        setTimeout(() => {
          receiver.held.delete(res);
          if (!res.destroyed) res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`answered ${status}`);
        }, receiver.delayMs).unref();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  to(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Drops the connections of answers still held back (the sender sees a network error). */
  dropHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
