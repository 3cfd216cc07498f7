/**
 * What the API and the engine workers of a BullMQ deployment send each other through Redis.
 * Job data and return values are JSON in BullMQ; pixels are not: every Raster/Mask travels as one
 * binary Redis value (`PREFIX:px:JOB:NAME`, expiring), and the JSON carries its shape and key.
 * Errors cross as the local queue's SerializedError, JSON in the failure reason.
 */
import type { Redis } from 'ioredis';
import type { EngineResult } from '../engine/types.ts';
import type { Mask, Raster } from '../imaging/raster.ts';
import { DIAGNOSTIC_MASKS, deserializeError, serializeError, type SerializedError } from './protocol.ts';
import type { EngineJob } from './types.ts';

/** The BullMQ queue every API node adds to and every worker takes from. */
export const ENGINE_QUEUE_NAME = 'engine';

export interface PixelRef {
  key: string;
  width: number;
  height: number;
  /** Absent for a Mask (one channel). */
  channels?: 1 | 3 | 4;
}

/** BullMQ job data: the EngineJob with its pixels replaced by references. */
export interface EngineJobData {
  kind: EngineJob['kind'];
  requestId?: string;
  /** The request's fields; model/garment are PixelRefs. */
  request: Record<string, unknown>;
  /** How long result pixels are kept for the API to read, ms. */
  pixelTtlMs: number;
}

/** BullMQ return value. */
export interface EngineJobResult {
  image: PixelRef;
  repaintMask: PixelRef;
  timings: Record<string, number>;
  /** The engine's diagnostic masks (those of DIAGNOSTIC_MASKS it returned), when the job asked for them. */
  diagnostics?: Partial<Record<DiagnosticMask, PixelRef>>;
}

type DiagnosticMask = (typeof DIAGNOSTIC_MASKS)[number];

const PIXEL_FIELDS = ['model', 'garment'] as const;

export function pixelKey(prefix: string, jobId: string, name: string): string {
  return `${prefix}:px:${jobId}:${name}`;
}

/** Stores the job's pixels (one MULTI) and returns the job data that names them. */
export async function putJobPixels(redis: Redis, prefix: string, jobId: string, job: EngineJob, ttlMs: number, requestId?: string): Promise<EngineJobData> {
  const request: Record<string, unknown> = { ...job.request };
  const multi = redis.multi();
  for (const field of PIXEL_FIELDS) {
    const raster = request[field] as Raster | undefined;
    if (!raster) continue;
    const key = pixelKey(prefix, jobId, field);
    multi.set(key, Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength), 'PX', ttlMs);
    request[field] = { key, width: raster.width, height: raster.height, channels: raster.channels } satisfies PixelRef;
  }
  await multi.exec();
  return { kind: job.kind, requestId, request, pixelTtlMs: ttlMs };
}

async function readPixels(redis: Redis, ref: PixelRef): Promise<Uint8Array> {
  const bytes = await redis.getBuffer(ref.key);
  const expected = ref.width * ref.height * (ref.channels ?? 1);
  if (!bytes) throw new Error(`pixels ${ref.key} are gone from Redis (expired before the job ran)`);
  if (bytes.length !== expected) throw new Error(`pixels ${ref.key}: ${bytes.length} bytes, expected ${expected}`);
  // A copy the engine owns outright (the local queue transfers it to a worker thread).
  return new Uint8Array(bytes);
}

/** The worker's side: the EngineJob back from job data. */
export async function getJobPixels(redis: Redis, data: EngineJobData): Promise<EngineJob> {
  const request: Record<string, unknown> = { ...data.request };
  for (const field of PIXEL_FIELDS) {
    const ref = request[field] as PixelRef | undefined;
    if (!ref) continue;
    request[field] = { width: ref.width, height: ref.height, channels: ref.channels ?? 3, data: await readPixels(redis, ref) } satisfies Raster;
  }
  // Trusted data: this deployment's API wrote it from an EngineJob (putJobPixels).
  return { kind: data.kind, request } as unknown as EngineJob;
}

/** Redis value names of a job's pixels: inputs, result, repaint mask and diagnostic masks. */
const JOB_PIXEL_NAMES = ['model', 'garment', 'result', 'mask', ...DIAGNOSTIC_MASKS.map((name) => `diag-${name}`)];

const bytesOf = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * The worker stores a result's pixels and returns what the API needs to read them: the image, the
 * repaint mask and, when the engine returned them (the job asked: a transparent person photo), the
 * diagnostic masks the worker-thread queue carries too (DIAGNOSTIC_MASKS), so the API node gets the
 * same EngineResult as the embedded deployment.
 */
export async function putResultPixels(redis: Redis, prefix: string, jobId: string, result: EngineResult, ttlMs: number): Promise<EngineJobResult> {
  const image = result.image;
  const mask = result.repaintMask;
  const imageKey = pixelKey(prefix, jobId, 'result');
  const maskKey = pixelKey(prefix, jobId, 'mask');
  const multi = redis.multi().set(imageKey, bytesOf(image.data), 'PX', ttlMs).set(maskKey, bytesOf(mask.data), 'PX', ttlMs);
  const value: EngineJobResult = {
    image: { key: imageKey, width: image.width, height: image.height, channels: image.channels },
    repaintMask: { key: maskKey, width: mask.width, height: mask.height },
    timings: { ...result.timings },
  };
  if (result.diagnostics) {
    const diagnostics: NonNullable<EngineJobResult['diagnostics']> = {};
    for (const name of DIAGNOSTIC_MASKS) {
      const diagnostic = result.diagnostics[name];
      if (!diagnostic) continue;
      const key = pixelKey(prefix, jobId, `diag-${name}`);
      multi.set(key, bytesOf(diagnostic.data), 'PX', ttlMs);
      diagnostics[name] = { key, width: diagnostic.width, height: diagnostic.height };
    }
    value.diagnostics = diagnostics;
  }
  await multi.exec();
  return value;
}

const maskOf = async (redis: Redis, ref: PixelRef): Promise<Mask> => ({ width: ref.width, height: ref.height, data: await readPixels(redis, ref) });

/** The API reads a result's pixels back (and deletes every pixel value of the job). */
export async function takeResultPixels(redis: Redis, prefix: string, jobId: string, value: EngineJobResult): Promise<EngineResult> {
  const image: Raster = { width: value.image.width, height: value.image.height, channels: value.image.channels ?? 3, data: await readPixels(redis, value.image) };
  const result: EngineResult = { image, repaintMask: await maskOf(redis, value.repaintMask), timings: value.timings };
  if (value.diagnostics) {
    const diagnostics: NonNullable<EngineResult['diagnostics']> = {};
    for (const name of DIAGNOSTIC_MASKS) {
      const ref = value.diagnostics[name];
      if (ref) diagnostics[name] = await maskOf(redis, ref);
    }
    result.diagnostics = diagnostics;
  }
  await deleteJobPixels(redis, prefix, jobId);
  return result;
}

export async function deleteJobPixels(redis: Redis, prefix: string, jobId: string): Promise<void> {
  await redis.del(...JOB_PIXEL_NAMES.map((name) => pixelKey(prefix, jobId, name)));
}

/** Marks a failure reason as ours (BullMQ's own reasons, e.g. a stalled job, are plain text). */
const ERROR_TAG = 'fitroom-error:';

export function encodeFailure(error: unknown): string {
  return ERROR_TAG + JSON.stringify(serializeError(error));
}

/** The error `JobQueue.run()` rejects with for a failed BullMQ job (see JobQueue.run). */
export function decodeFailure(reason: string): Error {
  if (reason.startsWith(ERROR_TAG)) {
    try {
      return deserializeError(JSON.parse(reason.slice(ERROR_TAG.length)) as SerializedError);
    } catch {
      // fall through: report the text
    }
  }
  return new Error(`engine job failed: ${reason}`);
}
