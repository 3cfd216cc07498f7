/**
 * API 1 and API 2: authenticate (onRequest, before the body is read), read the form, check the
 * signature against the streamed body hash, validate fields, call the service, shape the reply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, invalidParam } from '../../domain/errors.ts';
import type { GenerationService } from '../../domain/generation.ts';
import { parsePromptParams, parseTryOnParams } from '../../domain/params.ts';
import type { Services } from '../../domain/services.ts';
import type { ImageFieldValue } from '../../imaging/input.ts';
import { readForm, type Form } from '../form.ts';
import type { Metrics } from '../metrics.ts';
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

/** The onRequest hook that resolves the API key (10001 / 30001 / 10002) before any body is read. */
export function authenticateHook(services: Services) {
  return async (request: FastifyRequest) => {
    request.fitroom.usage = true;
    request.fitroom.auth = await services.keys.authenticate(request.headers.authorization);
  };
}

export async function readSignedForm(request: FastifyRequest, services: Services, imageFields: string[]): Promise<Form> {
  const auth = request.fitroom.auth;
  if (!auth) throw new ApiError('NOT_LOGIN', 'missing Authorization header');
  const form = await readForm(request, imageFields);
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

export function generationRoutes(app: FastifyInstance, deps: { services: Services; generation: GenerationService; metrics: Metrics }) {
  const { services, generation, metrics } = deps;
  const onRequest = authenticateHook(services);

  app.post(
    API1_PATH,
    {
      onRequest,
      schema: tryOnSchema,
      config: { swaggerTransform: multipartDoc(tryOnBody) },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const form = await readSignedForm(request, services, ['modelImg', 'garmentImg']);
      const modelImg = requiredImage(form, 'modelImg');
      const garmentImg = requiredImage(form, 'garmentImg');
      const params = parseTryOnParams(form.texts);
      const outcome = await generation.tryOn(
        { requestId: request.id, userId: request.fitroom.auth!.userId },
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
      const form = await readSignedForm(request, services, ['modelImg']);
      const modelImg = requiredImage(form, 'modelImg');
      const params = parsePromptParams(form.texts);
      const outcome = await generation.editByPrompt({ requestId: request.id, userId: request.fitroom.auth!.userId }, { modelImg }, params);
      record(request, metrics, 'prompt', outcome);
      return reply.send({
        code: 200,
        msg: 'OK',
        data: { resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, seed: outcome.seed, cacheHit: outcome.cacheHit },
      });
    },
  );
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
