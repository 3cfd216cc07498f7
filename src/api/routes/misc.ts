/** Presets listing, stored files, health, readiness and metrics. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { ApiError } from '../../domain/errors.ts';
import type { Services } from '../../domain/services.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import type { Database } from '../../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { KeyRateLimit } from '../rate-limit.ts';
import { fileDoc, fileSchema, healthSchema, metricsSchema, presetsSchema, readinessSchema } from '../schemas.ts';
import { authenticateHook } from './generation.ts';

export function presetRoutes(app: FastifyInstance, deps: { services: Services; rateLimiter: KeyRateLimit }) {
  app.get(
    '/api/openapi/presets',
    {
      onRequest: authenticateHook(deps.services, deps.rateLimiter),
      schema: presetsSchema,
    },
    async () => ({ code: 200, msg: 'OK', data: await deps.services.presets.list() }),
  );
}

export function fileRoutes(app: FastifyInstance, deps: { store: ObjectStore }) {
  app.get(
    '/files/*',
    { schema: fileSchema, config: { swaggerTransform: fileDoc } },
    async (request, reply) => {
      const key = (request.params as { '*': string })['*'];
      // An S3 store with presigning: the client fetches the bytes from the bucket itself.
      if (deps.store.presignedUrl) {
        const url = await deps.store.presignedUrl(key);
        if (!url) throw new ApiError('INVALID_PARAM', 'file: no such file', { status: 404 });
        return reply.header('cache-control', 'no-store').redirect(url, 302);
      }
      const object = await deps.store.get(key);
      if (!object) throw new ApiError('INVALID_PARAM', 'file: no such file', { status: 404 });
      // Object keys carry random ids and are never rewritten: cache for a year.
      return reply
        .type(object.contentType)
        .header('content-length', object.size)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(object.stream());
    },
  );
}

export function opsRoutes(
  app: FastifyInstance,
  deps: { db: Database; metrics: Metrics; engineReady: () => 'ready' | 'loading' | 'failed'; metricsToken: string | undefined },
) {
  app.get('/healthz', { schema: healthSchema }, async () => ({ code: 200, msg: 'OK', data: { status: 'ok' } }));

  app.get('/readyz', { schema: readinessSchema }, async (_request, reply) => {
    let database = 'ok';
    try {
      await deps.db.query('SELECT 1');
    } catch {
      database = 'unreachable';
    }
    const engine = deps.engineReady();
    if (database !== 'ok' || engine !== 'ready') {
      const error = new ApiError('SERVER_ERROR', `not ready: database ${database}, engine ${engine}`, { status: 503, headers: { 'retry-after': '5' }, retryable: true });
      throw error;
    }
    return reply.send({ code: 200, msg: 'OK', data: { status: 'ready', database, engine } });
  });

  metricsRoute(app, deps.metrics.registry, deps.metricsToken);
}

/** `GET /metrics` for a prom-client registry, behind `Bearer FITROOM_METRICS_TOKEN` when set (API and worker nodes). */
export function metricsRoute(app: FastifyInstance, registry: Registry, metricsToken: string | undefined) {
  const expected = metricsToken === undefined ? null : createHash('sha256').update(metricsToken).digest();
  app.get('/metrics', { schema: metricsSchema }, async (request, reply) => {
    if (expected !== null) {
      const m = /^bearer[ \t]+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      if (!m) throw new ApiError('NOT_LOGIN', 'metrics need Authorization: Bearer <FITROOM_METRICS_TOKEN>');
      // Compared as hashes: equal lengths for timingSafeEqual, nothing learned from timing.
      if (!timingSafeEqual(createHash('sha256').update(m[1]).digest(), expected)) throw new ApiError('INVALID_API_KEY', 'wrong metrics token');
    }
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}
