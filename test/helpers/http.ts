/**
 * HTTP helpers for the black-box tests: a byte-exact multipart builder (needed to sign the exact
 * body that is sent), request signing per the contract, calls that return status + JSON + headers,
 * and assertions on the contract's envelope.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { decodedInfo } from './images.ts';

export const API1_PATH = '/api/openapi/change-clothes-ai';
export const API2_PATH = '/api/openapi/change-clothes-by-prompt';
export const PRESETS_PATH = '/api/openapi/presets';
export const CONTRACT_PROMPT = 'Help the model change into a blue striped shirt.';

export interface Part {
  name: string;
  value: string | Buffer;
  /** Present: a file part with this filename. */
  filename?: string;
  /** Content-Type header of the part; omitted when undefined (as Python requests does). */
  contentType?: string;
}

export interface MultipartBody {
  body: Buffer;
  contentType: string;
}

/** Builds a multipart/form-data body byte for byte, so that it can be signed and replayed exactly. */
export function multipart(parts: Part[]): MultipartBody {
  const boundary = `----fitroomtest${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType !== undefined) head += `Content-Type: ${p.contentType}\r\n`;
    head += '\r\n';
    chunks.push(Buffer.from(head), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  json: Record<string, unknown> | undefined;
  text: string;
}

export async function readResponse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** POSTs a multipart body (FormData or a byte-exact `multipart()` body). */
export async function post(
  baseUrl: string,
  path: string,
  body: FormData | MultipartBody,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method: 'POST', headers: { ...headers } };
  if (body instanceof FormData) {
    init.body = body;
  } else {
    init.body = new Uint8Array(body.body);
    (init.headers as Record<string, string>)['content-type'] = body.contentType;
  }
  return readResponse(await fetch(baseUrl + path, init));
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** The contract's signature: lowercase hex HMAC-SHA256 of `TIMESTAMP.METHOD.PATH.SHA256HEX(BODY)`. */
export function signature(secret: string, timestamp: string, method: string, path: string, body: Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret).update(`${timestamp}.${method}.${path}.${bodyHash}`).digest('hex');
}

export function signedHeaders(
  key: string,
  secret: string,
  path: string,
  body: MultipartBody,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  return {
    ...bearer(key),
    'x-fitroom-timestamp': timestamp,
    'x-fitroom-signature': signature(secret, timestamp, 'POST', path, body.body),
  };
}

/** Asserts the success envelope and returns `data`. */
export function expectOk(res: ApiResponse): Record<string, unknown> {
  assert.equal(res.status, 200, `expected 200, got ${res.status}: ${res.text.slice(0, 500)}`);
  assert.ok(res.json, 'body is JSON');
  assert.equal(res.json.code, 200);
  assert.equal(res.json.msg, 'OK');
  assert.ok(res.json.data && typeof res.json.data === 'object', 'success has data');
  assert.ok(res.headers.get('x-request-id'), 'X-Request-Id header present');
  return res.json.data as Record<string, unknown>;
}

export interface ExpectedError {
  status: number;
  code: number;
  /** The msg name, e.g. INVALID_PARAM. */
  name: string;
  /** Substrings the detail must contain (the field name, the limit). */
  mentions?: string[];
}

/** Asserts the error envelope: status, code, `NAME: detail`, no data, a request id, no internals. */
export function expectError(res: ApiResponse, expected: ExpectedError): string {
  const where = `${res.status} ${res.text.slice(0, 500)}`;
  assert.equal(res.status, expected.status, `status: ${where}`);
  assert.ok(res.json, `body is JSON: ${where}`);
  assert.equal(res.json.code, expected.code, `code: ${where}`);
  const msg = res.json.msg;
  assert.equal(typeof msg, 'string', `msg is a string: ${where}`);
  assert.match(msg as string, new RegExp(`^${expected.name}: \\S`), `msg is "${expected.name}: detail": ${where}`);
  for (const m of expected.mentions ?? []) {
    assert.ok((msg as string).includes(m), `msg mentions "${m}": ${where}`);
  }
  assert.equal(res.json.data, undefined, `error has no data: ${where}`);
  assert.ok(res.headers.get('x-request-id'), 'X-Request-Id header present');
  assertNoInternals(res.text);
  return msg as string;
}

/** Stack frames and server file paths must never reach a client. */
export function assertNoInternals(text: string): void {
  assert.doesNotMatch(text, /\bat .+\(.*:\d+:\d+\)/, 'no stack frame in response');
  assert.doesNotMatch(text, /\/(src|node_modules|tmp|home|root|work)\/[\w./-]+\.(ts|js|mjs)/, 'no file path in response');
}

export async function fetchBytes(url: string): Promise<{ bytes: Buffer; contentType: string | null; headers: Headers }> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url} -> ${res.status}`);
  return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type'), headers: res.headers };
}

/** Fetches a result/mask URL and checks it decodes as WebP of the given size; returns the bytes. */
export async function expectWebpOfSize(url: unknown, width: number, height: number): Promise<Buffer> {
  assert.equal(typeof url, 'string', 'URL is a string');
  assert.match(url as string, /^https?:\/\//, 'URL is absolute');
  const { bytes, contentType } = await fetchBytes(url as string);
  assert.equal(contentType, 'image/webp', `Content-Type of ${url}`);
  const info = await decodedInfo(bytes);
  assert.deepEqual(info, { format: 'webp', width, height }, `decoded ${url}`);
  return bytes;
}

/** Checks API 1 success data: both URLs decode as WebP of the model's size. */
export async function expectTryOnResult(
  data: Record<string, unknown>,
  size: { width: number; height: number },
): Promise<{ result: Buffer; mask: Buffer }> {
  const result = await expectWebpOfSize(data.resultImgUrl, size.width, size.height);
  const mask = await expectWebpOfSize(data.maskImgUrl, size.width, size.height);
  assert.equal(typeof data.cacheHit, 'boolean', 'cacheHit is a boolean');
  return { result, mask };
}

/** Checks API 2 success data: the result decodes as WebP of the model's size; seed is in range. */
export async function expectPromptResult(
  data: Record<string, unknown>,
  size: { width: number; height: number },
): Promise<Buffer> {
  const result = await expectWebpOfSize(data.resultImgUrl, size.width, size.height);
  assert.ok(Number.isInteger(data.seed), `seed is an integer: ${JSON.stringify(data.seed)}`);
  assert.ok((data.seed as number) >= 0 && (data.seed as number) <= 2147483647, 'seed in range');
  return result;
}

/** A file part carrying image bytes, as a browser or curl sends an upload. */
export function filePart(name: string, bytes: Buffer, filename = `${name}.bin`, contentType = 'application/octet-stream'): Part {
  return { name, value: bytes, filename, contentType };
}

/** A plain text part (no filename). */
export function textPart(name: string, value: string): Part {
  return { name, value };
}

/** API 1 parts for a valid request; `overrides` replaces or (with `null`) removes a field. */
export function api1Parts(
  model: Buffer,
  garment: Buffer,
  overrides: Partial<Record<'modelImg' | 'garmentImg' | 'category' | 'garmentDesc', Part | null>> = {},
): Part[] {
  const base: Record<string, Part | null> = {
    modelImg: filePart('modelImg', model, 'model.jpg', 'image/jpeg'),
    garmentImg: filePart('garmentImg', garment, 'garment.jpg', 'image/jpeg'),
    category: textPart('category', 'upper_body'),
    ...overrides,
  };
  return Object.values(base).filter((p): p is Part => p !== null);
}

/** API 2 parts for a valid request; `fields` adds or replaces text fields, `null` removes one. */
export function api2Parts(model: Buffer, fields: Record<string, string | null> = {}): Part[] {
  const text: Record<string, string | null> = { prompt: CONTRACT_PROMPT, ...fields };
  const parts: Part[] = [filePart('modelImg', model, 'model.png', 'image/png')];
  for (const [name, value] of Object.entries(text)) if (value !== null) parts.push(textPart(name, value));
  return parts;
}

/**
 * POSTs with node:http so that a response the server sends before it has read the whole body (a
 * body over the limit) is still read, instead of failing on the reset connection as fetch does.
 */
export function postEarlyResponse(url: string, headers: Record<string, string>, body: Buffer): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, json, text });
      });
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', (err) => {
      // EPIPE / ECONNRESET while still writing is expected once the server has answered.
      if (!answered) reject(err);
    });
    req.end(body);
  });
}
