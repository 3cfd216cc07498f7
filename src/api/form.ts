/**
 * Reads a multipart/form-data request the way the contract's clients send it: every part, text or
 * file, in one pass, with explicit limits. A file part of a text field is that field's text (Python
 * `requests` `files=` sends every value as a file); an image field keeps its file bytes and
 * the image-input module decides whether they are an image or text (URL, data URI, base64).
 *
 * While the parts stream in, the raw body bytes are hashed (sha256) for request signatures, so a
 * signed multipart request is verified against exactly the bytes that were sent.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { FastifyRequest } from 'fastify';
import { LIMITS } from '../config/index.ts';
import { ApiError } from '../domain/errors.ts';
import type { ImageFieldValue } from '../imaging/input.ts';

export interface Form {
  /** Text fields by name (first occurrence wins). */
  texts: Record<string, string>;
  /** Image fields by name. */
  images: Record<string, ImageFieldValue>;
  /** Lowercase hex sha256 of the raw body (of '' when there was none). */
  bodySha256: string;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');
const MB = 1024 * 1024;

export function bodyTooLarge(): ApiError {
  return new ApiError('INVALID_PARAM', `body: the request body exceeds ${LIMITS.bodyBytes / MB} MB`, { status: 413 });
}

/** Maps @fastify/multipart's limit errors to the contract's 10004 (413 where a size limit was hit). */
export function multipartLimitError(err: unknown, field: string | undefined): ApiError | null {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new ApiError('INVALID_PARAM', `${field ?? 'file'}: part exceeds ${Math.floor(LIMITS.partBytes / MB)} MB (images are limited to 20 MB)`, { status: 413 });
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ApiError('INVALID_PARAM', `body: too many parts (at most ${LIMITS.parts})`, { status: 413 });
    case 'FST_PROTO_VIOLATION':
      return new ApiError('INVALID_PARAM', 'body: forbidden field name');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new ApiError('INVALID_PARAM', `${field ?? 'field'}: declared application/json but is not valid JSON`);
    default:
      return null;
  }
}

/**
 * Reads the whole form. `imageFields` are kept as image values; every other field is text.
 * Throws 10004 (413) when the body or a part is too large, 10004 (400) when the body is not
 * multipart/form-data or is malformed.
 */
export async function readForm(request: FastifyRequest, imageFields: readonly string[]): Promise<Form> {
  const form: Form = { texts: {}, images: {}, bodySha256: EMPTY_SHA256 };
  if (!request.isMultipart()) {
    if (request.body === undefined || request.body === null || request.body === '') return form;
    throw new ApiError('INVALID_PARAM', `body: expected multipart/form-data, got ${contentTypeName(request)}`);
  }

  // Hash the raw bytes as busboy receives them. The listener is added in the same tick in which
  // parts() pipes the request into busboy, so both see every chunk from the first.
  const raw = request.raw;
  const hasher = createHash('sha256');
  const onData = (chunk: Buffer) => hasher.update(chunk);
  raw.on('data', onData);

  let total = 0;
  let current: string | undefined;
  try {
    for await (const part of request.parts()) {
      current = part.fieldname;
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        total += bytes.length;
        if (total > LIMITS.bodyBytes) throw bodyTooLarge();
        if (imageFields.includes(part.fieldname)) {
          if (!(part.fieldname in form.images)) form.images[part.fieldname] = { kind: 'file', bytes };
        } else if (!(part.fieldname in form.texts)) {
          form.texts[part.fieldname] = bytes.toString('utf8');
        }
      } else {
        if (part.valueTruncated) {
          throw new ApiError('INVALID_PARAM', `${part.fieldname}: value exceeds ${Math.floor(LIMITS.partBytes / MB)} MB`, { status: 413 });
        }
        // A part declared application/json arrives parsed: keep the client's text.
        const text = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        total += text.length;
        if (total > LIMITS.bodyBytes) throw bodyTooLarge();
        if (imageFields.includes(part.fieldname)) {
          if (!(part.fieldname in form.images)) form.images[part.fieldname] = { kind: 'text', text };
        } else if (!(part.fieldname in form.texts)) {
          form.texts[part.fieldname] = text;
        }
      }
    }
    // Busboy may finish at the closing boundary before the last bytes (the epilogue) are read.
    if (!raw.readableEnded) {
      raw.resume();
      await once(raw, 'end');
    }
  } catch (err) {
    raw.off('data', onData);
    // Discard the rest of the body so that the error response reaches the client cleanly.
    raw.unpipe();
    raw.resume();
    if (err instanceof ApiError) throw err;
    // The client went away mid-upload: its fault, not an internal error (and nobody reads the answer).
    if (raw.readableAborted) throw new ApiError('INVALID_PARAM', 'body: upload aborted by the client');
    const mapped = multipartLimitError(err, current);
    if (mapped) throw mapped;
    if (isMalformed(err)) throw new ApiError('INVALID_PARAM', 'body: malformed multipart/form-data');
    throw err;
  }
  raw.off('data', onData);
  form.bodySha256 = hasher.digest('hex');
  return form;
}

function contentTypeName(request: FastifyRequest): string {
  const ct = request.headers['content-type'];
  return ct ? JSON.stringify(ct.split(';')[0].trim().slice(0, 60)) : 'no Content-Type';
}

function isMalformed(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /multipart|boundary|Unexpected end|terminated early|Malformed/i.test(message);
}
