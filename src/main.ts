/**
 * Start-up: `node --import tsx src/main.ts serve` (also `npm start`, `npx fitroom serve`).
 * Reads the configuration, opens and migrates the database, creates the admin user on a first
 * start, starts the worker pool and the HTTP server, and shuts all of it down gracefully on
 * SIGINT/SIGTERM: stop accepting, finish running calls and jobs, close the queue and the database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from './api/app.ts';
import { adminFilePath, type AdminFile } from './cli/admin-file.ts';
import { ConfigError, loadConfig, type Config } from './config/index.ts';
import { openDatabase } from './db/index.ts';
import { createLocalQueue } from './queue/local.ts';
import { createFileObjectStore } from './storage/files.ts';
import { createPublicUrls } from './storage/public-urls.ts';

export const ADMIN_EMAIL = 'admin@localhost';

export interface RunningServer {
  /** Loopback URL of the listening server, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Graceful stop (idempotent). */
  close(): Promise<void>;
}

/** The URL clients on this machine use for an address the server bound. */
function loopbackUrl(host: string, address: AddressInfo): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const shown = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}

export async function startServer(config: Config): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase({ dataDir: config.dataDir });
  const store = createFileObjectStore(path.join(config.dataDir, 'objects'));
  const urls = createPublicUrls(config.publicUrl ?? `http://127.0.0.1:${config.port}`);
  const queue = createLocalQueue({ engineId: config.engine, workers: config.workers, maxQueued: config.maxQueued });
  const adminToken = randomBytes(32).toString('base64url');
  const { app, services, moderator } = await buildApp({ config, db, queue, store, urls, adminToken });
  // Load the moderation model now, not on the first call (a failure is retried by that call).
  moderator.warm().catch((err: unknown) => app.log.error({ err }, 'moderation classifier failed to load'));

  // The embedded deployment is the only process on this database: calls cut short by a crash
  // cannot finish any more, so their reservations go back.
  const interrupted = await services.jobs.failInterrupted();
  if (interrupted > 0) app.log.warn({ interrupted }, 'async jobs left unfinished by an earlier run failed');
  // Signing secrets still in plaintext (earlier versions) or under a previous server key: seal them now.
  const sealed = await services.keys.sealStoredSecrets();
  if (sealed > 0) app.log.info({ sealed }, 'signing secrets sealed under the current server key');

  const released = await services.credits.releaseAllHeld();
  if (released > 0) app.log.warn({ released }, 'released reservations left by an earlier run');

  if ((await services.users.count()) === 0) {
    const admin = await services.users.create(ADMIN_EMAIL, { isAdmin: true });
    if (config.adminCredits > 0) await services.credits.grant(admin.id, config.adminCredits, 'first start');
    const key = await services.keys.create(admin.id);
    // The only time this key is shown: one line on stdout, deliberately not through the logger.
    process.stdout.write(`${JSON.stringify({ msg: 'admin api key created', email: ADMIN_EMAIL, apiKey: key.apiKey })}\n`);
  }

  await app.listen({ port: config.port, host: config.host, listenTextResolver: () => 'server started' });
  const url = loopbackUrl(config.host, app.server.address() as AddressInfo);
  urls.setBase(config.publicUrl ?? url);

  const adminFile = adminFilePath(config.dataDir);
  const admin: AdminFile = { url, token: adminToken, pid: process.pid };
  fs.writeFileSync(adminFile, JSON.stringify(admin), { mode: 0o600 });
  fs.chmodSync(adminFile, 0o600);
  app.log.info({ url, publicUrl: urls.base(), engine: config.engine, workers: config.workers, dataDir: config.dataDir }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= (async () => {
        app.log.info('shutting down');
        try {
          const current = JSON.parse(fs.readFileSync(adminFile, 'utf8')) as AdminFile;
          if (current.token === adminToken) fs.rmSync(adminFile, { force: true });
        } catch {
          // already gone
        }
        // Stops accepting, waits for requests in flight (each waits for its engine job).
        await app.close();
        await queue.close();
        await db.close();
        app.log.info('stopped');
      })();
      return closing;
    },
  };
}

/** `serve`: start, then stop gracefully on the first SIGINT/SIGTERM (a second one exits at once). */
export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ msg: 'invalid configuration', issues: err.issues })}\n`);
      process.exit(1);
    }
    throw err;
  }
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    process.stderr.write(`${JSON.stringify({ msg: 'start failed', error: err instanceof Error ? err.message : String(err) })}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${JSON.stringify({ msg: 'second signal, exiting now', signal })}\n`);
      process.exit(1);
    }
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${JSON.stringify({ msg: 'shutdown failed', error: err instanceof Error ? err.message : String(err) })}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const command = process.argv[2] ?? 'serve';
  if (command !== 'serve') {
    process.stderr.write(`${JSON.stringify({ error: `unknown command ${command}: src/main.ts only serves; use src/cli/main.ts for the rest` })}\n`);
    process.exit(1);
  }
  await serve();
}
