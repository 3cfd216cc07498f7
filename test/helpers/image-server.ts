/**
 * A loopback HTTP server that serves fixed bytes at fixed paths: the "remote" images of the URL
 * input form. The service under test must run with FITROOM_ALLOW_PRIVATE_URLS=true to reach it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { API1_PATH, api1Parts, bearer, expectOk, multipart, post, textPart } from './http.ts';

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

export interface StalledImageServer {
  /** The one image's URL. */
  url: string;
  /** Whether the service has asked for the image yet (its call is then past its reservation). */
  requested(): boolean;
  /** Resolves once the image has been asked for; rejects after `timeoutMs`. */
  waitForRequest(timeoutMs: number): Promise<void>;
  /** Lets every request, past and future, have the image. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A loopback server whose one image answers only when `release()` is called: holds a call of the
 * service in progress for as long as a test needs (the cap on calls in progress per key).
 */
export async function startStalledImageServer(bytes: Buffer, contentType = 'image/jpeg'): Promise<StalledImageServer> {
  let requested = false;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markRequested!: () => void;
  const firstRequest = new Promise<void>((resolve) => (markRequested = resolve));
  const server: Server = createServer((_req, res) => {
    requested = true;
    markRequested();
    void released.then(() => res.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) }).end(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/model.jpg`,
    requested: () => requested,
    // The timeout's timer is unref'd: left running after the request came, it kept the test
    // process alive for up to timeoutMs after its last test.
    waitForRequest: (timeoutMs) =>
      Promise.race([firstRequest, sleep(timeoutMs, undefined, { ref: false }).then(() => Promise.reject(new Error(`the stalled image was not asked for within ${timeoutMs} ms`)))]),
    release,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Longest wait for the service to ask for a stalled image, ms (a busy 2-core machine included). */
const STALLED_REQUEST_WAIT_MS = 30_000;

/**
 * Runs `during` while an API 1 call of `key` on the server at `baseUrl` is in progress (past its
 * reservation, waiting for its model photo from a stalled loopback server; the server needs
 * FITROOM_ALLOW_PRIVATE_URLS=true); then lets that call finish and expects its 200.
 */
export async function whileCallInProgress(baseUrl: string, key: string, model: Buffer, garment: Buffer, during: () => Promise<void>): Promise<void> {
  const stalled = await startStalledImageServer(model);
  try {
    const held = post(baseUrl, API1_PATH, multipart(api1Parts(model, garment, { modelImg: textPart('modelImg', stalled.url) })), bearer(key));
    await stalled.waitForRequest(STALLED_REQUEST_WAIT_MS);
    await during();
    stalled.release();
    expectOk(await held);
  } finally {
    stalled.release();
    await stalled.close();
  }
}
