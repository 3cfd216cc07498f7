/**
 * The job queue between the API and the engines. The API submits a job and awaits its result;
 * an implementation decides where the engine runs (a local worker_threads pool today, BullMQ
 * workers on other machines later). Engine work never runs on the API's event loop.
 */
import type { EngineResult, PromptRequest, TryOnRequest } from '../engine/types.ts';

export type EngineJob = { kind: 'tryon'; request: TryOnRequest } | { kind: 'prompt'; request: PromptRequest };

export interface JobQueue {
  /**
   * Runs one job and resolves with the engine's result; `timings` gains `queue_wait` (ms waiting for
   * a free worker) and `worker_total` (ms from hand-off to the worker until the result is back).
   * Rejects with:
   * - ApiError TRY_ON_EXCEPTION (20001) with the engine's reason when the engine threw EngineInputError;
   * - an ApiError thrown by the engine, unchanged (name, detail, status, retryable, headers);
   * - ApiError SERVER_ERROR, status 503, `Retry-After: 5`, retryable, when the queue is full or closing;
   * - a plain Error for anything else (a crashed worker, an engine bug): the API answers a generic 500.
   */
  run(job: EngineJob, options?: { requestId?: string }): Promise<EngineResult>;
  /** Jobs waiting for a worker. */
  depth(): number;
  /** Jobs inside workers now. */
  running(): number;
  /** Resolves once every worker has loaded its engine (engine.init()); rejects if a worker cannot. */
  ready(): Promise<void>;
  /** Stops taking jobs (run() then rejects with a 503 ApiError), finishes running and queued jobs, ends the workers. */
  close(): Promise<void>;
}
