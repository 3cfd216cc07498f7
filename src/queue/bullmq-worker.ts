/**
 * An engine worker process of the scale-out deployment (`ROLE=worker`): takes jobs from BullMQ and
 * runs them in this machine's worker_threads pool (./local.ts, one engine per thread), so the
 * process's event loop stays free to renew its job locks while the engine works.
 *
 * Failures: an ApiError that is not retryable (20001 from an engine input error, ...) fails the job
 * at once (UnrecoverableError); anything else fails this run, and BullMQ runs it again up to the
 * job's attempts. A worker that dies mid-job is noticed by the others when its lock lapses.
 */
import { Worker, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { ApiError } from '../domain/errors.ts';
import { bullConnection } from './bullmq.ts';
import { encodeFailure, ENGINE_QUEUE_NAME, getJobPixels, putResultPixels, type EngineJobData, type EngineJobResult } from './bullmq-transport.ts';
import { createLocalQueue } from './local.ts';
import type { JobQueue } from './types.ts';

export interface BullmqWorkerOptions {
  redisUrl: string;
  prefix: string;
  engineId: string;
  /** Engine threads in this process = jobs it runs at once. */
  threads: number;
  /** Job lock: renewed every half of it while a job runs; a lock not renewed this long marks this worker dead, ms. */
  lockMs: number;
  /** Times a job may lose its worker before it fails for good. */
  maxStalls: number;
  /** Test fixtures: another engine module for the local pool. */
  engineModuleUrl?: string | URL;
  onError?: (err: unknown) => void;
  /** Each job this process finishes (a failed run that BullMQ will retry counts as failed). */
  onFinished?: (outcome: 'completed' | 'failed') => void;
}

export interface EngineWorker {
  /** Resolves once every engine thread has loaded its engine. */
  ready(): Promise<void>;
  /** Jobs in the engine now. */
  running(): number;
  /** Stops taking jobs, finishes the running ones, ends the threads. */
  close(): Promise<void>;
}

export async function startBullmqWorker(options: BullmqWorkerOptions): Promise<EngineWorker> {
  const local: JobQueue = createLocalQueue({
    engineId: options.engineId,
    workers: options.threads,
    maxQueued: options.threads,
    engineModuleUrl: options.engineModuleUrl,
  });
  // Take no job before the engine can run it: a job on a worker whose engine cannot load would fail.
  await local.ready();
  const redis: Redis = bullConnection(options.redisUrl);
  // BullMQ leaves a connection it was handed open on close(): closed below, so a process that stops
  // its worker (a test, an API node with ROLE=all) is not kept alive by it.
  const workerConnection: Redis = bullConnection(options.redisUrl);

  const worker = new Worker<EngineJobData, EngineJobResult>(
    ENGINE_QUEUE_NAME,
    async (job) => {
      const startedAt = Date.now();
      let engineJob;
      try {
        engineJob = await getJobPixels(redis, job.data);
      } catch (err) {
        // The API gave up (its pixels expired): running it again cannot help.
        throw new UnrecoverableError(encodeFailure(err));
      }
      try {
        const result = await local.run(engineJob, { requestId: job.data.requestId });
        // Time from the API's add to this worker's start (clocks of two machines: approximate).
        result.timings.queue_wait = Math.max(0, startedAt - job.timestamp);
        return await putResultPixels(redis, options.prefix, job.id!, result, job.data.pixelTtlMs);
      } catch (err) {
        if (err instanceof ApiError && !err.retryable) throw new UnrecoverableError(encodeFailure(err));
        throw new Error(encodeFailure(err));
      }
    },
    {
      connection: workerConnection,
      prefix: options.prefix,
      concurrency: options.threads,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      maxStalledCount: options.maxStalls,
    },
  );
  worker.on('completed', () => options.onFinished?.('completed'));
  worker.on('failed', () => options.onFinished?.('failed'));
  worker.on('error', (err) => options.onError?.(err));
  await worker.waitUntilReady();

  return {
    ready: () => local.ready(),
    running: () => local.running(),
    async close() {
      await worker.close();
      await local.close();
      await redis.quit().catch(() => {});
      await workerConnection.quit().catch(() => {});
    },
  };
}
