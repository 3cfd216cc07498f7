/**
 * One webhook attempt: a POST of fixed JSON bytes to the target, connecting only to allowed
 * addresses (the image fetcher's guarded lookup), following no redirects (a 3xx is a failed
 * attempt), with one deadline for the whole exchange. The receiver's answer body is not kept.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { guardedLookup } from '../net/image-fetcher.ts';

export interface AttemptOutcome {
  /** The receiver's HTTP status, or null when no answer came. */
  statusCode: number | null;
  /** Why the attempt failed without an answer (fixed phrases, no internals); null otherwise. */
  error: string | null;
}

export interface SenderOptions {
  /** Whether connecting to `address` is allowed (the same policy as image URLs). */
  allowed: (address: string) => boolean;
  /** Deadline for one attempt (connect, send, answer), ms. */
  timeoutMs: number;
  lookup?: LookupFunction;
}

/** Bytes of a receiver's answer read before the connection is dropped (the body is ignored). */
const MAX_ANSWER_BYTES = 64 * 1024;

function describe(error: NodeJS.ErrnoException): string {
  if (error.code === 'FITROOM_REFUSED_ADDRESS') return 'the webhook host resolves to a private or loopback address (not allowed)';
  const code = error.code ?? '';
  if (code === 'ENOTFOUND' || code.startsWith('EAI_')) return 'the webhook host name could not be resolved';
  if (code === 'ECONNREFUSED') return 'the webhook host refused the connection';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the webhook host closed the connection';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED/.test(code)) return 'the TLS connection to the webhook host failed';
  return 'the webhook could not be delivered';
}

export function createWebhookSender(options: SenderOptions) {
  const allowed = (address: string) => options.allowed(address);
  const lookup = guardedLookup(options.lookup ?? (dns.lookup as unknown as LookupFunction), allowed);

  return function send(target: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        resolve(outcome);
      };
      const url = new URL(target);
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      // Node connects to a literal IP without calling `lookup`: check it before any request exists.
      if (net.isIP(host) !== 0 && !allowed(host)) {
        resolve({ statusCode: null, error: describe(Object.assign(new Error('refused'), { code: 'FITROOM_REFUSED_ADDRESS' })) });
        return;
      }
      const transport = url.protocol === 'https:' ? https : http;
      const req = transport.request({
        host,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Fitroom-webhook/1', ...headers },
        agent: false,
        lookup,
      });
      const timer = setTimeout(() => done({ statusCode: null, error: `the webhook host did not answer within ${options.timeoutMs} ms` }), options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => done({ statusCode: null, error: describe(error) }));
      req.on('response', (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) done({ statusCode: res.statusCode ?? null, error: null });
        });
        res.on('end', () => done({ statusCode: res.statusCode ?? null, error: null }));
        res.on('error', () => done({ statusCode: res.statusCode ?? null, error: null }));
      });
      req.end(body);
    });
  };
}

export type WebhookSend = ReturnType<typeof createWebhookSender>;
