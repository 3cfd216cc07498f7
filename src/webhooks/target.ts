/**
 * Webhook targets obey the image-URL address rules (src/net): http(s) only, no credentials, and a
 * host that resolves only to public addresses unless FITROOM_ALLOW_PRIVATE_URLS is set. The URL's
 * form and a literal IP host are checked when the job is submitted (a bad one is a 10004 at once);
 * names are resolved and checked at each attempt, inside the socket's own lookup (no DNS rebinding).
 */
import net from 'node:net';
import { invalidParam } from '../domain/errors.ts';
import { shown } from '../domain/params.ts';

/** Longest webhook URL accepted, characters. */
export const WEBHOOK_URL_MAX_CHARS = 2048;

export const WEBHOOK_FIELD = 'webhook_url';

const bareHost = (hostname: string) => (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname);

/**
 * The webhook URL of a job form, checked; undefined when the field is absent or blank.
 * `allowed(address)` is the address policy (public only, or anything when private URLs are allowed).
 */
export function parseWebhookUrl(raw: string | undefined, allowed: (address: string) => boolean): string | undefined {
  const value = raw?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > WEBHOOK_URL_MAX_CHARS) throw invalidParam(WEBHOOK_FIELD, `a URL of at most ${WEBHOOK_URL_MAX_CHARS} characters`, `${value.length} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParam(WEBHOOK_FIELD, 'an http:// or https:// URL', shown(value));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidParam(WEBHOOK_FIELD, 'an http:// or https:// URL', shown(value));
  if (url.username !== '' || url.password !== '') throw invalidParam(WEBHOOK_FIELD, 'a URL without credentials (user:password@)', shown(value));
  const host = bareHost(url.hostname);
  if (net.isIP(host) !== 0 && !allowed(host)) {
    throw invalidParam(WEBHOOK_FIELD, 'a URL on a public address (private, loopback and link-local addresses are not allowed)', shown(value));
  }
  return url.toString();
}
