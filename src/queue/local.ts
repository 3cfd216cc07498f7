/**
 * The embedded JobQueue: an in-process FIFO feeding a pool of worker_threads. Each worker loads
 * its engine once and runs one job at a time, so the API's event loop never runs engine work.
 *
 * - Inputs: `run()` copies the model (and garment) pixels once, when the job is handed to a worker,
 *   and transfers the copies; the caller's Raster buffers stay intact and usable, but must not be
 *   modified until `run()` settles. Results come back by transfer (no copy).
 * - A worker that dies (uncaught error, out of memory, process.exit) fails its in-flight job with a
 *   plain Error and is replaced at once; a worker that dies before it finished starting is replaced
 *   after a growing delay (0.1 s doubling to 10 s) so a broken install does not spin the CPU.
 * - Idle workers are unref'd (starting and busy ones are not): a process that forgets `close()` can still exit.
 */
import type { Worker } from 'node:worker_threads';
import type { EngineResult } from '../engine/types.ts';
import { engineInfo } from '../engine/registry.ts';
import { ApiError } from '../domain/errors.ts';
import { deserializeError, prepareJob } from './protocol.ts';
import { SOURCE_EXT, startThread } from './thread.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';
import type { EngineJob, JobQueue } from './types.ts';

export interface LocalQueueOptions {
  /** Engine id from the registry (`classic`, `test`). */
  engineId: string;
  /** Worker threads, at least 1 (the service defaults it to the core count). */
  workers: number;
  /** Jobs allowed to wait for a worker; one more gets a 503. 0 = never wait. */
  maxQueued: number;
  /**
   * Module the workers import `createEngine(id)` from. Default: the engine registry. Tests point it
   * at fixture engines (e.g. one that crashes) so the production registry stays clean.
   */
  engineModuleUrl?: string | URL;
}

const RETRY_AFTER_SECONDS = '5';
const STARTUP_BACKOFF_FIRST_MS = 100;
const STARTUP_BACKOFF_MAX_MS = 10_000;

/**
 * Young generation of an engine worker's V8 heap, in MB (three semi-spaces' worth: 64 MB each,
 * V8's default is 16 MB at most). The engine allocates full-size masks and float maps by the
 * hundred per call, nearly all dead by the call's end: in a small young generation they outlive
 * its scavenges and are copied, promoted and then collected by full mark-compacts. On 20 pairs
 * of the try-on eval (whose node runs with --max-semi-space-size=64, the same size) GC time went
 * down 40-60 % and process CPU time 6 % (an earlier A/B: engine time -11 %), peak RSS up 60-90 MB,
 * which two malloc arenas (MALLOC_ARENA_MAX=2, package.json) take back.
 */
export const ENGINE_YOUNG_GENERATION_MB = 192;

const WORKER_URL = new URL(`./worker${SOURCE_EXT}`, import.meta.url);
const REGISTRY_URL = new URL(`../engine/registry${SOURCE_EXT}`, import.meta.url);

interface QueuedJob {
  id: number;
  job: EngineJob;
  requestId?: string;
  enqueuedAt: number;
  resolve(result: EngineResult): void;
  reject(error: Error): void;
}

interface ActiveJob extends QueuedJob {
  dispatchedAt: number;
}

interface PoolWorker {
  id: number;
  worker: Worker;
  /** starting: engine not loaded yet; ready: loaded; failed: its load failed (the next job retries it). */
  state: 'starting' | 'ready' | 'failed';
  initError?: Error;
  job?: ActiveJob;
  /** Last 'error'/'messageerror' event, to explain an exit. */
  lastError?: Error;
  /** Set when the pool ends this worker on purpose (close). */
  terminating: boolean;
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function overloaded(detail: string): ApiError {
  return new ApiError('SERVER_ERROR', detail, {
    status: 503,
    headers: { 'Retry-After': RETRY_AFTER_SECONDS },
    retryable: true,
  });
}

export function createLocalQueue(options: LocalQueueOptions): JobQueue {
  const { engineId, workers: size, maxQueued } = options;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`workers: expected an integer >= 1, got ${size}`);
  if (!Number.isInteger(maxQueued) || maxQueued < 0) {
    throw new RangeError(`maxQueued: expected an integer >= 0, got ${maxQueued}`);
  }
  if (options.engineModuleUrl === undefined) engineInfo(engineId); // unknown id: fail here, not in every worker
  const config: WorkerConfig = {
    engineId,
    engineModuleUrl: String(options.engineModuleUrl ?? REGISTRY_URL.href),
  };

  const pool = new Set<PoolWorker>();
  const waiting: QueuedJob[] = [];
  const respawnTimers = new Set<NodeJS.Timeout>();
  let nextJobId = 1;
  let nextWorkerId = 1;
  let closing = false;
  let closed: Promise<void> | undefined;
  /** Consecutive workers that died before reporting ready/init-failed (drives the back-off). */
  let startupFailures = 0;
  let startupError: Error | undefined;

  // ready() and close() wait for "something changed" and look again.
  let changeWaiters: Array<() => void> = [];
  function notifyChange(): void {
    const waiters = changeWaiters;
    changeWaiters = [];
    for (const wake of waiters) wake();
  }
  function nextChange(): Promise<void> {
    return new Promise((resolve) => changeWaiters.push(resolve));
  }

  function runningCount(): number {
    let count = 0;
    for (const member of pool) if (member.job) count++;
    return count;
  }

  function idleWorker(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    const rank = { ready: 0, starting: 1, failed: 2 } as const;
    for (const member of pool) {
      if (member.job || member.terminating) continue;
      if (!best || rank[member.state] < rank[best.state]) best = member;
    }
    return best;
  }

  function spawn(): void {
    const id = nextWorkerId++;
    let worker: Worker;
    try {
      worker = startThread(WORKER_URL, config, `fitroom-engine-${id}`, { maxYoungGenerationSizeMb: ENGINE_YOUNG_GENERATION_MB });
    } catch (error) {
      startupFailures++;
      startupError = new Error(`engine worker could not start: ${(error as Error).message}`);
      notifyChange();
      scheduleRespawn(true);
      return;
    }
    const member: PoolWorker = { id, worker, state: 'starting', terminating: false };
    pool.add(member);
    // Starting is work in progress (ready() may be waiting on it); the worker is unref'd once idle.
    worker.on('message', (message: FromWorker) => onMessage(member, message));
    worker.on('error', (error) => {
      member.lastError = error;
    });
    worker.on('messageerror', (error) => {
      // A message from the worker could not be deserialised: its job's answer is lost.
      member.lastError = error;
      const active = member.job;
      if (active) finish(member, () => active.reject(new Error(`engine worker ${id}: unreadable reply: ${error.message}`)));
    });
    worker.on('exit', (code) => onExit(member, code));
  }

  function scheduleRespawn(afterStartupFailure: boolean): void {
    if (!afterStartupFailure) {
      spawn();
      pump();
      return;
    }
    const delay = Math.min(STARTUP_BACKOFF_FIRST_MS * 2 ** Math.max(startupFailures - 1, 0), STARTUP_BACKOFF_MAX_MS);
    const timer = setTimeout(() => {
      respawnTimers.delete(timer);
      if (closing && waiting.length === 0) return;
      spawn();
      pump();
    }, delay);
    // Keep the process alive for the respawn only if jobs wait for it.
    if (waiting.length === 0) timer.unref();
    respawnTimers.add(timer);
  }

  function finish(member: PoolWorker, settle: () => void): void {
    member.job = undefined;
    member.worker.unref();
    settle();
    pump();
    notifyChange();
  }

  function onMessage(member: PoolWorker, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        if (!member.job) member.worker.unref();
        member.state = 'ready';
        member.initError = undefined;
        startupFailures = 0;
        startupError = undefined;
        notifyChange();
        return;
      case 'init-failed':
        if (!member.job) member.worker.unref();
        member.state = 'failed';
        member.initError = new Error(`engine "${engineId}" failed to load: ${message.error.message}`, {
          cause: deserializeError(message.error),
        });
        startupFailures = 0;
        startupError = undefined;
        notifyChange();
        return;
      case 'result':
      case 'error': {
        const active = member.job;
        if (!active || active.id !== message.jobId) return;
        if (message.type === 'error') {
          finish(member, () => active.reject(deserializeError(message.error)));
          return;
        }
        const now = performance.now();
        const result: EngineResult = {
          ...message.result,
          timings: {
            ...message.result.timings,
            queue_wait: roundMs(active.dispatchedAt - active.enqueuedAt),
            worker_total: roundMs(now - active.dispatchedAt),
          },
        };
        finish(member, () => active.resolve(result));
        return;
      }
    }
  }

  function onExit(member: PoolWorker, code: number): void {
    pool.delete(member);
    const active = member.job;
    member.job = undefined;
    if (member.terminating) {
      notifyChange();
      return;
    }
    const diedStarting = member.state === 'starting';
    const cause = member.lastError ? `: ${member.lastError.message}` : '';
    if (active) {
      const request = active.requestId ? ` (request ${active.requestId})` : '';
      active.reject(new Error(`engine worker ${member.id} crashed while running a job${request}: exit code ${code}${cause}`));
    }
    if (diedStarting) {
      startupFailures++;
      startupError = new Error(`engine worker ${member.id} exited while starting: exit code ${code}${cause}`);
    }
    if (!closing || waiting.length > 0) scheduleRespawn(diedStarting);
    pump();
    notifyChange();
  }

  function dispatch(member: PoolWorker, queued: QueuedJob): void {
    const active: ActiveJob = { ...queued, dispatchedAt: performance.now() };
    let message: ToWorker;
    let transfer: ArrayBuffer[];
    try {
      const prepared = prepareJob(queued.job);
      message = { type: 'job', jobId: queued.id, requestId: queued.requestId, job: prepared.job };
      transfer = prepared.transfer;
      member.job = active;
      member.worker.ref();
      member.worker.postMessage(message, transfer);
    } catch (error) {
      // A malformed job (e.g. a request field that cannot be cloned): this job fails, the worker stays.
      member.job = undefined;
      member.worker.unref();
      queued.reject(new Error(`job could not be sent to an engine worker: ${(error as Error).message}`));
    }
  }

  function pump(): void {
    while (waiting.length > 0) {
      const member = idleWorker();
      if (!member) return;
      dispatch(member, waiting.shift() as QueuedJob);
    }
  }

  for (let i = 0; i < size; i++) spawn();

  return {
    run(job: EngineJob, runOptions: { requestId?: string } = {}): Promise<EngineResult> {
      return new Promise<EngineResult>((resolve, reject) => {
        if (closing) {
          reject(overloaded('server is shutting down, retry later'));
          return;
        }
        const startsNow = waiting.length === 0 && idleWorker() !== undefined;
        if (!startsNow && waiting.length >= maxQueued) {
          reject(overloaded('server is busy, retry later'));
          return;
        }
        waiting.push({
          id: nextJobId++,
          job,
          requestId: runOptions.requestId,
          enqueuedAt: performance.now(),
          resolve,
          reject,
        });
        // A worker respawn pending behind a back-off now has a job waiting on it: keep the process up for it.
        for (const timer of respawnTimers) timer.ref();
        pump();
      });
    },

    depth(): number {
      return waiting.length;
    },

    running(): number {
      return runningCount();
    },

    async ready(): Promise<void> {
      for (;;) {
        if (closing) throw new Error('job queue is closed');
        for (const member of pool) if (member.state === 'failed' && member.initError) throw member.initError;
        if (startupError) throw startupError;
        if (pool.size === size && [...pool].every((member) => member.state === 'ready')) return;
        await nextChange();
      }
    },

    close(): Promise<void> {
      closed ??= (async () => {
        closing = true;
        notifyChange();
        while (waiting.length > 0 || runningCount() > 0) await nextChange();
        for (const timer of respawnTimers) clearTimeout(timer);
        respawnTimers.clear();
        await Promise.all(
          [...pool].map(async (member) => {
            member.terminating = true;
            await member.worker.terminate();
          }),
        );
      })();
      return closed;
    },
  };
}
