/**
 * API 1 and API 2: authenticate (onRequest, before the body is read), read the form, check the
 * signature against the streamed body hash, validate fields, call the service, shape the reply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, invalidParam } from '../../domain/errors.ts';
import type { CallContext, GenerationService } from '../../domain/generation.ts';
import { PROMPT_TEXT_FIELDS, TRYON_TEXT_FIELDS, parsePromptParams, parseTryOnParams } from '../../domain/params.ts';
import type { Services } from '../../domain/services.ts';
import type { ImageFieldValue } from '../../imaging/input.ts';
import { readForm, type BodyDeadlines, type Form } from '../form.ts';
import type { Metrics } from '../metrics.ts';
import type { KeyRateLimit } from '../rate-limit.ts';
import { multipartDoc, promptBody, promptSchema, tryOnBody, tryOnSchema } from '../schemas.ts';

export const API1_PATH = '/api/openapi/change-clothes-ai';
export const API2_PATH = '/api/openapi/change-clothes-by-prompt';

export function requiredImage(form: Form, field: string): ImageFieldValue {
  const value = form.images[field];
  if (value === undefined || (value.kind === 'text' && value.text.trim() === '')) {
    throw invalidParam(field, 'an image file, URL, data URI or base64 (required field is missing)');
  }
  return value;
}

/**
 * The onRequest hook that resolves the API key (10001 / 30001 / 10002) and takes a token from its
 * rate-limit bucket (10007; its user's own limits, if set) before any body is read.
 */
export function authenticateHook(services: Services, rateLimiter: KeyRateLimit) {
  return async (request: FastifyRequest) => {
    request.fitroom.usage = true;
    request.fitroom.auth = await services.keys.authenticate(request.headers.authorization);
    await rateLimiter.take(request.fitroom.auth.keyId, request.fitroom.auth.limits);
  };
}

export async function readSignedForm(
  request: FastifyRequest,
  services: Services,
  fields: { images: string[]; texts: readonly string[] },
  deadlines: BodyDeadlines,
): Promise<Form> {
  const auth = request.fitroom.auth;
  if (!auth) throw new ApiError('NOT_LOGIN', 'missing Authorization header');
  const form = await readForm(request, fields, deadlines);
  const header = (name: string) => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  await services.keys.verifySignature(auth, {
    timestamp: header('x-fitroom-timestamp'),
    signature: header('x-fitroom-signature'),
    method: request.method,
    path: request.url.split('?')[0],
    bodySha256: form.bodySha256,
  });
  return form;
}

export function generationRoutes(
  app: FastifyInstance,
  deps: { services: Services; generation: GenerationService; metrics: Metrics; bodyDeadlines: BodyDeadlines; rateLimiter: KeyRateLimit },
) {
  const { services, generation, metrics } = deps;
  const onRequest = authenticateHook(services, deps.rateLimiter);

  app.post(
    API1_PATH,
    {
      onRequest,
      schema: tryOnSchema,
      config: { swaggerTransform: multipartDoc(tryOnBody) },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const form = await readSignedForm(request, services, { images: ['modelImg', 'garmentImg'], texts: TRYON_TEXT_FIELDS }, deps.bodyDeadlines);
      const modelImg = requiredImage(form, 'modelImg');
      const garmentImg = requiredImage(form, 'garmentImg');
      const params = parseTryOnParams(form.texts);
      const outcome = await generation.tryOn(
        callContext(request, reply),
        { modelImg, garmentImg },
        params,
      );
      record(request, metrics, 'tryon', outcome);
      return reply.send({
        code: 200,
        msg: 'OK',
        data: { resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, cacheHit: outcome.cacheHit },
      });
    },
  );

  app.post(
    API2_PATH,
    {
      onRequest,
      schema: promptSchema,
      config: { swaggerTransform: multipartDoc(promptBody) },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const form = await readSignedForm(request, services, { images: ['modelImg'], texts: PROMPT_TEXT_FIELDS }, deps.bodyDeadlines);
      const modelImg = requiredImage(form, 'modelImg');
      const params = parsePromptParams(form.texts);
      const outcome = await generation.editByPrompt(
        callContext(request, reply),
        { modelImg },
        params,
      );
      record(request, metrics, 'prompt', outcome);
      return reply.send({
        code: 200,
        msg: 'OK',
        data: { resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, seed: outcome.seed, cacheHit: outcome.cacheHit },
      });
    },
  );
}

/** Who is calling, and the usage row a charge writes (status 200 as of the charge; onResponse updates it). */
function callContext(request: FastifyRequest, reply: FastifyReply): CallContext {
  const auth = request.fitroom.auth!;
  return {
    requestId: request.id,
    userId: auth.userId,
    keyId: auth.keyId,
    maxInProgress: auth.limits.inProgress,
    usage: ({ cacheHit, engineMs, resultKey, maskKey }) => ({
      requestId: request.id,
      userId: auth.userId,
      keyId: auth.keyId,
      route: request.routeOptions.url ?? request.url.split('?')[0],
      statusCode: 200,
      code: 200,
      engineMs,
      totalMs: Math.round(reply.elapsedTime),
      cacheHit,
      resultKey,
      maskKey,
    }),
  };
}

function record(
  request: FastifyRequest,
  metrics: Metrics,
  route: string,
  outcome: { cacheHit: boolean; engineMs: number | null; timings: Record<string, number>; serviceTimings: Record<string, number> },
) {
  request.fitroom.cacheHit = outcome.cacheHit;
  request.fitroom.engineMs = outcome.engineMs;
  metrics.cacheLookups.inc({ route, result: outcome.cacheHit ? 'hit' : 'miss' });
  metrics.observeStages(outcome.timings);
  for (const [stage, ms] of Object.entries(outcome.serviceTimings)) metrics.serviceStages.observe({ stage }, ms / 1000);
}
