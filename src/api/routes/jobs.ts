/**
 * Async jobs under /v1: API 1 and API 2 with the same fields and checks, answered 202 with a job id
 * once the form is read and valid; the call itself runs in the background (domain/jobs.ts).
 * GET polls a job, DELETE cancels an unfinished one (refunding it) or deletes a finished one's
 * images. A key sees only its own user's jobs.
 *
 * The same protections as API 1/2: every route takes a token from the key's rate-limit bucket
 * (10007) before any body is read; the forms are read with the same body deadlines (408) and
 * duplicate/unknown-field checks, and signed the same way. The background call goes through the
 * same GenerationService, so it waits for an admission slot before decoding and counts towards the
 * key's cap on calls in progress; a refusal there (503, 429) becomes the job's `error`.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallContext, GenerationService } from '../../domain/generation.ts';
import { PROMPT_TEXT_FIELDS, TRYON_TEXT_FIELDS, parsePromptParams, parseTryOnParams } from '../../domain/params.ts';
import type { Services } from '../../domain/services.ts';
import type { BodyDeadlines } from '../form.ts';
import type { KeyRateLimit } from '../rate-limit.ts';
import { ApiError } from '../../domain/errors.ts';
import { sampleRequestIds } from '../../domain/jobs.ts';
import { SAMPLES_FIELD, parseNumSamples, sampleSeed } from '../../domain/samples.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import type { PublicUrls } from '../../storage/public-urls.ts';
import { TRYON_VARIATIONS } from '../../sampling/tryon-variations.ts';
import { WEBHOOK_FIELD, parseWebhookUrl } from '../../webhooks/target.ts';
import { AUTO_CATEGORY, decideCategory, type CategoryDecision } from '../../garment-category/decide.ts';
import { EngineInputError } from '../../engine/types.ts';
import type { DecodedImage } from '../../imaging/input.ts';
import { cancelJobSchema, getJobSchema, multipartDoc, promptJobBody, promptJobSchema, tryOnJobBody, tryOnJobSchema } from '../schemas.ts';
import { authenticateHook, readSignedForm, requiredImage } from './generation.ts';

export const JOBS_PREFIX = '/v1';

/**
 * The background call's context: the job id is its request id, and its charge writes a usage row
 * for the job (route /v1/tryon or /v1/prompt) in the same transaction, like a synchronous call's.
 */
function jobContext(request: FastifyRequest, jobId: string, onStage: CallContext['onStage']): CallContext {
  const { userId, keyId, limits } = request.fitroom.auth!;
  const route = request.routeOptions.url ?? request.url.split('?')[0];
  const started = performance.now();
  return {
    requestId: jobId,
    userId,
    keyId,
    maxInProgress: limits.inProgress,
    onStage,
    usage: ({ cacheHit, engineMs, resultKey, maskKey }) => ({
      requestId: jobId,
      userId,
      keyId,
      route,
      statusCode: 200,
      code: 200,
      engineMs,
      totalMs: Math.round(performance.now() - started),
      cacheHit,
      resultKey,
      maskKey,
    }),
  };
}

/** `category: "auto"`: the decision, or 20001 when the garment cannot be cut out of its photo. */
function decideOrRefuse(garment: DecodedImage): CategoryDecision {
  try {
    return decideCategory(garment.raster);
  } catch (err) {
    if (err instanceof EngineInputError) throw new ApiError('TRY_ON_EXCEPTION', `garmentImg: category auto: ${err.message}`);
    throw err;
  }
}

/** The /v1 forms' extra text fields (not part of API 1/2, whose fields stay the contract's). */
const JOB_TEXT_FIELDS = [WEBHOOK_FIELD, SAMPLES_FIELD] as const;

export function jobRoutes(
  app: FastifyInstance,
  deps: {
    services: Services;
    generation: GenerationService;
    bodyDeadlines: BodyDeadlines;
    rateLimiter: KeyRateLimit;
    urls: PublicUrls;
    /** Where results are stored (a try-on job compares its samples' pictures). */
    store: ObjectStore;
    /** The address policy webhook targets obey (the image fetcher's). */
    isAllowedAddress: (address: string) => boolean;
  },
) {
  const { services, generation, bodyDeadlines, urls } = deps;
  const onRequest = authenticateHook(services, deps.rateLimiter);
  const userOf = (request: FastifyRequest) => request.fitroom.auth!.userId;
  const jobOptions = (request: FastifyRequest, texts: Record<string, string | undefined>) => ({
    keyId: request.fitroom.auth!.keyId,
    webhookUrl: parseWebhookUrl(texts[WEBHOOK_FIELD], deps.isAllowedAddress),
    samples: parseNumSamples(texts[SAMPLES_FIELD]),
  });
  const objectKeys = (outcome: { resultImgUrl: string; maskImgUrl: string }) =>
    [urls.keyOf(outcome.resultImgUrl), urls.keyOf(outcome.maskImgUrl)].filter((k): k is string => k !== null);
  /** sha256 of a stored result image's bytes (equal pictures encode to equal bytes). */
  const pictureHash = async (resultImgUrl: string) => {
    const key = urls.keyOf(resultImgUrl);
    const object = key === null ? null : await deps.store.get(key);
    if (!object) throw new Error(`stored result ${resultImgUrl} is missing`);
    return createHash('sha256').update(await object.bytes()).digest('hex');
  };

  app.post(`${JOBS_PREFIX}/tryon`, { onRequest, schema: tryOnJobSchema, config: { swaggerTransform: multipartDoc(tryOnJobBody) } }, async (request, reply) => {
    const form = await readSignedForm(request, services, { images: ['modelImg', 'garmentImg'], texts: [...TRYON_TEXT_FIELDS, ...JOB_TEXT_FIELDS] }, bodyDeadlines);
    const images = { modelImg: requiredImage(form, 'modelImg'), garmentImg: requiredImage(form, 'garmentImg') };
    // `auto`: checked like a category here, decided from the garment in the job (below).
    const auto = form.texts.category?.trim() === AUTO_CATEGORY;
    const params = parseTryOnParams(auto ? { ...form.texts, category: 'upper_body' } : form.texts);
    const options = jobOptions(request, form.texts);
    const job = await services.jobs.submit(
      userOf(request),
      'tryon',
      async (jobId, progress) => {
        const decide = (garment: DecodedImage) => {
          progress(1, 'analysing');
          return decideOrRefuse(garment);
        };
        const decision = auto ? await generation.withDecodedImage('garmentImg', images.garmentImg, decide) : null;
        const category = decision?.category ?? params.category;
        // Sample i is the try-on of view i of the photos (src/sampling/tryon-variations.ts), each
        // charged like a call. A sample whose picture repeats an earlier one is no sample: it is
        // refunded and left out (its images still go with the job). If one fails, the samples
        // already made are refunded and the job fails: it costs nothing.
        const requestIds = sampleRequestIds(jobId, options.samples);
        const samples: Array<{ resultImgUrl: string; maskImgUrl: string; cacheHit: boolean }> = [];
        const seen = new Set<string>();
        const keys: string[] = [];
        const made: string[] = [];
        try {
          for (const [i, requestId] of requestIds.entries()) {
            const outcome = await generation.tryOn(jobContext(request, requestId, (stage) => progress(i + 1, stage)), images, { ...params, category }, TRYON_VARIATIONS[i]);
            made.push(requestId);
            keys.push(...objectKeys(outcome));
            const picture = await pictureHash(outcome.resultImgUrl);
            if (seen.has(picture)) {
              await services.credits.refund(requestId, 'try-on sample repeating an earlier one');
              continue;
            }
            seen.add(picture);
            samples.push({ resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, cacheHit: outcome.cacheHit });
          }
        } catch (err) {
          for (const requestId of made) await services.credits.refund(requestId);
          throw err;
        }
        const categoryData = decision ? { category, categoryDecision: { requested: AUTO_CATEGORY, ...decision } } : { category };
        return { result: { ...samples[0], ...categoryData, samples }, objectKeys: keys };
      },
      options,
    );
    return reply.status(202).send({ code: 200, msg: 'OK', data: job });
  });

  app.post(`${JOBS_PREFIX}/prompt`, { onRequest, schema: promptJobSchema, config: { swaggerTransform: multipartDoc(promptJobBody) } }, async (request, reply) => {
    const form = await readSignedForm(request, services, { images: ['modelImg'], texts: [...PROMPT_TEXT_FIELDS, ...JOB_TEXT_FIELDS] }, bodyDeadlines);
    const modelImg = requiredImage(form, 'modelImg');
    const params = parsePromptParams(form.texts);
    const options = jobOptions(request, form.texts);
    const job = await services.jobs.submit(
      userOf(request),
      'prompt',
      async (jobId, progress) => {
        // One call per sample, each with its own seed and request id (each charged); if one
        // fails, the samples already made are refunded and the job fails: it costs nothing.
        const requestIds = sampleRequestIds(jobId, options.samples);
        const samples: Array<{ resultImgUrl: string; maskImgUrl: string; seed: number; cacheHit: boolean }> = [];
        try {
          for (const [i, requestId] of requestIds.entries()) {
            const outcome = await generation.editByPrompt(jobContext(request, requestId, (stage) => progress(i + 1, stage)), { modelImg }, { ...params, seed: sampleSeed(params.seed, i) });
            samples.push({ resultImgUrl: outcome.resultImgUrl, maskImgUrl: outcome.maskImgUrl, seed: outcome.seed, cacheHit: outcome.cacheHit });
          }
        } catch (err) {
          for (const requestId of requestIds.slice(0, samples.length)) await services.credits.refund(requestId);
          throw err;
        }
        return { result: { ...samples[0], samples }, objectKeys: samples.flatMap(objectKeys) };
      },
      options,
    );
    return reply.status(202).send({ code: 200, msg: 'OK', data: job });
  });

  app.get(`${JOBS_PREFIX}/jobs/:id`, { onRequest, schema: getJobSchema }, async (request) => {
    const { id } = request.params as { id: string };
    return { code: 200, msg: 'OK', data: await services.jobs.get(userOf(request), id) };
  });

  app.delete(`${JOBS_PREFIX}/jobs/:id`, { onRequest, schema: cancelJobSchema }, async (request) => {
    const { id } = request.params as { id: string };
    return { code: 200, msg: 'OK', data: await services.jobs.cancelOrDeleteImages(userOf(request), id) };
  });
}
