/**
 * A loopback webhook receiver: records every POST (headers, raw body, arrival time) and answers
 * with the statuses it is told to, in order (then 200). The service under test must run with
 * FITROOM_ALLOW_PRIVATE_URLS=true to reach it, like the loopback image server.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The status the receiver answered. */
  answered: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The next answers, in order; once used up the receiver answers 200. */
  answers: number[];
  /** Resolves when `count` webhooks have arrived at `path` (all paths when omitted). */
  waitFor(count: number, path?: string, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = answers.shift() ?? 200;
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    answers,
    async waitFor(count, path, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter((r) => path === undefined || r.path === path);
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) throw new Error(`only ${matching.length} of ${count} webhooks arrived at ${path ?? 'any path'}`);
        await sleep(25);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A receiver's check, as the README documents it: HMAC-SHA256(secret, `${timestamp}.${body}`) in hex. */
export function webhookSignatureValid(secret: string, webhook: ReceivedWebhook): boolean {
  const timestamp = String(webhook.headers['x-fitroom-webhook-timestamp'] ?? '');
  const given = String(webhook.headers['x-fitroom-webhook-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${webhook.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
