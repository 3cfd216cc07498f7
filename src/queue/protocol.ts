/**
 * What the local queue and its worker threads say to each other. Messages are structured-cloned;
 * pixel buffers travel in transfer lists (moved, not copied). Errors cross as plain data and are
 * rebuilt on the main thread, because structured clone drops an Error's class and extra fields.
 */
import type { EngineResult } from '../engine/types.ts';
import { ApiError, ERROR_CODES } from '../domain/errors.ts';
import type { ErrorName } from '../domain/errors.ts';
import type { EngineJob } from './types.ts';

/** `workerData` of every pool worker. */
export interface WorkerConfig {
  engineId: string;
  /** Module with `createEngine(id): Engine | Promise<Engine>` (the registry, or a test fixture). */
  engineModuleUrl: string;
}

export type ToWorker = { type: 'job'; jobId: number; requestId?: string; job: EngineJob };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'result'; jobId: number; result: EngineResult }
  | { type: 'error'; jobId: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Present when the error was an ApiError. */
  api?: { errorName: ErrorName; detail: string; status: number; retryable: boolean; headers: Record<string, string> };
}

function isApiErrorLike(error: object): error is ApiError {
  const candidate = error as Partial<ApiError>;
  return (
    error instanceof ApiError ||
    (candidate.name === 'ApiError' &&
      typeof candidate.errorName === 'string' &&
      Object.hasOwn(ERROR_CODES, candidate.errorName) &&
      typeof candidate.detail === 'string')
  );
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: `non-Error thrown: ${String(error)}` };
  const serialized: SerializedError = { name: error.name, message: error.message, stack: error.stack };
  if (isApiErrorLike(error)) {
    serialized.api = {
      errorName: error.errorName,
      detail: error.detail,
      status: error.status,
      retryable: error.retryable,
      headers: { ...error.headers },
    };
  }
  return serialized;
}

/**
 * The error `run()` rejects with: EngineInputError → ApiError 20001 with the engine's reason;
 * ApiError → the same ApiError; anything else → a plain Error (the worker's stack kept for logs).
 */
export function deserializeError(error: SerializedError): Error {
  if (error.api) {
    const { errorName, detail, status, retryable, headers } = error.api;
    return new ApiError(errorName, detail, { status, retryable, headers });
  }
  if (error.name === 'EngineInputError') return new ApiError('TRY_ON_EXCEPTION', error.message);
  const plain = new Error(error.message);
  if (error.stack) plain.stack = error.stack;
  return plain;
}

/**
 * Pixels the main thread hands to a worker: a fresh, exact-size copy of each input buffer, which
 * is then transferred. One copy per input, so the caller keeps its own buffers intact and usable
 * (the service may still encode or hash them), and a view into a larger or pooled buffer never
 * drags the whole buffer across.
 */
export function prepareJob(job: EngineJob): { job: EngineJob; transfer: ArrayBuffer[] } {
  const model = { ...job.request.model, data: new Uint8Array(job.request.model.data) };
  const transfer: ArrayBuffer[] = [model.data.buffer];
  if (job.kind === 'tryon') {
    const garment = { ...job.request.garment, data: new Uint8Array(job.request.garment.data) };
    transfer.push(garment.data.buffer);
    return { job: { kind: 'tryon', request: { ...job.request, model, garment } }, transfer };
  }
  return { job: { kind: 'prompt', request: { ...job.request, model } }, transfer };
}

/**
 * Makes `data` transferable without copying when it already owns its whole buffer (the usual case
 * for engine output); otherwise (a view into a larger buffer, a pooled Node Buffer, shared memory)
 * copies it once into a buffer of its own.
 */
function ownedBytes(data: Uint8Array): Uint8Array {
  const ownsBuffer =
    data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return ownsBuffer ? data : new Uint8Array(data);
}

/**
 * The masks of EngineResult.diagnostics a queue carries back from its engine (a worker thread, or a
 * worker process through Redis: ./bullmq-transport.ts), so both deployments hand the service the
 * same result; the service needs `backgroundFill` and `photoKept` for a transparent person photo.
 */
export const DIAGNOSTIC_MASKS = ['oldGarment', 'newGarment', 'backgroundFill', 'photoKept'] as const;

/** The result a worker posts back, with every pixel buffer in the transfer list (moved, not copied). */
export function prepareResult(result: EngineResult): { result: EngineResult; transfer: ArrayBuffer[] } {
  const image = { ...result.image, data: ownedBytes(result.image.data) };
  const repaintMask = { ...result.repaintMask, data: ownedBytes(result.repaintMask.data) };
  const prepared: EngineResult = { image, repaintMask, timings: { ...result.timings } };
  const buffers = [image.data.buffer, repaintMask.data.buffer];
  if (result.diagnostics) {
    prepared.diagnostics = {};
    for (const key of DIAGNOSTIC_MASKS) {
      const mask = result.diagnostics[key];
      if (!mask) continue;
      const owned = { ...mask, data: ownedBytes(mask.data) };
      prepared.diagnostics[key] = owned;
      buffers.push(owned.data.buffer);
    }
  }
  // Two views may share one buffer; a transfer list must name each buffer once.
  return { result: prepared, transfer: [...new Set(buffers)] as ArrayBuffer[] };
}
