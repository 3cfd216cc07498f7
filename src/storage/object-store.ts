/**
 * Where results, masks and preset images live. The embedded implementation keeps files under the
 * data dir (./files.ts); the scale-out one an S3-compatible bucket (./s3.ts).
 * Keys are relative paths of lowercase letters, digits, `_`, `-`, `.` and `/` with no empty, `.` or
 * `..` segment, ending in an extension that names the content type.
 */
import type { Readable } from 'node:stream';

export interface StoredObject {
  contentType: string;
  size: number;
  /** The bytes as a stream (read once). */
  stream(): Readable;
  bytes(): Promise<Buffer>;
}

export interface ObjectStore {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** null when no object has this key (or the key is not a valid key). */
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /**
   * A time-limited URL the client can fetch the object from directly (null: no such object).
   * Only stores that can presign have it (S3 with S3_PRESIGN_SECONDS); `GET /files/KEY` redirects there.
   */
  presignedUrl?(key: string): Promise<string | null>;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  webp: 'image/webp',
  jpg: 'image/jpeg',
  png: 'image/png',
  avif: 'image/avif',
});

/** The file extension for an image format / content type used in keys. */
export function extensionFor(contentType: string): string {
  const ext = Object.keys(CONTENT_TYPES).find((e) => CONTENT_TYPES[e] === contentType);
  if (!ext) throw new Error(`unsupported content type ${contentType}`);
  return ext;
}

const KEY_RE = /^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_.-]*)*\.[a-z0-9]+$/;

/** Whether `key` is safe to turn into a path (no traversal, no absolute paths, known extension). */
export function isValidKey(key: string): boolean {
  if (key.length > 256 || !KEY_RE.test(key)) return false;
  if (key.split('/').some((seg) => seg === '.' || seg === '..' || seg.startsWith('.'))) return false;
  const ext = key.slice(key.lastIndexOf('.') + 1);
  return ext in CONTENT_TYPES;
}

export function contentTypeOfKey(key: string): string | undefined {
  return CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)];
}
