/**
 * `ROLE=worker`: an engine worker process. It takes jobs from BullMQ (src/queue/bullmq-worker.ts),
 * registers itself in the shared database's `nodes` table with what it runs (engine id, version,
 * models, threads), and answers operators on its own small HTTP server:
 *
 * - `GET /healthz`: the process answers;
 * - `GET /readyz`: engine loaded in every thread, Redis and the database reachable (else 503),
 *   with the engine's id, version and models;
 * - `GET /metrics`: Prometheus (jobs completed and failed, jobs in the engine, process defaults).
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { Redis } from 'ioredis';
import { envelope, toApiError } from '../api/errors.ts';
import { metricsRoute } from '../api/routes/misc.ts';
import { errorEnvelope } from '../api/schemas.ts';
import { closeConnectionsOnStop } from '../api/shutdown.ts';
import type { Config } from '../config/index.ts';
import { openDatabase } from '../db/index.ts';
import { ApiError } from '../domain/errors.ts';
import { engineInfo, engineModels } from '../engine/registry.ts';
import { startBullmqWorker } from '../queue/bullmq-worker.ts';
import { ClusterNodes, newNodeId } from './nodes.ts';

export interface RunningWorkerNode {
  url: string;
  nodeId: string;
  close(): Promise<void>;
}

/** What a worker says about itself (readiness, the `nodes` table, the start-up log line). */
export function workerInfo(config: Config): { engine: string; version: string; models: readonly string[]; threads: number } {
  const { id, version } = engineInfo(config.engine);
  return { engine: id, version, models: engineModels(config.engine), threads: config.workers };
}

export async function startWorkerNode(config: Config): Promise<RunningWorkerNode> {
  const { redisUrl, databaseUrl, redisPrefix } = config.scaleout;
  if (!redisUrl || !databaseUrl) throw new Error('ROLE=worker needs REDIS_URL and DATABASE_URL');
  const app = Fastify({ logger: { level: config.logLevel } });
  // The error envelope schema the shared /metrics route refers to.
  app.addSchema(errorEnvelope);
  const nodeId = newNodeId();
  const info = workerInfo(config);
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl, nodeId });
  const probe = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  probe.on('error', () => {}); // reported by /readyz

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fitroom_process_' });
  const jobs = new Counter({ name: 'fitroom_worker_jobs_total', help: 'Engine jobs this worker finished, by outcome', labelNames: ['outcome'] as const, registers: [registry] });
  let running = () => 0;
  new Gauge({ name: 'fitroom_worker_jobs_running', help: 'Engine jobs running in this worker now', registers: [registry], collect() { this.set(running()); } });
  new Gauge({ name: 'fitroom_worker_threads', help: 'Engine threads of this worker', registers: [registry] }).set(config.workers);

  const worker = await startBullmqWorker({
    redisUrl,
    prefix: redisPrefix,
    engineId: config.engine,
    threads: config.workers,
    lockMs: config.scaleout.jobLockMs,
    maxStalls: config.scaleout.jobMaxStalls,
    onError: (err) => app.log.error({ err }, 'job queue error'),
    onFinished: (outcome) => jobs.inc({ outcome }),
  });
  running = () => worker.running();
  const nodes = new ClusterNodes(db, { nodeId, role: 'worker', info, timeoutMs: config.scaleout.nodeTimeoutMs, onError: (err) => app.log.error({ err }, 'heartbeat failed') });
  await nodes.start();

  // Keep-alive connections do not hold the stop up (src/api/shutdown.ts); it starts at close().
  const beginHttpStop = closeConnectionsOnStop(app);
  app.setErrorHandler((err, _request, reply) => {
    const { error } = toApiError(err);
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return reply.status(error.status).send(envelope(error));
  });
  app.get('/healthz', async () => ({ code: 200, msg: 'OK', data: { status: 'ok', role: 'worker' } }));
  app.get('/readyz', async () => {
    const check = async (probeFn: () => Promise<unknown>) => probeFn().then(() => 'ok', () => 'unreachable');
    const [redis, database, engine] = await Promise.all([
      check(() => probe.ping()),
      check(() => db.query('SELECT 1')),
      worker.ready().then(() => 'ready', () => 'failed'),
    ]);
    if (redis !== 'ok' || database !== 'ok' || engine !== 'ready') {
      throw new ApiError('SERVER_ERROR', `not ready: redis ${redis}, database ${database}, engine ${engine}`, { status: 503, headers: { 'retry-after': '5' }, retryable: true });
    }
    return { code: 200, msg: 'OK', data: { status: 'ready', role: 'worker', nodeId, redis, database, ...info } };
  });
  metricsRoute(app, registry, config.metricsToken);

  await app.listen({ port: config.port, host: config.host, listenTextResolver: () => 'worker http started' });
  const address = app.server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : address.address}:${address.port}`;
  app.log.info({ url, role: 'worker', nodeId, ...info }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    nodeId,
    close() {
      closing ??= (async () => {
        app.log.info('shutting down');
        // Health checks and scrapes are still answered while the jobs drain, each on a connection
        // that then ends.
        beginHttpStop();
        // Finish the jobs in hand (their locks stay renewed), then leave.
        await worker.close();
        await app.close();
        await nodes.stop();
        probe.disconnect();
        await db.close();
        app.log.info('stopped');
      })();
      return closing;
    },
  };
}
