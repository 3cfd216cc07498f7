/**
 * The Fastify app factory. Every dependency comes in through `AppDeps` (database, queue, store,
 * fetcher...), so tests build the real app around a queue double or a loopback fetcher.
 * Hooks: request id (`req_...`) on every response and log line; error mapping to the contract's
 * envelope; one usage row, metric sample and log line per request.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from '../config/index.ts';
import { LIMITS } from '../config/index.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../domain/errors.ts';
import { GenerationService } from '../domain/generation.ts';
import { newId } from '../domain/ids.ts';
import { createServices, type Services } from '../domain/services.ts';
import { UsageRecorder } from '../domain/usage.ts';
import { engineInfo } from '../engine/registry.ts';
import type { ImageFetcher } from '../net/image-fetcher.ts';
import type { JobQueue } from '../queue/types.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PublicUrls } from '../storage/public-urls.ts';
import { freshState } from './context.ts';
import { envelope, toApiError } from './errors.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { errorEnvelope } from './schemas.ts';
import { adminRoutes } from './routes/admin.ts';
import { generationRoutes } from './routes/generation.ts';
import { jobRoutes } from './routes/jobs.ts';
import { fileRoutes, opsRoutes, presetRoutes } from './routes/misc.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  queue: JobQueue;
  store: ObjectStore;
  urls: PublicUrls;
  /** Default: the SSRF-safe fetcher from config. */
  fetcher?: ImageFetcher;
  /** Enables `POST /admin/cli` for the CLI on this machine. */
  adminToken?: string;
  /** Fastify logger option; default: pino JSON at config.logLevel on stdout. */
  logger?: FastifyServerOptions['logger'];
}

export interface App {
  app: FastifyInstance;
  services: Services;
  metrics: Metrics;
  usage: UsageRecorder;
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, db, queue, store, urls } = deps;
  const app = Fastify({
    logger: deps.logger ?? {
      level: config.logLevel,
      // Keys and signatures never reach the log, even if a header is logged by mistake.
      redact: ['req.headers.authorization', 'req.headers["x-fitroom-signature"]', 'headers.authorization'],
    },
    // One 'api call' line per request comes from our onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    genReqId: () => newId('req'),
    requestIdHeader: false,
    // JSON bodies are only the admin route's; multipart has its own limits below.
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    return503OnClosing: true,
  });

  const services = createServices({
    config,
    db,
    store,
    urls,
    fetcher: deps.fetcher,
    onJobError: (err, jobId) => app.log.error({ err, jobId }, 'internal error in an async job'),
  });
  const metrics = createMetrics(queue);
  const usage = new UsageRecorder(db, { onError: (err) => app.log.error({ err }, 'usage rows not written') });
  const generation = new GenerationService({
    queue,
    credits: services.credits,
    presets: services.presets,
    cache: services.cache,
    store,
    urls,
    resolveImage: services.resolveImage,
    engine: engineInfo(config.engine),
    settings: { cache: config.cache, cacheHitCharge: config.cacheHitCharge, costTryon: config.costTryon, costPrompt: config.costPrompt },
  });

  let engineState: 'ready' | 'loading' | 'failed' = 'loading';
  queue.ready().then(
    () => {
      engineState = 'ready';
    },
    (err: unknown) => {
      engineState = 'failed';
      app.log.error({ err }, 'engine failed to load');
    },
  );

  app.decorateRequest('fitroom', null as never);
  app.addHook('onRequest', async (request, reply) => {
    request.fitroom = freshState();
    reply.header('x-request-id', request.id);
    // Refuse an oversized body from its declared length, before reading a byte of it.
    const length = Number(request.headers['content-length']);
    // Node discards the unread body after the answer, so the client reads the 413 instead of EPIPE.
    if (Number.isFinite(length) && length > LIMITS.bodyBytes) {
      throw new ApiError('INVALID_PARAM', `body: the request body exceeds ${LIMITS.bodyBytes / (1024 * 1024)} MB`, { status: 413 });
    }
  });

  app.setErrorHandler((err, request, reply) => {
    const { error, internal } = toApiError(err);
    if (internal) request.log.error({ err }, 'internal error');
    else if (error.status >= 500) request.log.warn({ code: error.code, msg: error.msg }, 'unavailable');
    if (request.fitroom) request.fitroom.code = error.code;
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return reply.status(error.status).send(envelope(error));
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError('INVALID_PARAM', `route: no endpoint ${request.method} ${request.url.split('?')[0].slice(0, 100)}`, { status: 404 });
    if (request.fitroom) request.fitroom.code = error.code;
    return reply.status(404).send(envelope(error));
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = request.fitroom;
    if (!state) return;
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode), code: String(state.code) });
    metrics.latency.observe({ route, method: request.method }, seconds);
    if (state.usage) {
      usage.record({
        requestId: request.id,
        userId: state.auth?.userId ?? null,
        keyId: state.auth?.keyId ?? null,
        route,
        statusCode: reply.statusCode,
        code: state.code,
        engineMs: state.engineMs,
        totalMs: Math.round(reply.elapsedTime),
        cacheHit: state.cacheHit,
      });
      request.log.info(
        { method: request.method, path: route, status: reply.statusCode, code: state.code, ms: Math.round(reply.elapsedTime), cacheHit: state.cacheHit, engineMs: state.engineMs },
        'api call',
      );
    } else {
      request.log.debug({ method: request.method, path: route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
  });
  app.addHook('onClose', async () => {
    // Async jobs finish (and are recorded) before the queue and the database close.
    await services.jobs.drain();
    await usage.flush();
  });

  await app.register(multipart, {
    limits: {
      fieldNameSize: 200,
      fieldSize: LIMITS.partBytes,
      fileSize: LIMITS.partBytes,
      fields: LIMITS.parts,
      files: LIMITS.parts,
      parts: LIMITS.parts,
      headerPairs: 200,
    },
    throwFileSizeLimit: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Fitroom API',
        version: '1.0.0',
        description: 'Self-hosted virtual try-on, compatible with the Change Clothes AI API. Errors: non-2xx status and `{code, msg}`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key `fr_...`' } } },
    },
    // Shared schemas keep their $id as the component name (ApiError), not def-0, for generated clients.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  app.addSchema(errorEnvelope);
  await app.register(swaggerUi, { routePrefix: '/docs' });

  generationRoutes(app, { services, generation, metrics });
  jobRoutes(app, { services, generation });
  presetRoutes(app, { services });
  fileRoutes(app, { store });
  opsRoutes(app, { db, metrics, engineReady: () => engineState });
  if (deps.adminToken) adminRoutes(app, { services, adminToken: deps.adminToken });

  return { app, services, metrics, usage };
}
