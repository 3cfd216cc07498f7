/**
 * The Fastify app factory. Every dependency comes in through `AppDeps` (database, queue, store,
 * fetcher...), so tests build the real app around a queue double or a loopback fetcher.
 * Hooks: request id (`req_...`) on every response and log line; error mapping to the contract's
 * envelope; one usage row, metric sample and log line per request.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Config } from '../config/index.ts';
import { LIMITS } from '../config/index.ts';
import type { Database } from '../db/database.ts';
import type { Socket } from 'node:net';
import { ApiError, ERROR_CODES } from '../domain/errors.ts';
import { GenerationService } from '../domain/generation.ts';
import { newId } from '../domain/ids.ts';
import { createServices, type Services } from '../domain/services.ts';
import { UsageRecorder } from '../domain/usage.ts';
import { engineInfo } from '../engine/registry.ts';
import type { ImageFetcher } from '../net/image-fetcher.ts';
import { createThreadClassifier, type ImageClassifier } from '../moderation/classifier.ts';
import { ContentModerator } from '../moderation/moderator.ts';
import { Admission } from '../queue/admission.ts';
import type { JobQueue } from '../queue/types.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { PublicUrls } from '../storage/public-urls.ts';
import { freshState } from './context.ts';
import { envelope, toApiError } from './errors.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { RateLimiter, type RateLimitSettings } from './rate-limit.ts';
import { LocalCallsPerKey } from '../domain/calls-per-key.ts';
import type { SharedLimits } from '../cluster/shared-limits.ts';
import { errorEnvelope } from './schemas.ts';
import { securityHooks, tightenDocsCsp } from './security.ts';
import { closeConnectionsOnStop } from './shutdown.ts';
import { adminRoutes } from './routes/admin.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { generationRoutes } from './routes/generation.ts';
import { jobRoutes } from './routes/jobs.ts';
import { accountRoutes } from './routes/account.ts';
import { isPublicAddress } from '../net/address-policy.ts';
import { RetentionSweeper } from '../retention/sweeper.ts';
import { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { createWebhookSender } from '../webhooks/sender.ts';
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
  /**
   * The moderation classifier (the model boundary: image in, class scores out). Default: nsfwjs in
   * a worker thread, started on first use; tests inject scores here.
   */
  imageClassifier?: ImageClassifier;
  /** Fastify logger option; default: pino JSON at config.logLevel on stdout. */
  logger?: FastifyServerOptions['logger'];
}

export interface App {
  app: FastifyInstance;
  services: Services;
  metrics: Metrics;
  usage: UsageRecorder;
  moderator: ContentModerator;
}

/**
 * Answers a request the HTTP parser refused, straight on the socket (there is no request object):
 * 431 for oversized headers, 408 for a request that did not arrive in time, else 400; always the
 * envelope, a fresh request id and `Connection: close`.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A timeout after an answer was already started (e.g. a 401 while the body still trickles in): just close.
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  let status = 400;
  let detail = 'request: malformed HTTP request';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    detail = 'request: headers too large';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    detail = 'body: the request did not arrive in time';
  }
  const body = JSON.stringify(envelope(new ApiError('INVALID_PARAM', detail, { status })));
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${newId('req')}\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Deadline of one webhook attempt, ms (the same as an image download's). */
const WEBHOOK_ATTEMPT_TIMEOUT_MS = LIMITS.fetchTimeoutMs;
/** Due webhook retries are looked for at least this often, and at most this often, ms. */
const WEBHOOK_MAX_POLL_MS = 1000;
const WEBHOOK_MIN_POLL_MS = 50;

/** Usage rows and logs of a call whose client disconnected before the answer (nginx's convention). */
const CLIENT_CLOSED_STATUS = 499;

/** How much longer than the body deadline Node's own request timeout waits, ms (it is a backstop). */
const REQUEST_TIMEOUT_GRACE_MS = 5_000;

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
    // Backstop for bodies the API routes do not read themselves (their own deadlines answer first):
    // Node answers 408 through clientErrorHandler when a request is not complete by then.
    requestTimeout: config.bodyTimeoutMs + REQUEST_TIMEOUT_GRACE_MS,
    // Errors Fastify raises before routing (a path with a bad percent escape, a parameter too long):
    // the contract's envelope and a request id like any other answer.
    frameworkErrors: (error, request, reply) => {
      request.fitroom = { ...freshState(), code: ERROR_CODES.INVALID_PARAM.code };
      const detail = error.code === 'FST_ERR_BAD_URL' ? 'path: malformed URL (bad percent-encoding)' : 'request: malformed request';
      void (reply as FastifyReply).status(400).header('x-request-id', request.id).send(envelope(new ApiError('INVALID_PARAM', detail)));
    },
    // Requests Node's HTTP parser refuses (Content-Length with Transfer-Encoding, two different
    // lengths, header overflow, the request timeout): answered on the socket with the envelope.
    clientErrorHandler: (err, socket) => answerClientError(err, socket),
  });

  const services = createServices({
    config,
    db,
    store,
    urls,
    fetcher: deps.fetcher,
    onJobError: (err, jobId) => app.log.error({ err, jobId }, 'internal error in an async job'),
  });
  // Per-key limits: in this process's memory, or shared by every API node through Redis when the
  // deployment has one (src/cluster/shared-limits.ts; loaded only then).
  const rateLimitSettings: RateLimitSettings = { perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst };
  let shared: SharedLimits | null = null;
  if (config.scaleout.redisUrl) {
    const { openSharedLimits } = await import('../cluster/shared-limits.ts');
    shared = await openSharedLimits({
      redisUrl: config.scaleout.redisUrl,
      prefix: config.scaleout.redisPrefix,
      rateLimit: rateLimitSettings,
      onError: (err, limit) => app.log.warn({ err, limit }, 'shared limit not checked: Redis did not answer'),
    });
  }
  // One limiter for every authenticated route: API 1/2, their /v1 job forms, jobs polling, presets.
  const rateLimiter = shared?.rateLimit ?? new RateLimiter(rateLimitSettings);
  // One slot per engine worker: a call holds its slot from decoding its images until the engine has
  // run, then encodes in a place of its own (as many; only calls holding a slot wait for one).
  const admission = new Admission({ slots: config.workers, maxWaiting: config.maxQueued });
  const encoding = new Admission({ slots: config.workers, maxWaiting: config.workers });
  const metrics = createMetrics(queue, admission);
  const usage = new UsageRecorder(db, { onError: (err) => app.log.error({ err }, 'usage rows not written') });
  const moderator = new ContentModerator(
    config.moderation,
    config.moderation.images ? (deps.imageClassifier ?? createThreadClassifier()) : null,
  );
  const generation = new GenerationService({
    queue,
    credits: services.credits,
    presets: services.presets,
    cache: services.cache,
    store,
    urls,
    inspectImage: services.inspectImage,
    admission,
    encoding,
    callsPerKey: shared?.callsPerKey ?? new LocalCallsPerKey(),
    moderator,
    engine: engineInfo(config.engine),
    settings: {
      cache: config.cache,
      cacheHitCharge: config.cacheHitCharge,
      costTryon: config.costTryon,
      costPrompt: config.costPrompt,
      maxJobsPerKey: config.maxJobsPerKey,
    },
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

  /**
   * One usage row, metric sample and log line per request, exactly once. Normally from onResponse;
   * when the client disconnected before its answer was written, Fastify never runs onResponse, yet
   * the call ran to its end and may have been charged, so the record is written when the handler's
   * answer is ready (onSend) or when the connection closes, whichever comes last. Such a call is
   * recorded with HTTP status 499 (client closed the request) and its contract code.
   */
  const finish = (request: FastifyRequest, reply: FastifyReply) => {
    const state = request.fitroom;
    if (!state || state.finished) return;
    state.finished = true;
    const route = request.routeOptions.url ?? 'unmatched';
    const status = state.clientGone ? CLIENT_CLOSED_STATUS : reply.statusCode;
    const ms = Math.round(reply.elapsedTime);
    metrics.requests.inc({ route, method: request.method, status: String(status), code: String(state.code) });
    metrics.latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    if (state.usage) {
      usage.record({
        requestId: request.id,
        userId: state.auth?.userId ?? null,
        keyId: state.auth?.keyId ?? null,
        route,
        statusCode: status,
        code: state.code,
        engineMs: state.engineMs,
        totalMs: ms,
        cacheHit: state.cacheHit,
      });
      request.log.info(
        {
          method: request.method,
          path: route,
          status,
          code: state.code,
          ms,
          cacheHit: state.cacheHit,
          engineMs: state.engineMs,
          keyId: state.auth?.keyId ?? null,
          ...(state.clientGone ? { clientGone: true } : {}),
        },
        'api call',
      );
    } else {
      request.log.debug({ method: request.method, path: route, status, ms }, 'request');
    }
  };
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.once('close', () => {
      const state = request.fitroom;
      if (!state || reply.raw.writableFinished) return;
      state.clientGone = true;
      if (state.replied) finish(request, reply);
    });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.fitroom;
    if (state) {
      state.replied = true;
      if (state.clientGone || reply.raw.destroyed) {
        state.clientGone = true;
        finish(request, reply);
      }
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => finish(request, reply));
  securityHooks(app, { corsOrigins: config.corsOrigins });
  // SIGTERM: connections kept alive by clients do not hold the process open.
  closeConnectionsOnStop(app);
  // Webhooks of ended jobs and the retention sweeper: both work from rows, so what one process
  // leaves pending the next start picks up.
  const isAllowedAddress = (address: string) => config.allowPrivateUrls || isPublicAddress(address);
  const webhooks = new WebhookDispatcher({
    db,
    secrets: services.webhookSecrets,
    send: createWebhookSender({ allowed: isAllowedAddress, timeoutMs: WEBHOOK_ATTEMPT_TIMEOUT_MS }),
    settings: {
      firstRetryMs: config.webhookFirstRetryMs,
      giveUpAfterMs: config.webhookGiveUpAfterMs,
      attemptTimeoutMs: WEBHOOK_ATTEMPT_TIMEOUT_MS,
      pollMs: Math.min(WEBHOOK_MAX_POLL_MS, Math.max(WEBHOOK_MIN_POLL_MS, config.webhookFirstRetryMs / 2)),
    },
    onError: (err) => app.log.error({ err }, 'webhook delivery failed internally'),
  });
  services.jobs.setOnEnded(() => webhooks.kick());
  const sweeper = new RetentionSweeper({
    db,
    store,
    cache: services.cache,
    everyMs: config.retentionSweepMs,
    onError: (err) => app.log.error({ err }, 'retention sweep failed'),
    onSwept: (counts) => app.log.info(counts, 'expired jobs deleted'),
  });
  app.addHook('onReady', async () => {
    webhooks.start();
    sweeper.start();
  });
  app.addHook('onClose', async () => {
    // Async jobs finish (and are recorded) before the queue and the database close.
    await services.jobs.drain();
    await sweeper.stop();
    await webhooks.stop();
    await usage.flush();
    await moderator.close();
    await shared?.close();
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
      // Relative: the document describes whichever server serves it.
      servers: [{ url: '/', description: 'the server serving this document' }],
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
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, transformStaticCSP: tightenDocsCsp });

  const bodyDeadlines = { idleMs: config.bodyIdleTimeoutMs, totalMs: config.bodyTimeoutMs };
  generationRoutes(app, { services, generation, metrics, bodyDeadlines, rateLimiter });
  jobRoutes(app, { services, generation, bodyDeadlines, rateLimiter, urls, store, isAllowedAddress });
  accountRoutes(app, { services, rateLimiter, config, urls });
  presetRoutes(app, { services, rateLimiter });
  fileRoutes(app, { store });
  opsRoutes(app, { db, metrics, engineReady: () => engineState, metricsToken: config.metricsToken });
  dashboardRoutes(app, { config, db, services, queue, admission, urls, engineState: () => engineState, loginAttempts: shared?.loginAttempts });
  if (deps.adminToken) adminRoutes(app, { services, adminToken: deps.adminToken });

  return { app, services, metrics, usage, moderator };
}
