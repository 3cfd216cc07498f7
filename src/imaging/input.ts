/**
 * The contract's four image input forms, resolved to one decoded image:
 *   1. an uploaded file part (bytes);
 *   2. an http:// or https:// URL (downloaded with the injected `ImageFetcher`);
 *   3. a data URI, `data:image/...;base64,...` (any MIME type: the bytes decide the format);
 *   4. bare base64 of the image bytes (standard or url-safe alphabet, whitespace/newlines tolerated).
 *
 * A file part whose bytes are not an image but text (UTF-8, no control characters) is read as that text: Python
 * `requests.post(files={'modelImg': 'https://...'})` sends text values as file parts.
 * Every refusal is `ApiError('INVALID_PARAM')` whose detail starts with the field name.
 */
import { ApiError } from '../domain/errors.ts';
import type { ImageFetcher } from '../net/image-fetcher.ts';
import { decodeInspected, inspectImage, type DecodedImage, type ImageHeader } from './decode.ts';
import { DEFAULT_IMAGE_LIMITS, formatMegabytes, type ImageLimits } from './limits.ts';
import { ACCEPTED_FORMATS_TEXT, sniffImageFormat } from './sniff.ts';

export type { DecodedImage, ImageHeader } from './decode.ts';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.ts';

export type ImageFieldValue = { kind: 'file'; bytes: Buffer } | { kind: 'text'; text: string };

export interface ResolveImageDeps {
  fetcher: ImageFetcher;
  limits: ImageLimits;
}

const ACCEPTED_FORMS =
  'an image file, an http(s) URL, a data URI (data:image/...;base64,...) or base64-encoded image bytes';

function refuse(field: string, detail: string, status?: number): ApiError {
  return new ApiError('INVALID_PARAM', `${field}: ${detail}`, { status });
}

/** Longest text an image field may carry: base64 of `maxBytes` plus room for a data-URI prefix and line breaks. */
function maxTextLength(limits: ImageLimits): number {
  const base64 = Math.ceil(limits.maxBytes / 3) * 4;
  return base64 + Math.ceil(base64 / 60) * 2 + 1024;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text a file part carries when a client sent a text value as a file (Python `requests`
 * `files=`): valid UTF-8 (URLs may hold non-ASCII paths) with no control characters other than
 * whitespace. Returns null for anything else, i.e. binary data.
 */
function textOfFilePart(bytes: Buffer): string | null {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x7f || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) return null;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** A short, safe excerpt of what the client sent, for "got ..." in messages. */
function excerpt(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}...` : clean);
}

/**
 * Decodes base64 (standard or url-safe alphabet, padding optional, whitespace ignored).
 * Returns null when the text holds anything else, so callers can say what was wrong.
 */
function decodeBase64(text: string): Buffer | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return null;
  // Length modulo 4 of 1 cannot be valid base64.
  if (compact.replace(/=+$/, '').length % 4 === 1) return null;
  return Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Percent-decoding to raw bytes, for the rare non-base64 data URI (`data:image/svg+xml,%3Csvg...`). */
function percentDecodeToBytes(text: string): Buffer | null {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (ch > 0x7f) {
      return null;
    } else {
      out.push(ch);
    }
  }
  return Buffer.from(out);
}

/** `data:[<mediatype>][;param=value]*[;base64],<data>` → bytes. */
function decodeDataUri(field: string, text: string): Buffer {
  const comma = text.indexOf(',');
  if (comma === -1) throw refuse(field, 'data URI has no comma before its data; expected data:image/...;base64,...');
  const header = text.slice(5, comma).trim().toLowerCase();
  const payload = text.slice(comma + 1);
  const params = header.split(';').map((part) => part.trim());
  const mediaType = params[0];
  if (mediaType !== '' && !mediaType.startsWith('image/') && mediaType !== 'application/octet-stream') {
    throw refuse(field, `data URI has media type ${excerpt(mediaType)}; expected an image type such as data:image/jpeg;base64,...`);
  }
  const isBase64 = params.slice(1).includes('base64');
  const bytes = isBase64 ? decodeBase64(payload) : percentDecodeToBytes(payload);
  if (bytes === null) {
    throw refuse(field, isBase64 ? 'data URI payload is not valid base64' : 'data URI payload is not valid percent-encoded data');
  }
  if (bytes.length === 0) throw refuse(field, 'data URI holds no image data');
  return bytes;
}

/**
 * Refuses text far longer than any image within the byte limit could encode to, before running
 * regular expressions or base64 over it. Exact size checks happen on the decoded bytes (decodeImage).
 */
function checkTextLength(field: string, text: string, limits: ImageLimits): void {
  if (text.length > maxTextLength(limits)) {
    const approximate = Math.floor((text.length * 3) / 4);
    throw refuse(field, `image is about ${formatMegabytes(approximate)} as base64 text, the limit is ${formatMegabytes(limits.maxBytes)}`, 413);
  }
}

/** Text value → image bytes (URL download, data URI or base64). */
async function bytesFromText(field: string, rawText: string, deps: ResolveImageDeps): Promise<Buffer> {
  const text = rawText.trim();
  if (text === '') throw refuse(field, `is required and must not be empty; send ${ACCEPTED_FORMS}`);
  checkTextLength(field, text, deps.limits);
  if (/^https?:\/\//i.test(text)) return deps.fetcher.fetch(text, field);
  if (/^data:/i.test(text)) return decodeDataUri(field, text);
  const scheme = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(text);
  if (scheme && text.includes('://')) {
    throw refuse(field, `only http:// and https:// URLs are accepted, got a ${excerpt(scheme[1].toLowerCase() + ':')} URL`);
  }
  const bytes = decodeBase64(text);
  if (bytes === null) throw refuse(field, `expected ${ACCEPTED_FORMS}, got text ${excerpt(text)}`);
  if (sniffImageFormat(bytes).kind === 'unknown') {
    // Plain words made of letters ("upper_body") are valid base64 too; say what was expected.
    throw refuse(field, `expected ${ACCEPTED_FORMS}; the text ${excerpt(text)} is not base64 of a ${ACCEPTED_FORMATS_TEXT} image`);
  }
  return bytes;
}

/** An image field whose bytes are in hand and whose header passed the limits; `decode()` does the expensive part. */
export interface InspectedImage {
  field: string;
  header: ImageHeader;
  decode(): Promise<DecodedImage>;
}

/**
 * Resolves one image field to a decoded, upright RGB image under `deps.limits`.
 * Throws `ApiError('INVALID_PARAM')` naming `field` for every client-side problem.
 */
export async function resolveImageInput(field: string, value: ImageFieldValue, deps: ResolveImageDeps): Promise<DecodedImage> {
  return (await inspectImageInput(field, value, deps)).decode();
}

/**
 * Everything up to decoding: the bytes (downloaded, or from a data URI or base64) and the header
 * checks (size, format, declared dimensions). Cheap in CPU and memory, so it runs before a call is
 * admitted to expensive work; decoding waits for admission.
 */
export async function inspectImageInput(field: string, value: ImageFieldValue, deps: ResolveImageDeps): Promise<InspectedImage> {
  const limits = deps.limits ?? DEFAULT_IMAGE_LIMITS;
  let bytes: Buffer;
  if (value.kind === 'file') {
    if (value.bytes.length === 0) throw refuse(field, 'is required: the uploaded file is empty');
    const text =
      sniffImageFormat(value.bytes).kind === 'unknown' && value.bytes.length <= maxTextLength(limits)
        ? textOfFilePart(value.bytes)
        : null;
    bytes = text === null ? value.bytes : await bytesFromText(field, text, { ...deps, limits });
  } else {
    bytes = await bytesFromText(field, value.text, { ...deps, limits });
  }
  const header = await inspectImage(bytes, field, limits);
  return { field, header, decode: () => decodeInspected(bytes, field, limits, header) };
}
