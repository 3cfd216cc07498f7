/**
 * One schema per route: it drives response serialisation and the OpenAPI document at /docs/json,
 * which client generators read, so every route has an `operationId` and lists every status it can
 * answer with the contract's `{code, msg}` envelope (the shared `ApiError` component). Multipart
 * request bodies are read by `readForm` (the contract's clients send fields in ways a strict
 * schema validator would reject), so their field lists are documented here for OpenAPI only.
 * Every number comes from LIMITS (config/limits.ts), the one home of the contract's limits.
 */
import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { LIMITS } from '../config/limits.ts';
import { ERROR_CODES, type ErrorName } from '../domain/errors.ts';
import { CALL_STAGES } from '../domain/call-stages.ts';
import { NUM_SAMPLES } from '../domain/samples.ts';
import { WEBHOOK_URL_MAX_CHARS } from '../webhooks/target.ts';

/** `$id` of the error envelope; registered once with `app.addSchema(errorEnvelope)`. */
export const ERROR_SCHEMA_ID = 'ApiError';

export const errorEnvelope = {
  $id: ERROR_SCHEMA_ID,
  type: 'object',
  description: 'Error: `code` from the contract\'s table, `msg` = `NAME: detail`. No `data`.',
  properties: {
    code: { type: 'integer', enum: Object.values(ERROR_CODES).map((e) => e.code), example: 10004 },
    msg: { type: 'string', example: 'INVALID_PARAM: category: expected upper_body, lower_body or dresses, got "shirt"' },
  },
  required: ['code', 'msg'],
} as const;

const retryAfter = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying' } };

/** What each error status means, by the contract's codes (HTTP status -> description). */
const ERROR_STATUSES = {
  400: { names: ['INVALID_PARAM', 'HARMFUL_CONTENT'], note: 'a missing, malformed or out-of-range field or image; the detail names the field' },
  401: { names: ['NOT_LOGIN', 'USER_NOT_EXIST', 'INVALID_API_KEY', 'INVALID_SIGNATURE'], note: 'no, unknown, revoked or disabled key, or a bad signature' },
  402: { names: ['INSUFFICIENT_CREDITS', 'INSUFFICIENT_TRAIL_COUNT'], note: 'not enough credits or trial calls' },
  404: { names: ['INVALID_PARAM'], note: 'no such file or route' },
  408: { names: ['INVALID_PARAM'], note: 'the body did not arrive in time (FITROOM_BODY_IDLE_TIMEOUT_MS between bytes, FITROOM_BODY_TIMEOUT_MS in all)' },
  413: { names: ['INVALID_PARAM'], note: `the body exceeds ${LIMITS.bodyBytes / (1024 * 1024)} MB, or one part is too large` },
  422: { names: ['TRY_ON_EXCEPTION'], note: 'the engine cannot process these inputs; the detail says why' },
  429: { names: ['TOO_MANY_REQUESTS'], note: 'per-key rate limit or too many calls in progress for the key; retry after Retry-After seconds', headers: retryAfter },
  500: { names: ['SERVER_ERROR'], note: 'unexpected failure (no internals are shown)' },
  503: { names: ['SERVER_ERROR'], note: 'overloaded or not ready; retry after Retry-After seconds', headers: retryAfter },
} as const satisfies Record<number, { names: readonly ErrorName[]; note: string; headers?: object }>;

type ErrorStatus = keyof typeof ERROR_STATUSES;

export function errorResponses(statuses: readonly ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => {
      const { names, note, ...rest } = ERROR_STATUSES[status];
      const codes = names.map((name) => `${ERROR_CODES[name].code} ${name}`).join(', ');
      return [status, { description: `${codes}: ${note}`, ...rest, $ref: `${ERROR_SCHEMA_ID}#` }];
    }),
  );
}

/** Every status API 1 and API 2 can answer besides 200. */
const GENERATION_ERRORS = [400, 401, 402, 408, 413, 422, 429, 500, 503] as const;
/** Authenticated routes without a body or an engine call. */
const AUTHENTICATED_ERRORS = [401, 429, 500, 503] as const;

const megabytes = (bytes: number) => `${bytes / (1024 * 1024)} MB`;
const IMAGE_RULES = `JPEG, PNG, WebP or AVIF; at most ${megabytes(LIMITS.imageBytes)}, ${LIMITS.imagePixels / 1_000_000} megapixels, shortest side at least ${LIMITS.imageMinSide} px, longest side at most ${LIMITS.imageMaxSide} px`;

const imageField = (what: string) => ({
  description: `${what}: an image file (${IMAGE_RULES}), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL`,
  oneOf: [{ type: 'string', format: 'binary' }, { type: 'string' }],
});

const range = (r: { min: number; max: number }) => `${r.min}..${r.max}`;

export const tryOnBody = {
  type: 'object',
  required: ['modelImg', 'garmentImg', 'category'],
  properties: {
    modelImg: imageField('The person photo'),
    garmentImg: imageField('The garment photo, usually a product shot'),
    category: { type: 'string', enum: ['upper_body', 'lower_body', 'dresses'] },
    garmentDesc: { type: 'string', maxLength: LIMITS.garmentDescChars, description: 'English description of the garment' },
  },
} as const;

export const promptBody = {
  type: 'object',
  required: ['modelImg', 'prompt'],
  properties: {
    modelImg: imageField('The person photo'),
    prompt: { type: 'string', minLength: LIMITS.promptChars.min, maxLength: LIMITS.promptChars.max, example: 'Help the model change into a blue striped shirt.' },
    seed: { type: 'string', pattern: '^[0-9]+$', description: `Integer ${range(LIMITS.seed)} as digits` },
    randomize_seed: { type: 'string', enum: ['true', 'false'], description: 'Default: true when seed is absent, false when it is given' },
    guidance_scale: { type: 'string', description: `Number ${range(LIMITS.guidanceScale)}, default ${LIMITS.guidanceScale.default}` },
    num_inference_steps: { type: 'string', description: `Integer ${range(LIMITS.inferenceSteps)}, default ${LIMITS.inferenceSteps.default}` },
  },
} as const;

export const ok = (description: string, data: Record<string, unknown>, required: string[]) => ({
  description,
  type: 'object',
  properties: {
    code: { type: 'integer', enum: [200] },
    msg: { type: 'string', enum: ['OK'] },
    data: { type: 'object', properties: data, required },
  },
  required: ['code', 'msg', 'data'],
});

export const securityBearer = [{ bearerAuth: [] }];

export const tryOnSchema = {
  operationId: 'changeClothes',
  summary: 'API 1: dress the person in modelImg in the garment in garmentImg',
  tags: ['try-on'],
  security: securityBearer,
  response: {
    200: ok(
      'The try-on result',
      {
        resultImgUrl: { type: 'string', format: 'uri', description: 'The try-on result (WebP, the model image\'s size)' },
        maskImgUrl: { type: 'string', format: 'uri', description: 'The model photo with the repainted region filled in neutral grey (WebP)' },
        cacheHit: { type: 'boolean', description: 'true when served from the result cache' },
      },
      ['resultImgUrl', 'maskImgUrl', 'cacheHit'],
    ),
    ...errorResponses(GENERATION_ERRORS),
  },
};

export const promptSchema = {
  operationId: 'changeClothesByPrompt',
  summary: 'API 2: change the person\'s clothes as a text prompt describes',
  tags: ['try-on'],
  security: securityBearer,
  response: {
    200: ok(
      'The edited photo',
      {
        resultImgUrl: { type: 'string', format: 'uri' },
        maskImgUrl: { type: 'string', format: 'uri', description: 'Fitroom extension: the repainted region in grey' },
        seed: { type: 'integer', minimum: LIMITS.seed.min, maximum: LIMITS.seed.max, description: 'The seed actually used' },
        cacheHit: { type: 'boolean' },
      },
      ['resultImgUrl', 'seed'],
    ),
    ...errorResponses(GENERATION_ERRORS),
  },
};

const presetList = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, url: { type: 'string', format: 'uri' } }, required: ['id', 'url'] } };

export const presetsSchema = {
  operationId: 'listPresets',
  summary: 'Preset model and garment images (send a URL as modelImg / garmentImg)',
  tags: ['presets'],
  security: securityBearer,
  response: {
    200: ok('The registered presets', { models: presetList, garments: presetList }, ['models', 'garments']),
    ...errorResponses(AUTHENTICATED_ERRORS),
  },
};

export const fileSchema = {
  security: [],
  operationId: 'getFile',
  summary: 'Results, masks and preset images (no auth; URLs are unguessable)',
  tags: ['files'],
  response: {
    200: { description: 'The stored image', content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } } },
    302: { description: 'S3 storage with presigned URLs (S3_PRESIGN_SECONDS): the object is at the Location URL for a limited time' },
    ...errorResponses([404, 500]),
  },
};

export const healthSchema = {
  security: [],
  operationId: 'getHealth',
  summary: 'Liveness: the process answers',
  tags: ['ops'],
  response: { 200: ok('The process answers', { status: { type: 'string', enum: ['ok'] } }, ['status']) },
};

export const readinessSchema = {
  security: [],
  operationId: 'getReadiness',
  summary: 'Readiness: database reachable and engine models loaded',
  tags: ['ops'],
  response: {
    200: ok('Ready', { status: { type: 'string', enum: ['ready'] }, database: { type: 'string' }, engine: { type: 'string' } }, ['status', 'database', 'engine']),
    ...errorResponses([503]),
  },
};

export const metricsSchema = {
  // Open unless FITROOM_METRICS_TOKEN is set, then that token as a Bearer.
  security: [{}, { bearerAuth: [] }] as Array<Record<string, string[]>>,
  operationId: 'getMetrics',
  summary: 'Prometheus metrics (Bearer FITROOM_METRICS_TOKEN when set)',
  tags: ['ops'],
  response: {
    200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
    ...errorResponses([401]),
  },
};

/** `/files/*` in OpenAPI: Fastify's wildcard as a named path parameter `key` (the object key). */
export const fileDoc: SwaggerTransform = ({ schema, url }) => ({
  schema: { ...(schema as FastifySchema & Record<string, unknown>), params: { type: 'object', properties: { key: { type: 'string', description: 'results/..., masks/... or presets/...' } }, required: ['key'] } } as FastifySchema,
  url: url.replace('/*', '/:key'),
});

/** Documents a multipart body in OpenAPI without making Fastify validate it. */
export function multipartDoc(body: object): SwaggerTransform {
  return ({ schema, url }) => ({
    schema: { ...(schema as FastifySchema & Record<string, unknown>), consumes: ['multipart/form-data'], body } as FastifySchema,
    url,
  });
}

/** The /v1 forms: API 1/2's fields plus `webhook_url` and `num_samples`. */
const jobFields = {
  webhook_url: {
    type: 'string',
    format: 'uri',
    maxLength: WEBHOOK_URL_MAX_CHARS,
    description: 'POSTed (signed, retried with backoff) when the job ends; the same address rules as image URLs',
  },
  num_samples: {
    type: 'string',
    pattern: '^[1-4]$',
    description: `Results to make, ${NUM_SAMPLES.min}..${NUM_SAMPLES.max}, each charged (default 1). Prompt jobs: consecutive seeds. Try-on jobs: the try-on of the photos as they are, mirrored, framed, mirrored and framed (small placement variations); a sample repeating an earlier picture is left out and refunded, so samples may hold fewer`,
  },
} as const;
export const tryOnJobBody = {
  ...tryOnBody,
  properties: {
    ...tryOnBody.properties,
    ...jobFields,
    category: {
      type: 'string',
      enum: [...tryOnBody.properties.category.enum, 'auto'],
      description: '`auto`: decided from the garment photo\'s outline; the decision is in the result (`category`, `categoryDecision`)',
    },
  },
} as const;
export const promptJobBody = { ...promptBody, properties: { ...promptBody.properties, ...jobFields } } as const;

const sampleData = {
  type: 'object',
  properties: {
    resultImgUrl: { type: 'string', format: 'uri' },
    maskImgUrl: { type: 'string', format: 'uri' },
    cacheHit: { type: 'boolean' },
    seed: { type: 'integer', description: 'Prompt jobs: the seed of this sample' },
  },
  required: ['resultImgUrl', 'maskImgUrl', 'cacheHit'],
};

const webhookLog = {
  type: 'object',
  nullable: true,
  description: 'null without webhook_url; else the target and its delivery log',
  properties: {
    url: { type: 'string', format: 'uri' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
    attempts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time' },
          statusCode: { type: 'integer', nullable: true, description: 'The receiver\'s HTTP status; null when it did not answer' },
          error: { type: 'string', nullable: true },
          ms: { type: 'integer' },
        },
        required: ['at', 'statusCode', 'error', 'ms'],
      },
    },
    nextAttemptAt: { type: 'string', format: 'date-time', nullable: true },
  },
  required: ['url', 'status', 'attempts', 'nextAttemptAt'],
};

const jobData = {
  jobId: { type: 'string', description: 'job_...' },
  kind: { type: 'string', enum: ['tryon', 'prompt'] },
  status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] },
  result: {
    type: 'object',
    nullable: true,
    description: 'Once succeeded: the synchronous API\'s data (resultImgUrl, maskImgUrl, cacheHit; seed for prompt jobs) for the first sample, and `samples` with every sample',
    properties: {
      ...sampleData.properties,
      samples: { type: 'array', items: sampleData },
      category: { type: 'string', enum: ['upper_body', 'lower_body', 'dresses'], description: 'Try-on jobs: the category used' },
      categoryDecision: {
        type: 'object',
        description: 'Try-on jobs sent with category auto: the decision and the outline measures behind it',
        properties: { requested: { type: 'string', enum: ['auto'] }, category: { type: 'string' }, measures: { type: 'object', additionalProperties: { type: 'number' } } },
      },
    },
    additionalProperties: true,
  },
  error: {
    type: 'object',
    nullable: true,
    description: 'Once failed: the error envelope the synchronous API would have answered',
    properties: { code: { type: 'integer' }, msg: { type: 'string' } },
  },
  refunded: { type: 'boolean', description: 'A cancelled job whose finished work was charged got the charge back' },
  createdAt: { type: 'string', format: 'date-time' },
  finishedAt: { type: 'string', format: 'date-time', nullable: true },
  numSamples: { type: 'integer', minimum: NUM_SAMPLES.min, maximum: NUM_SAMPLES.max },
  expiresAt: { type: 'string', format: 'date-time', nullable: true, description: 'When the job and its images are deleted (FITROOM_JOB_RETENTION_SECONDS after it ended)' },
  imagesDeletedAt: {
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When DELETE /v1/jobs/{jobId} deleted the finished job\'s images (`result` is null from then on); null while they exist',
  },
  webhook: webhookLog,
  progress: {
    type: 'object',
    nullable: true,
    description:
      'While queued or running: where the work is. `stage`: queued (waiting to start, for its photos to download or for an engine slot), analysing (reading and checking the photos; deciding the category for auto), rendering (in the engine), saving (storing the result). `sample`: which of numSamples (1-based). null once the job has ended',
    properties: {
      stage: { type: 'string', enum: [...CALL_STAGES] },
      sample: { type: 'integer', minimum: 1, maximum: NUM_SAMPLES.max },
    },
    required: ['stage', 'sample'],
  },
};
const JOB_REQUIRED = ['jobId', 'kind', 'status', 'result', 'error', 'refunded', 'numSamples', 'createdAt', 'finishedAt', 'expiresAt', 'imagesDeletedAt', 'webhook', 'progress'];

/** 202 Accepted: the job is recorded and runs in the background. */
const accepted = (what: string) => ({
  202: { ...ok(`${what} accepted: poll GET /v1/jobs/{jobId}`, jobData, JOB_REQUIRED), description: `${what} accepted: poll GET /v1/jobs/{jobId}` },
  // Refusals before the job exists: auth, a bad field or body, overload. Credits, trials and
  // engine failures are the job's own outcome (its `error`).
  ...errorResponses([400, 401, 408, 413, 429, 500, 503]),
});

export const tryOnJobSchema = {
  operationId: 'submitTryOnJob',
  summary: 'API 1 as an async job: the same fields, answered 202 with a job id',
  tags: ['jobs'],
  security: securityBearer,
  response: accepted('Try-on job'),
};

export const promptJobSchema = {
  operationId: 'submitPromptJob',
  summary: 'API 2 as an async job: the same fields, answered 202 with a job id',
  tags: ['jobs'],
  security: securityBearer,
  response: accepted('Prompt job'),
};

const jobParams = { type: 'object', properties: { id: { type: 'string', description: 'job_...' } }, required: ['id'] };

export const getJobSchema = {
  operationId: 'getJob',
  summary: 'A job\'s status, and its result or error once finished',
  tags: ['jobs'],
  security: securityBearer,
  params: jobParams,
  response: { 200: ok('The job', jobData, JOB_REQUIRED), ...errorResponses([401, 404, 429, 500, 503]) },
};

export const cancelJobSchema = {
  operationId: 'cancelJob',
  summary: 'Cancel a job that has not finished (it costs nothing: a charge for work that still completes is refunded), or delete a finished job\'s images',
  description:
    'A finished job (succeeded, failed or cancelled) keeps its status, error and credits; its result and mask images are deleted at once ' +
    '(not those another unexpired job points at, as with retention), `result` becomes null and `imagesDeletedAt` is set. The job itself ' +
    'is deleted when it expires. A second DELETE changes nothing.',
  tags: ['jobs'],
  security: securityBearer,
  params: jobParams,
  response: {
    200: ok('The cancelled job, or the finished job with its images deleted', jobData, JOB_REQUIRED),
    ...errorResponses([401, 404, 429, 500, 503]),
  },
};
