/**
 * The scale-out JobQueue, API side: jobs go to BullMQ on Redis (`REDIS_URL`) and engine worker
 * processes on any machine take them (./bullmq-worker.ts). `run()` keeps the synchronous API's
 * contract across processes: it waits for its own job's result, at most `deadlineMs`.
 *
 * - A job whose worker dies (SIGKILL, lost machine) stops renewing its lock; another worker takes it
 *   over (BullMQ's stalled-job check), up to `maxStalls` times. An unexpected engine error is retried
 *   up to `attempts` runs; an engine input error (20001) or another ApiError is final at once.
 * - Charging stays with the API node that reserved (src/domain/generation.ts): it charges once, when
 *   it has the result, however many runs the job took. A call that ends in an error is never charged.
 * - Past the deadline `run()` rejects with a retryable 503; a job still waiting is removed, one
 *   already running finishes and its result expires unread in Redis.
 */
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ApiError } from '../domain/errors.ts';
import type { EngineResult } from '../engine/types.ts';
import { decodeFailure, deleteJobPixels, ENGINE_QUEUE_NAME, putJobPixels, takeResultPixels, type EngineJobData, type EngineJobResult } from './bullmq-transport.ts';
import type { EngineJob, JobQueue } from './types.ts';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Redis key prefix (several deployments may share one Redis). */
  prefix: string;
  /** Longest `run()` waits for its result, ms. */
  deadlineMs: number;
  /** Runs of a job after unexpected errors (1 = no retry). */
  attempts: number;
  /** Jobs this process may have waiting in Redis before `run()` answers 503. */
  maxQueued: number;
}

const RETRY_AFTER_SECONDS = '5';
/** Pause between runs of a job that failed with an unexpected error, ms. */
const RETRY_DELAY_MS = 200;
/** Finished jobs are kept this long in Redis for operators to inspect, s. */
const KEEP_FINISHED_SECONDS = 3600;

function unavailable(detail: string): ApiError {
  return new ApiError('SERVER_ERROR', detail, { status: 503, headers: { 'Retry-After': RETRY_AFTER_SECONDS }, retryable: true });
}

/** The Redis connection options BullMQ needs for blocking commands (no per-command retry limit). */
export function bullConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}

export async function createBullmqQueue(options: BullmqQueueOptions): Promise<JobQueue & { workers(): Promise<number> }> {
  const redis = bullConnection(options.redisUrl);
  const queue = new Queue<EngineJobData, EngineJobResult>(ENGINE_QUEUE_NAME, { connection: redis, prefix: options.prefix });
  const events = new QueueEvents(ENGINE_QUEUE_NAME, { connection: bullConnection(options.redisUrl), prefix: options.prefix });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);

  /** Jobs of this process not finished yet: id → whether a worker has taken it. */
  const mine = new Map<string, boolean>();
  events.on('active', ({ jobId }) => {
    if (mine.has(jobId)) mine.set(jobId, true);
  });
  // A job whose worker died goes back to waiting.
  events.on('stalled', ({ jobId }) => {
    if (mine.has(jobId)) mine.set(jobId, false);
  });
  let closing = false;
  const inFlight = new Set<Promise<unknown>>();

  async function runJob(job: EngineJob, requestId: string | undefined): Promise<EngineResult> {
    const jobId = `eng_${randomBytes(12).toString('hex')}`;
    // Pixels outlive the wait by a margin, so a worker that took the job at the last moment can still read them.
    const pixelTtlMs = options.deadlineMs * 2;
    const data = await putJobPixels(redis, options.prefix, jobId, job, pixelTtlMs, requestId);
    mine.set(jobId, false);
    try {
      const added = await queue.add(job.kind, data, {
        jobId,
        attempts: options.attempts,
        backoff: { type: 'fixed', delay: RETRY_DELAY_MS },
        removeOnComplete: { age: KEEP_FINISHED_SECONDS },
        removeOnFail: { age: KEEP_FINISHED_SECONDS },
      });
      let value: EngineJobResult;
      try {
        value = await added.waitUntilFinished(events, options.deadlineMs);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (/timed out before finishing/.test(message)) {
          // Still waiting: nobody will run it now. Running: it finishes, unread.
          await added.remove().catch(() => {});
          await deleteJobPixels(redis, options.prefix, jobId).catch(() => {});
          throw unavailable(`no engine worker finished this call within ${Math.round(options.deadlineMs / 1000)} s, retry later`);
        }
        await deleteJobPixels(redis, options.prefix, jobId).catch(() => {});
        throw decodeFailure(message);
      }
      return await takeResultPixels(redis, options.prefix, jobId, value);
    } finally {
      mine.delete(jobId);
    }
  }

  return {
    async run(job, runOptions = {}) {
      if (closing) throw unavailable('server is shutting down, retry later');
      const waiting = [...mine.values()].filter((taken) => !taken).length;
      if (waiting >= options.maxQueued) throw unavailable('server is busy, retry later');
      const run = runJob(job, runOptions.requestId);
      inFlight.add(run);
      run.then(
        () => inFlight.delete(run),
        () => inFlight.delete(run),
      );
      return run;
    },
    depth() {
      return [...mine.values()].filter((taken) => !taken).length;
    },
    running() {
      return [...mine.values()].filter((taken) => taken).length;
    },
    async ready() {
      // The API is ready once Redis answers; engines live in the worker processes, which report their own readiness.
      await redis.ping();
    },
    /** Worker processes connected to the queue now. */
    workers() {
      return queue.getWorkersCount();
    },
    async close() {
      closing = true;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await events.close();
      await queue.close();
      await redis.quit().catch(() => {});
    },
  };
}
