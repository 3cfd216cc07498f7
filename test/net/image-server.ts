/**
 * A real HTTP server on 127.0.0.1 (never any other address) that plays the hostile and friendly
 * image hosts the fetcher tests need. Counts every request path so tests can prove a refused URL was
 * never requested.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImageServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Requests received, by path (without query). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startImageServer(image: Buffer): Promise<ImageServer> {
  const hits = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    switch (url.pathname) {
      case '/img.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length });
        res.end(image);
        return;
      case '/img-as-text':
        // Wrong declared type on purpose: the bytes decide.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(image);
        return;
      case '/redirect': {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
        res.end();
        return;
      }
      case '/redirect-no-location':
        res.writeHead(301);
        res.end();
        return;
      case '/loop': {
        const n = Number(url.searchParams.get('n') ?? '0');
        res.writeHead(307, { location: `/loop?n=${n + 1}` });
        res.end();
        return;
      }
      case '/slow-loop': {
        // Each hop takes 150 ms: only a deadline over the whole chain stops it early.
        const n = Number(url.searchParams.get('n') ?? '0');
        setTimeout(() => {
          res.writeHead(302, { location: `/slow-loop?n=${n + 1}` });
          res.end();
        }, 150);
        return;
      }
      case '/hang':
        hanging.add(res);
        return;
      case '/slow-body':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(image.subarray(0, 16));
        hanging.add(res);
        return;
      case '/big': {
        // 2 MB, chunked (no Content-Length): the limit must be enforced while reading.
        res.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = (): void => {
          while (sent < 2 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case '/big-declared':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': 2 * 1024 * 1024 });
        res.end(Buffer.alloc(2 * 1024 * 1024, 1));
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
