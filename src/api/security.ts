/**
 * Response headers every answer carries, and CORS. The API answers JSON and WebP to programs, so
 * browsers are told to sniff nothing, send no referrer and run nothing (a CSP of `default-src
 * 'none'`); the /docs UI gets its own CSP from @fastify/swagger-ui (hashes of its inline scripts),
 * tightened below. CORS is off unless FITROOM_CORS_ORIGINS lists origins.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** For everything but the docs UI: nothing in an answer may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

/**
 * The docs UI's CSP from @fastify/swagger-ui, made stricter: no framing, no fonts or styles from any
 * https host, no images from the online validator, and no upgrade-insecure-requests (it would break
 * the UI on a plain-http loopback address).
 */
export function tightenDocsCsp(header: string): string {
  return header
    .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
    .replace("font-src 'self' https: data:", "font-src 'self' data:")
    .replace(" validator.swagger.io", '')
    .replace("style-src 'self' https:", "style-src 'self'")
    .replace(/\s*upgrade-insecure-requests;?/, '')
    .replace(/\s+;/g, ';')
    .concat(" form-action 'none';");
}

/** Request headers a browser may send cross-origin (preflight answer). */
const CORS_ALLOW_HEADERS = 'authorization, content-type, x-fitroom-timestamp, x-fitroom-signature';
/** How long a browser may cache a preflight answer, seconds. */
const CORS_MAX_AGE_SECONDS = '600';

export function securityHooks(app: FastifyInstance, options: { corsOrigins: readonly string[] }): void {
  const anyOrigin = options.corsOrigins.includes('*');
  const allowed = new Set(options.corsOrigins);

  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
    return payload;
  });

  if (options.corsOrigins.length === 0) return;
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin === undefined || (!anyOrigin && !allowed.has(origin))) return;
    reply.header('access-control-allow-origin', anyOrigin ? '*' : origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'x-request-id, retry-after');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      reply.header('access-control-allow-methods', 'GET, POST');
      reply.header('access-control-allow-headers', CORS_ALLOW_HEADERS);
      reply.header('access-control-max-age', CORS_MAX_AGE_SECONDS);
      return reply.code(204).send();
    }
  });
}
