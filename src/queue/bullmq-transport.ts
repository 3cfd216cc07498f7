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

const bytesOf = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * Writes pixel values, each one SET with its expiry, all sent at once. Not a MULTI: the client
 * would copy every value a second time to join the transaction into one write, and the values
 * need no atomicity (a value written without the others expires unread).
 */
async function setPixels(redis: Redis, values: Array<[key: string, data: Uint8Array]>, ttlMs: number): Promise<void> {
  await Promise.all(values.map(([key, data]) => redis.set(key, bytesOf(data), 'PX', ttlMs)));
}

/** Stores the job's pixels and returns the job data that names them. */
export async function putJobPixels(redis: Redis, prefix: string, jobId: string, job: EngineJob, ttlMs: number, requestId?: string): Promise<EngineJobData> {
  const request: Record<string, unknown> = { ...job.request };
  const values: Array<[string, Uint8Array]> = [];
  for (const field of PIXEL_FIELDS) {
    const raster = request[field] as Raster | undefined;
    if (!raster) continue;
    const key = pixelKey(prefix, jobId, field);
    values.push([key, raster.data]);
    request[field] = { key, width: raster.width, height: raster.height, channels: raster.channels } satisfies PixelRef;
  }
  await setPixels(redis, values, ttlMs);
  return { kind: job.kind, requestId, request, pixelTtlMs: ttlMs };
}

/**
 * The pixels of `ref` from a reply, checked. Not copied: the bytes may be a view into the Redis
 * client's read buffer, which is fine for reading them (the API encodes them) and for the local
 * queue, which copies every input into a buffer of its own to transfer it to a worker thread.
 */
function pixelsOf(ref: PixelRef, bytes: Buffer | null): Uint8Array {
  const expected = ref.width * ref.height * (ref.channels ?? 1);
  if (!bytes) throw new Error(`pixels ${ref.key} are gone from Redis (expired before the job ran)`);
  if (bytes.length !== expected) throw new Error(`pixels ${ref.key}: ${bytes.length} bytes, expected ${expected}`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The worker's side: the EngineJob back from job data, its pixels read in one round trip. */
export async function getJobPixels(redis: Redis, data: EngineJobData): Promise<EngineJob> {
  const request: Record<string, unknown> = { ...data.request };
  const refs = PIXEL_FIELDS.flatMap((field) => (request[field] ? [[field, request[field] as PixelRef] as const] : []));
  const values = refs.length > 0 ? await redis.mgetBuffer(...refs.map(([, ref]) => ref.key)) : [];
  refs.forEach(([field, ref], i) => {
    request[field] = { width: ref.width, height: ref.height, channels: ref.channels ?? 3, data: pixelsOf(ref, values[i]) } satisfies Raster;
  });
  // Trusted data: this deployment's API wrote it from an EngineJob (putJobPixels).
  return { kind: data.kind, request } as unknown as EngineJob;
}

/** Redis value names of a job's pixels: inputs, result, repaint mask and diagnostic masks. */
const JOB_PIXEL_NAMES = ['model', 'garment', 'result', 'mask', ...DIAGNOSTIC_MASKS.map((name) => `diag-${name}`)];

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
  const values: Array<[string, Uint8Array]> = [
    [imageKey, image.data],
    [maskKey, mask.data],
  ];
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
      values.push([key, diagnostic.data]);
      diagnostics[name] = { key, width: diagnostic.width, height: diagnostic.height };
    }
    value.diagnostics = diagnostics;
  }
  await setPixels(redis, values, ttlMs);
  return value;
}

/**
 * The API reads a result's pixels back and deletes every pixel value of the job, all in one round
 * trip (one MULTI: the reads, then the delete).
 */
export async function takeResultPixels(redis: Redis, prefix: string, jobId: string, value: EngineJobResult): Promise<EngineResult> {
  const diagnosticRefs = DIAGNOSTIC_MASKS.flatMap((name) => (value.diagnostics?.[name] ? [[name, value.diagnostics[name]] as const] : []));
  const refs = [value.image, value.repaintMask, ...diagnosticRefs.map(([, ref]) => ref)];
  const multi = redis.multi();
  for (const ref of refs) multi.getBuffer(ref.key);
  const replies = (await multi.del(...jobPixelKeys(prefix, jobId)).exec()) ?? [];
  const bytes = refs.map((ref, i) => {
    const [err, reply] = replies[i] ?? [new Error('no reply')];
    if (err) throw err;
    return pixelsOf(ref, reply as Buffer | null);
  });
  const maskAt = (i: number): Mask => ({ width: refs[i].width, height: refs[i].height, data: bytes[i] });
  const image: Raster = { width: value.image.width, height: value.image.height, channels: value.image.channels ?? 3, data: bytes[0] };
  const result: EngineResult = { image, repaintMask: maskAt(1), timings: value.timings };
  if (value.diagnostics) {
    result.diagnostics = Object.fromEntries(diagnosticRefs.map(([name], i) => [name, maskAt(2 + i)]));
  }
  return result;
}

function jobPixelKeys(prefix: string, jobId: string): string[] {
  return JOB_PIXEL_NAMES.map((name) => pixelKey(prefix, jobId, name));
}

export async function deleteJobPixels(redis: Redis, prefix: string, jobId: string): Promise<void> {
  await redis.del(...jobPixelKeys(prefix, jobId));
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
