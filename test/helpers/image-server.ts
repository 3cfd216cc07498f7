/**
 * A loopback HTTP server that serves fixed bytes at fixed paths: the "remote" images of the URL
 * input form. The service under test must run with FITROOM_ALLOW_PRIVATE_URLS=true to reach it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ImageServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Serves `body` at `path` (leading slash) with the given Content-Type. */
  serve(path: string, body: Buffer, contentType: string): string;
  /** Answers `path` with a redirect to `location`. */
  redirect(path: string, location: string, status?: number): string;
  /** How many requests each path received. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startImageServer(host = '127.0.0.1'): Promise<ImageServer> {
  const routes = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(route.status, { ...route.headers, 'content-length': String(route.body.length) }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    hits,
    serve(path, body, contentType) {
      routes.set(path, { status: 200, headers: { 'content-type': contentType }, body });
      return url + path;
    },
    redirect(path, location, status = 302) {
      routes.set(path, { status, headers: { location }, body: Buffer.alloc(0) });
      return url + path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
