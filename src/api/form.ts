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
  /** Text fields by name (a known field appears at most once; see readForm). */
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
 * Longest multipart boundary accepted, in characters. RFC 2046 allows 70; we accept more for
 * lenient clients but stay well under what busboy can search for (a delimiter of at most 256 bytes,
 * i.e. a 252-character boundary), which it refuses with an exception instead of a parse error.
 */
export const MAX_BOUNDARY_CHARS = 200;

/** Bytes of a part's header block the scanner looks at for its name (busboy allows more, rarely used). */
const SCAN_HEADER_BYTES = 2048;

/**
 * Watches the raw multipart bytes next to busboy for two things busboy does not tell us: the name of
 * every part in order (so an error busboy raises for "the next part", such as a part declared
 * application/json that is not JSON, names the right field), and whether the closing delimiter
 * arrived (busboy ends quietly on a body cut short, which would read as "field missing").
 */
class PartScanner {
  readonly names: string[] = [];
  closed = false;
  private readonly delimiter: string;
  private carry = '';
  /** Absolute offset of `carry`'s first character in the body. */
  private carryAt = 0;
  /** Absolute offset of the last delimiter whose part name was recorded. */
  private lastPartAt = -1;

  constructor(boundary: string) {
    this.delimiter = `--${boundary}`;
  }

  push(chunk: Buffer): void {
    // latin1 maps bytes 1:1 to characters, so offsets in the string are offsets in the body.
    const text = this.carry + chunk.toString('latin1');
    const base = this.carryAt;
    let from = 0;
    for (;;) {
      const at = text.indexOf(this.delimiter, from);
      if (at === -1) break;
      const after = at + this.delimiter.length;
      if (after + 2 > text.length) break; // the rest of this delimiter line comes with the next chunk
      if (text.startsWith('--', after)) {
        this.closed = true;
        from = after;
        continue;
      }
      const end = text.indexOf('\r\n\r\n', after);
      if (end === -1 && text.length - after < SCAN_HEADER_BYTES) break; // header block still arriving
      if (base + at > this.lastPartAt) {
        this.lastPartAt = base + at;
        const header = text.slice(after, end === -1 ? after + SCAN_HEADER_BYTES : end);
        this.names.push(/\bname="([^"]*)"/i.exec(header)?.[1] ?? 'field');
      }
      from = end === -1 ? after : end;
    }
    const keep = Math.max(from, text.length - (this.delimiter.length + SCAN_HEADER_BYTES));
    this.carry = text.slice(Math.max(0, keep));
    this.carryAt = base + Math.max(0, keep);
  }
}

/** How long a client may take to send its body (config: FITROOM_BODY_IDLE_TIMEOUT_MS, FITROOM_BODY_TIMEOUT_MS). */
export interface BodyDeadlines {
  /** Longest pause between two chunks of the body, ms. */
  idleMs: number;
  /** Longest time for the whole body, ms, from the moment the server starts reading it. */
  totalMs: number;
}

/**
 * Settles like `work`, unless the body stalls (no chunk for `idleMs`) or takes longer than `totalMs`:
 * then rejects with 10004 / HTTP 408 and `Connection: close`, so that the server closes the
 * connection once the answer is written instead of waiting for a client that stopped sending.
 */
async function withDeadlines<T>(work: Promise<T>, raw: FastifyRequest['raw'], deadlines: BodyDeadlines): Promise<T> {
  let idle: NodeJS.Timeout | undefined;
  let whole: NodeJS.Timeout | undefined;
  const onData = () => idle?.refresh();
  const timedOut = new Promise<never>((_resolve, reject) => {
    const fail = (detail: string) =>
      reject(new ApiError('INVALID_PARAM', `body: ${detail}`, { status: 408, headers: { connection: 'close' } }));
    idle = setTimeout(() => fail(`no bytes received for ${deadlines.idleMs / 1000} s; the upload stalled`), deadlines.idleMs);
    whole = setTimeout(() => fail(`the upload took longer than ${deadlines.totalMs / 1000} s`), deadlines.totalMs);
  });
  raw.on('data', onData);
  // The losing side of the race must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    raw.off('data', onData);
    clearTimeout(idle);
    clearTimeout(whole);
  }
}

function boundaryOf(request: FastifyRequest): string | null {
  const ct = request.headers['content-type'] ?? '';
  const m = /;\s*boundary=(?:"([^"]*)"|([^;\s]*))/i.exec(ct);
  return m ? (m[1] ?? m[2] ?? '') : null;
}

function duplicate(field: string): ApiError {
  return new ApiError('INVALID_PARAM', `${field}: expected one value, the field was sent more than once`);
}

/**
 * Reads the whole form. `fields.images` are kept as image values; every other field is text.
 * A field of `fields.images` or `fields.texts` sent twice is refused (10004 naming it): taking the
 * first or the last would silently ignore what the client meant. Unknown fields are read and ignored.
 * Throws 10004 (413) when the body or a part is too large, 10004 (400) when the body is not
 * multipart/form-data or is malformed.
 */
export async function readForm(
  request: FastifyRequest,
  fields: { images: readonly string[]; texts: readonly string[] },
  deadlines: BodyDeadlines,
): Promise<Form> {
  const imageFields = fields.images;
  const form: Form = { texts: {}, images: {}, bodySha256: EMPTY_SHA256 };
  if (!request.isMultipart()) {
    if (request.body === undefined || request.body === null || request.body === '') return form;
    throw new ApiError('INVALID_PARAM', `body: expected multipart/form-data, got ${contentTypeName(request)}`);
  }
  const boundary = boundaryOf(request);
  if (boundary === null || boundary === '') {
    throw new ApiError('INVALID_PARAM', 'body: malformed multipart/form-data (the Content-Type has no boundary)');
  }
  if (boundary.length > MAX_BOUNDARY_CHARS) {
    throw new ApiError('INVALID_PARAM', `body: multipart boundary is ${boundary.length} characters, the limit is ${MAX_BOUNDARY_CHARS}`);
  }

  // Hash the raw bytes as busboy receives them. The listener is added in the same tick in which
  // parts() pipes the request into busboy, so both see every chunk from the first.
  const raw = request.raw;
  const hasher = createHash('sha256');
  const scanner = new PartScanner(boundary);
  let bodyBytes = 0;
  const onData = (chunk: Buffer) => {
    hasher.update(chunk);
    scanner.push(chunk);
    bodyBytes += chunk.length;
  };
  raw.on('data', onData);

  let total = 0;
  let received = 0;
  let current: string | undefined;
  const seen = new Set<string>();
  const checkOnce = (name: string) => {
    if (!imageFields.includes(name) && !fields.texts.includes(name)) return;
    if (seen.has(name)) throw duplicate(name);
    seen.add(name);
  };
  const consume = async () => {
    for await (const part of request.parts()) {
      received++;
      current = part.fieldname;
      checkOnce(part.fieldname);
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        total += bytes.length;
        if (total > LIMITS.bodyBytes) throw bodyTooLarge();
        if (imageFields.includes(part.fieldname)) form.images[part.fieldname] = { kind: 'file', bytes };
        else if (!(part.fieldname in form.texts)) form.texts[part.fieldname] = bytes.toString('utf8');
      } else {
        if (part.valueTruncated) {
          throw new ApiError('INVALID_PARAM', `${part.fieldname}: value exceeds ${Math.floor(LIMITS.partBytes / MB)} MB`, { status: 413 });
        }
        // A part declared application/json arrives parsed: keep the client's text.
        const text = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        total += text.length;
        if (total > LIMITS.bodyBytes) throw bodyTooLarge();
        if (imageFields.includes(part.fieldname)) form.images[part.fieldname] = { kind: 'text', text };
        else if (!(part.fieldname in form.texts)) form.texts[part.fieldname] = text;
      }
      current = undefined;
    }
    // Busboy may finish at the closing boundary before the last bytes (the epilogue) are read.
    if (!raw.readableEnded) {
      raw.resume();
      await once(raw, 'end');
    }
    // Busboy ends quietly on a body cut short or with no delimiter at all.
    if (bodyBytes > 0 && !scanner.closed) {
      throw new ApiError('INVALID_PARAM', 'body: malformed multipart/form-data (the closing boundary is missing; was the body cut short?)');
    }
  };
  try {
    await withDeadlines(consume(), raw, deadlines);
  } catch (err) {
    raw.off('data', onData);
    // Discard the rest of the body so that the error response reaches the client cleanly.
    raw.unpipe();
    raw.resume();
    if (err instanceof ApiError) throw err;
    // The client went away mid-upload: its fault, not an internal error (and nobody reads the answer).
    if (raw.readableAborted) throw new ApiError('INVALID_PARAM', 'body: upload aborted by the client');
    // Busboy reports a bad JSON part when the iterator asks for it: it is the part after the last one received.
    const field = (err as { code?: string }).code === 'FST_INVALID_JSON_FIELD_ERROR' ? scanner.names[received] : current;
    const mapped = multipartLimitError(err, field);
    if (mapped) throw mapped;
    if (isMalformed(err)) throw new ApiError('INVALID_PARAM', 'body: malformed multipart/form-data (was the body cut short?)');
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
  // A file part whose body ends before its delimiter: busboy closes the part's stream early.
  if ((err as { code?: string } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  const message = err instanceof Error ? err.message : '';
  return /multipart|boundary|Unexpected end|terminated early|Malformed/i.test(message);
}
