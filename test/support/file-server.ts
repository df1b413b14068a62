import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Send an ETag (the body's sha256) and honour If-None-Match with 304; default true. */
  etag?: boolean;
  /** Send this Last-Modified and honour If-Modified-Since with 304. */
  lastModified?: string;
  /** Answer the next N requests with `failStatus` (default 500) instead. */
  failNext?: number;
  failStatus?: number;
}

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

/**
 * A local HTTP server standing in for a list publisher: serves fixture bytes from memory, with ETag/Last-Modified
 * and 304s like the official sites, and failures on demand. Tests never reach the internet.
 */
export class FileServer {
  readonly files = new Map<string, ServedFile>();
  readonly requests: SeenRequest[] = [];
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const file = this.files.get(path);
      const answer = (status: number, headers: Record<string, string> = {}, body?: Buffer): void => {
        this.requests.push({ path, headers: req.headers, status });
        res.writeHead(status, headers);
        res.end(body);
      };
      if (!file) return answer(404);
      if (file.failNext && file.failNext > 0) {
        file.failNext -= 1;
        return answer(file.failStatus ?? 500, { 'content-type': 'text/plain' }, Buffer.from('publisher error'));
      }
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
      const etag =
        file.etag === false ? undefined : `"${createHash('sha256').update(file.body).digest('hex').slice(0, 16)}"`;
      if (etag) headers.etag = etag;
      if (file.lastModified) headers['last-modified'] = file.lastModified;
      if (etag && req.headers['if-none-match'] === etag) return answer(304, headers);
      if (!etag && file.lastModified && req.headers['if-modified-since'] === file.lastModified)
        return answer(304, headers);
      answer(200, headers, file.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  serve(path: string, file: ServedFile): string {
    this.files.set(path, file);
    return this.url(path);
  }

  requestsTo(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
