/**
 * Async jobs under /v1: API 1 and API 2 with the same fields and checks, answered 202 with a job id
 * once the form is read and valid; the call itself runs in the background (domain/jobs.ts).
 * GET polls a job, DELETE cancels one (refunding it). A key sees only its own user's jobs.
 *
 * The same protections as API 1/2: every route takes a token from the key's rate-limit bucket
 * (10007) before any body is read; the forms are read with the same body deadlines (408) and
 * duplicate/unknown-field checks, and signed the same way. The background call goes through the
 * same GenerationService, so it waits for an admission slot before decoding and counts towards the
 * key's cap on calls in progress; a refusal there (503, 429) becomes the job's `error`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallContext, GenerationService } from '../../domain/generation.ts';
import { PROMPT_TEXT_FIELDS, TRYON_TEXT_FIELDS, parsePromptParams, parseTryOnParams } from '../../domain/params.ts';
import type { Services } from '../../domain/services.ts';
import type { BodyDeadlines } from '../form.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { cancelJobSchema, getJobSchema, multipartDoc, promptBody, promptJobSchema, tryOnBody, tryOnJobSchema } from '../schemas.ts';
import { authenticateHook, readSignedForm, requiredImage } from './generation.ts';

export const JOBS_PREFIX = '/v1';

/**
 * The background call's context: the job id is its request id, and its charge writes a usage row
 * for the job (route /v1/tryon or /v1/prompt) in the same transaction, like a synchronous call's.
 */
function jobContext(request: FastifyRequest, jobId: string): CallContext {
  const { userId, keyId } = request.fitroom.auth!;
  const route = request.routeOptions.url ?? request.url.split('?')[0];
  const started = performance.now();
  return {
    requestId: jobId,
    userId,
    keyId,
    usage: ({ cacheHit, engineMs }) => ({
      requestId: jobId,
      userId,
      keyId,
      route,
      statusCode: 200,
      code: 200,
      engineMs,
      totalMs: Math.round(performance.now() - started),
      cacheHit,
    }),
  };
}

export function jobRoutes(
  app: FastifyInstance,
  deps: { services: Services; generation: GenerationService; bodyDeadlines: BodyDeadlines; rateLimiter: RateLimiter },
) {
  const { services, generation, bodyDeadlines } = deps;
  const onRequest = authenticateHook(services, deps.rateLimiter);
  const userOf = (request: FastifyRequest) => request.fitroom.auth!.userId;

  app.post(`${JOBS_PREFIX}/tryon`, { onRequest, schema: tryOnJobSchema, config: { swaggerTransform: multipartDoc(tryOnBody) } }, async (request, reply) => {
    const form = await readSignedForm(request, services, { images: ['modelImg', 'garmentImg'], texts: TRYON_TEXT_FIELDS }, bodyDeadlines);
    const images = { modelImg: requiredImage(form, 'modelImg'), garmentImg: requiredImage(form, 'garmentImg') };
    const params = parseTryOnParams(form.texts);
    const userId = userOf(request);
    const job = await services.jobs.submit(userId, 'tryon', async (jobId) => {
      const outcome = await generation.tryOn(jobContext(request, jobId), images, params);
      return { resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, cacheHit: outcome.cacheHit };
    });
    return reply.status(202).send({ code: 200, msg: 'OK', data: job });
  });

  app.post(`${JOBS_PREFIX}/prompt`, { onRequest, schema: promptJobSchema, config: { swaggerTransform: multipartDoc(promptBody) } }, async (request, reply) => {
    const form = await readSignedForm(request, services, { images: ['modelImg'], texts: PROMPT_TEXT_FIELDS }, bodyDeadlines);
    const modelImg = requiredImage(form, 'modelImg');
    const params = parsePromptParams(form.texts);
    const userId = userOf(request);
    const job = await services.jobs.submit(userId, 'prompt', async (jobId) => {
      const outcome = await generation.editByPrompt(jobContext(request, jobId), { modelImg }, params);
      return { resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, seed: outcome.seed, cacheHit: outcome.cacheHit };
    });
    return reply.status(202).send({ code: 200, msg: 'OK', data: job });
  });

  app.get(`${JOBS_PREFIX}/jobs/:id`, { onRequest, schema: getJobSchema }, async (request) => {
    const { id } = request.params as { id: string };
    return { code: 200, msg: 'OK', data: await services.jobs.get(userOf(request), id) };
  });

  app.delete(`${JOBS_PREFIX}/jobs/:id`, { onRequest, schema: cancelJobSchema }, async (request) => {
    const { id } = request.params as { id: string };
    return { code: 200, msg: 'OK', data: await services.jobs.cancel(userOf(request), id) };
  });
}
