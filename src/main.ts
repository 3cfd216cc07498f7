/**
 * Start-up: `node dist/main.js serve` (`npm start`; `node --import tsx src/main.ts serve` from
 * source, `npx fitroom serve`). Reads the configuration, opens and migrates the database, creates
 * the admin user on a first start, starts the worker pool and the HTTP server, and shuts all of it
 * down gracefully on SIGINT/SIGTERM: stop accepting, finish running calls and jobs, close the queue
 * and the database.
 *
 * `ROLE` (src/config/scaleout.ts): `all` (default) runs the API and the engines in this process;
 * `api` runs the API and sends engine jobs to BullMQ (REDIS_URL); `worker` runs only engines that
 * take jobs from BullMQ (src/cluster/worker-node.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from './api/app.ts';
import { adminFilePath, type AdminFile } from './cli/admin-file.ts';
import { ConfigError, loadConfig, type Config } from './config/index.ts';
import { ClusterNodes, newNodeId } from './cluster/nodes.ts';
import { openDatabase } from './db/index.ts';
import { createLocalQueue } from './queue/local.ts';
import type { JobQueue } from './queue/types.ts';
import { openObjectStore, publicUrlsFor } from './storage/index.ts';

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

/** Advisory lock held by the API node that creates the admin user on a first start. */
const FIRST_START_LOCK_KEY = 7246502;

/** The engine queue: BullMQ on Redis when configured, else this process's worker_threads pool. */
async function openQueue(config: Config): Promise<JobQueue> {
  const { redisUrl, role } = config.scaleout;
  if (!redisUrl) return createLocalQueue({ engineId: config.engine, workers: config.workers, maxQueued: config.maxQueued });
  const { createBullmqQueue } = await import('./queue/bullmq.ts');
  const queue = await createBullmqQueue({
    redisUrl,
    prefix: config.scaleout.redisPrefix,
    deadlineMs: config.scaleout.jobDeadlineMs,
    attempts: config.scaleout.jobAttempts,
    maxQueued: config.maxQueued,
  });
  if (role !== 'all') return queue;
  // ROLE=all with Redis: this process is also one of the engine workers.
  const { startBullmqWorker } = await import('./queue/bullmq-worker.ts');
  const worker = await startBullmqWorker({
    redisUrl,
    prefix: config.scaleout.redisPrefix,
    engineId: config.engine,
    threads: config.workers,
    lockMs: config.scaleout.jobLockMs,
    maxStalls: config.scaleout.jobMaxStalls,
  });
  return {
    ...queue,
    ready: () => Promise.all([queue.ready(), worker.ready()]).then(() => undefined),
    async close() {
      await queue.close();
      await worker.close();
    },
  };
}

export async function startServer(config: Config): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (config.scaleout.role === 'worker') {
    const { startWorkerNode } = await import('./cluster/worker-node.ts');
    return startWorkerNode(config);
  }
  const { databaseUrl } = config.scaleout;
  // A node id names this process's rows on a shared PostgreSQL server (src/cluster/nodes.ts).
  const nodeId = databaseUrl ? newNodeId() : undefined;
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl, nodeId, sharedBuffersMb: config.pgSharedBuffersMb });
  const store = await openObjectStore(config);
  const urls = publicUrlsFor(config);
  const queue = await openQueue(config);
  const adminToken = randomBytes(32).toString('base64url');
  const { app, services, moderator } = await buildApp({ config, db, queue, store, urls, adminToken });
  // Load the moderation model now, not on the first call (a failure is retried by that call).
  if (config.moderation.preload) moderator.warm().catch((err: unknown) => app.log.error({ err }, 'moderation classifier failed to load'));

  let nodes: ClusterNodes | undefined;
  if (nodeId) {
    // Other nodes may have calls in flight on this database: only dead nodes' leftovers go back.
    nodes = new ClusterNodes(db, {
      nodeId,
      role: config.scaleout.role,
      info: { engine: config.engine },
      timeoutMs: config.scaleout.nodeTimeoutMs,
      credits: services.credits,
      onError: (err) => app.log.error({ err }, 'node heartbeat or sweep failed'),
    });
    await nodes.start();
  } else {
    // The embedded deployment is the only process on this database: calls cut short by a crash
    // cannot finish any more, so their reservations go back.
    const interrupted = await services.jobs.failInterrupted();
    if (interrupted > 0) app.log.warn({ interrupted }, 'async jobs left unfinished by an earlier run failed');
    const released = await services.credits.releaseAllHeld();
    if (released > 0) app.log.warn({ released }, 'released reservations left by an earlier run');
  }
  // Signing secrets still in plaintext (earlier versions) or under a previous server key: seal them now.
  const sealed = await services.keys.sealStoredSecrets();
  if (sealed > 0) app.log.info({ sealed }, 'signing secrets sealed under the current server key');

  // Set inside firstStart (a closure), so not narrowed to null here.
  let adminReset = null as { token: string } | null;
  const firstStart = async () => {
    if ((await services.users.count()) > 0) return;
    const admin = await services.users.create(ADMIN_EMAIL, { isAdmin: true });
    if (config.adminCredits > 0) await services.credits.grant(admin.id, config.adminCredits, 'first start');
    const key = await services.keys.create(admin.id);
    // The only time this key is shown: one line on stdout, deliberately not through the logger.
    process.stdout.write(`${JSON.stringify({ msg: 'admin api key created', email: ADMIN_EMAIL, apiKey: key.apiKey })}\n`);
    // The admin has no password yet: a one-time link sets it (later: `fitroom users reset-password`).
    adminReset = await services.accounts.createPasswordReset(ADMIN_EMAIL);
  };
  // API nodes starting together on one PostgreSQL server: one of them creates the admin.
  await (db.withAdvisoryLock ? db.withAdvisoryLock(FIRST_START_LOCK_KEY, firstStart) : firstStart());

  await app.listen({ port: config.port, host: config.host, listenTextResolver: () => 'server started' });
  const url = loopbackUrl(config.host, app.server.address() as AddressInfo);
  urls.setBase(config.publicUrl ?? url);
  if (adminReset) {
    process.stdout.write(`${JSON.stringify({ msg: 'admin dashboard password', email: ADMIN_EMAIL, setPasswordUrl: `${urls.base()}/dashboard/reset?token=${adminReset.token}` })}\n`);
  }

  const adminFile = adminFilePath(config.dataDir);
  const admin: AdminFile = { url, token: adminToken, pid: process.pid };
  fs.writeFileSync(adminFile, JSON.stringify(admin), { mode: 0o600 });
  fs.chmodSync(adminFile, 0o600);
  app.log.info({ url, publicUrl: urls.base(), engine: config.engine, workers: config.workers, dataDir: config.dataDir, role: config.scaleout.role, nodeId }, 'listening');

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
        await nodes?.stop();
        store.close?.();
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
