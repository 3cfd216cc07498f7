/**
 * Downloads image URLs sent by API clients: hostile-input territory (SSRF).
 *
 * - Only `http:` and `https:`; no credentials in the URL.
 * - The address check happens inside the socket's own DNS lookup (a `lookup` wrapper handed to
 *   `http.request`), so the address that was checked is the address connected to: no window for DNS
 *   rebinding between a check and the connect. Literal IP hosts skip DNS in Node, so they are checked
 *   before the request is made. Every address a name resolves to must pass, not just the first.
 * - Redirects are followed by hand (at most `maxRedirects`), each target checked the same way.
 * - One deadline covers the whole chain (DNS, connects, redirects, body); the body stops being read
 *   past `maxBytes`.
 * - Every failure becomes `ApiError('INVALID_PARAM')` naming the field; socket and TLS error text is
 *   mapped to a fixed phrase so nothing internal (addresses, library messages) reaches the client.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { LIMITS } from '../config/limits.ts';
import { ApiError } from '../domain/errors.ts';
import { formatMegabytes } from '../imaging/limits.ts';
import { isPublicAddress } from './address-policy.ts';

export interface ImageFetcher {
  /** Downloads `url`; `field` names the API field in error messages. Resolves with the body bytes. */
  fetch(url: string, field: string): Promise<Buffer>;
}

export interface ImageFetcherOptions {
  /** FITROOM_ALLOW_PRIVATE_URLS: lifts the address check only (schemes, limits, redirects still apply). */
  allowPrivate: boolean;
  maxBytes: number;
  /** Deadline for the whole download, redirects included. */
  timeoutMs: number;
  maxRedirects: number;
  /** dns.lookup-compatible resolver (default `dns.lookup`); tests inject one for fake host names. */
  lookup?: LookupFunction;
  /**
   * Decides whether connecting to `address` (reached via URL host `host`) is allowed. Default:
   * `allowPrivate || isPublicAddress(address)`. Tests inject a policy that treats one fake host name
   * as public so a "public URL that redirects to loopback" runs through the real redirect checks.
   */
  isAllowedAddress?: (address: string, host: string) => boolean;
}

/** Contract values: 20 MB, 10 s, 3 redirects (config/limits.ts). */
export const DEFAULT_FETCH_LIMITS = Object.freeze({ maxBytes: LIMITS.imageBytes, timeoutMs: LIMITS.fetchTimeoutMs, maxRedirects: LIMITS.fetchMaxRedirects });

const MAX_URL_LENGTH = 8192;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Thrown from inside the guarded lookup (or before a literal-IP request) when the address is refused. */
class RefusedAddressError extends Error {
  readonly code = 'FITROOM_REFUSED_ADDRESS';
  constructor() {
    super('refused address');
  }
}

/** A refusal whose client-facing detail is already known (detail excludes the field name). */
class FetchRefusal extends Error {
  readonly detail: string;
  readonly status: number | undefined;
  constructor(detail: string, status?: number) {
    super(detail);
    this.detail = detail;
    this.status = status;
  }
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Parses and checks a URL string (or a redirect target) against the scheme and credential rules. */
function checkUrl(raw: string, base?: URL): URL {
  if (raw.length > MAX_URL_LENGTH) throw new FetchRefusal(`URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new FetchRefusal(base ? 'the URL redirected to an invalid URL' : 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusal(
      base ? 'the URL redirected to a non-http(s) URL (not allowed)' : 'only http:// and https:// URLs are accepted',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new FetchRefusal('URLs with credentials (user:password@) are not accepted');
  }
  if (url.hostname === '') throw new FetchRefusal('URL has no host');
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * Wraps a resolver so that every resolved address passes `allowed` before the socket may use it.
 * Node calls this with `all: true` when happy-eyeballs (autoSelectFamily) is on, and without otherwise.
 */
export function guardedLookup(resolve: LookupFunction, allowed: (address: string, host: string) => boolean): LookupFunction {
  const lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    const wantsAll = options.all === true;
    resolve(hostname, { ...options, all: true }, ((err: NodeJS.ErrnoException | null, result: string | dns.LookupAddress[], family?: number) => {
      if (err) {
        callback(err, wantsAll ? [] : '', 0);
        return;
      }
      const addresses: dns.LookupAddress[] = Array.isArray(result) ? result : [{ address: result, family: family ?? net.isIP(result) }];
      if (addresses.length === 0) {
        const notFound: NodeJS.ErrnoException = new Error('no addresses');
        notFound.code = 'ENOTFOUND';
        callback(notFound, wantsAll ? [] : '', 0);
        return;
      }
      if (addresses.some((entry) => !allowed(entry.address, hostname))) {
        callback(new RefusedAddressError(), wantsAll ? [] : '', 0);
        return;
      }
      if (wantsAll) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    }) as LookupCallback);
  };
  return lookup as LookupFunction;
}

/** Fixed client-facing phrases for socket/TLS/parser failures; the raw message is never shown. */
function describeNetworkError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return 'the URL host name could not be resolved';
  }
  if (code === 'ECONNREFUSED') return 'the URL host refused the connection';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the URL host closed the connection';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'the URL host is unreachable';
  if (code.startsWith('HPE_')) return 'the URL host sent a malformed HTTP response';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return 'the TLS connection to the URL host failed (certificate or protocol error)';
  }
  return 'the URL could not be downloaded';
}

export function createImageFetcher(options: ImageFetcherOptions): ImageFetcher {
  const { allowPrivate, maxBytes, timeoutMs, maxRedirects } = options;
  const allowed = options.isAllowedAddress ?? ((address: string) => allowPrivate || isPublicAddress(address));
  const lookup = guardedLookup(options.lookup ?? (dns.lookup as unknown as LookupFunction), allowed);
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;

  async function download(rawUrl: string, field: string): Promise<Buffer> {
    // Everything that can hang registers here so the deadline can tear it down.
    const live = new Set<{ destroy(error?: Error): unknown }>();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      for (const item of live) item.destroy(new FetchRefusal('timeout'));
    }, timeoutMs);

    const request = (url: URL): Promise<http.IncomingMessage> =>
      new Promise((resolve, reject) => {
        if (timedOut) {
          reject(new FetchRefusal('timeout'));
          return;
        }
        const host = stripBrackets(url.hostname);
        // Node connects to literal IPs without calling `lookup`, so check them here.
        if (net.isIP(host) !== 0 && !allowed(host, host)) {
          reject(new RefusedAddressError());
          return;
        }
        const transport = url.protocol === 'https:' ? https : http;
        const req = transport.request(
          {
            host,
            port: url.port === '' ? undefined : Number(url.port),
            path: `${url.pathname}${url.search}`,
            method: 'GET',
            headers: { 'user-agent': 'Fitroom-image-fetcher/1', accept: 'image/*', 'accept-encoding': 'identity' },
            // A private agent per request: never reuse a pooled socket whose address was checked under
            // another request's host or policy.
            agent: false,
            lookup,
          },
          (res) => {
            live.add(res);
            resolve(res);
          },
        );
        live.add(req);
        req.on('error', reject);
        req.end();
      });

    const readBody = (res: http.IncomingMessage): Promise<Buffer> =>
      new Promise((resolve, reject) => {
        const declared = Number(res.headers['content-length']);
        const tooLarge = new FetchRefusal(`the downloaded image is larger than the limit of ${formatMegabytes(maxBytes)}`, 413);
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          reject(tooLarge);
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        let settled = false;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > maxBytes) {
            settled = true;
            res.destroy();
            reject(tooLarge);
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          settled = true;
          resolve(Buffer.concat(chunks, total));
        });
        res.on('error', (error) => {
          if (!settled) {
            settled = true;
            reject(error);
          }
        });
        res.on('close', () => {
          if (!settled) {
            settled = true;
            reject(timedOut ? new FetchRefusal('timeout') : new FetchRefusal('the URL host closed the connection before the image was complete'));
          }
        });
      });

    try {
      let url = checkUrl(rawUrl);
      for (let redirects = 0; ; redirects++) {
        const res = await request(url);
        const status = res.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          const location = res.headers.location;
          res.destroy();
          if (redirects >= maxRedirects) throw new FetchRefusal(`the URL redirected more than ${maxRedirects} times`);
          if (!location) throw new FetchRefusal(`the URL answered HTTP ${status} without a Location header`);
          url = checkUrl(location, url);
          continue;
        }
        if (status < 200 || status > 299) {
          res.destroy();
          throw new FetchRefusal(`downloading the URL failed with HTTP ${status}`);
        }
        return await readBody(res);
      }
    } catch (error) {
      if (timedOut) throw new ApiError('INVALID_PARAM', `${field}: downloading the URL timed out after ${seconds}`);
      if (error instanceof ApiError) throw error;
      if (error instanceof RefusedAddressError) {
        throw new ApiError('INVALID_PARAM', `${field}: URL host resolves to a private or loopback address (not allowed)`);
      }
      if (error instanceof FetchRefusal) throw new ApiError('INVALID_PARAM', `${field}: ${error.detail}`, { status: error.status });
      throw new ApiError('INVALID_PARAM', `${field}: ${describeNetworkError(error as NodeJS.ErrnoException)}`);
    } finally {
      clearTimeout(timer);
      for (const item of live) item.destroy();
    }
  }

  return { fetch: download };
}
