/**
 * How a webhook is signed (documented in the README; receivers implement the same check):
 * `X-Fitroom-Webhook-Signature` is the lowercase hex HMAC-SHA256, keyed by the secret, of
 * `TIMESTAMP.BODY`, where TIMESTAMP is `X-Fitroom-Webhook-Timestamp` (Unix seconds) and BODY the
 * raw request body. The timestamp is inside the signed text so a captured delivery cannot be
 * replayed later with a fresh timestamp.
 */
import { createHmac } from 'node:crypto';

export const WEBHOOK_HEADERS = Object.freeze({
  /** Unix seconds when this attempt was signed. */
  timestamp: 'x-fitroom-webhook-timestamp',
  /** hex HMAC-SHA256(secret, `${timestamp}.${body}`). */
  signature: 'x-fitroom-webhook-signature',
  /** Which secret signed it: `key` (the submitting key's signing secret) or `account` (the account's webhook secret). */
  secret: 'x-fitroom-webhook-secret',
  /** The job id: the same on every attempt, so a receiver can drop duplicates. */
  id: 'x-fitroom-webhook-id',
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: 'x-fitroom-webhook-attempt',
});

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
