/**
 * Async jobs under /v1: API 1 and API 2 with the same fields and checks, answered 202 with a job id
 * once the form is read and valid; the call itself runs in the background (domain/jobs.ts).
 * GET polls a job, DELETE cancels one (refunding it). A key sees only its own user's jobs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { GenerationService } from '../../domain/generation.ts';
import { parsePromptParams, parseTryOnParams } from '../../domain/params.ts';
import type { Services } from '../../domain/services.ts';
import { cancelJobSchema, getJobSchema, multipartDoc, promptBody, promptJobSchema, tryOnBody, tryOnJobSchema } from '../schemas.ts';
import { authenticateHook, readSignedForm, requiredImage } from './generation.ts';

export const JOBS_PREFIX = '/v1';

export function jobRoutes(app: FastifyInstance, deps: { services: Services; generation: GenerationService }) {
  const { services, generation } = deps;
  const onRequest = authenticateHook(services);
  const userOf = (request: FastifyRequest) => request.fitroom.auth!.userId;

  app.post(`${JOBS_PREFIX}/tryon`, { onRequest, schema: tryOnJobSchema, config: { swaggerTransform: multipartDoc(tryOnBody) } }, async (request, reply) => {
    const form = await readSignedForm(request, services, ['modelImg', 'garmentImg']);
    const images = { modelImg: requiredImage(form, 'modelImg'), garmentImg: requiredImage(form, 'garmentImg') };
    const params = parseTryOnParams(form.texts);
    const userId = userOf(request);
    const job = await services.jobs.submit(userId, 'tryon', async (jobId) => {
      const outcome = await generation.tryOn({ requestId: jobId, userId }, images, params);
      return { resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, cacheHit: outcome.cacheHit };
    });
    return reply.status(202).send({ code: 200, msg: 'OK', data: job });
  });

  app.post(`${JOBS_PREFIX}/prompt`, { onRequest, schema: promptJobSchema, config: { swaggerTransform: multipartDoc(promptBody) } }, async (request, reply) => {
    const form = await readSignedForm(request, services, ['modelImg']);
    const modelImg = requiredImage(form, 'modelImg');
    const params = parsePromptParams(form.texts);
    const userId = userOf(request);
    const job = await services.jobs.submit(userId, 'prompt', async (jobId) => {
      const outcome = await generation.editByPrompt({ requestId: jobId, userId }, { modelImg }, params);
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
