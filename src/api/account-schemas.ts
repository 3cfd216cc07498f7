/**
 * Schemas of `/v1/account` and `/v1/usage`, written once in zod: the query is validated with it
 * (a bad value is a 10004 naming the field), the handlers' types come from it, and its JSON Schema
 * (z.toJSONSchema, OpenAPI 3.0 flavour) drives response serialisation and the OpenAPI document.
 */
import { z } from 'zod';
import { errorResponses, ok, securityBearer } from './schemas.ts';

/** Usage rows per page: default and most. */
export const USAGE_PAGE = Object.freeze({ default: 50, max: 200 });

export const usageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(USAGE_PAGE.max).default(USAGE_PAGE.default).describe(`Rows per page, 1..${USAGE_PAGE.max} (default ${USAGE_PAGE.default})`),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type UsageQuery = z.infer<typeof usageQuery>;

export const accountData = z.object({
  userId: z.string(),
  email: z.string(),
  credits: z.int().describe('Settled credit balance'),
  reservedCredits: z.int().describe('Credits held by calls in progress'),
  availableCredits: z.int().describe('credits - reservedCredits: what the next calls can spend'),
  trialCallsLeft: z.int().describe('Free calls left (spent only while the account has never held credits)'),
  costs: z.object({ tryon: z.int(), prompt: z.int() }).describe('Credits per call'),
  rateLimit: z
    .object({
      enabled: z.boolean(),
      perMinute: z.int(),
      burst: z.int(),
      remaining: z.int().describe('Calls this key can make right now (after this one)'),
      fullInSeconds: z.int().describe('Seconds until the bucket is full again'),
    })
    .describe('This key\'s token bucket: its user\'s own limits (fitroom users limits), else FITROOM_RATE_LIMIT_*'),
  maxCallsInProgress: z.int().describe('Calls this key may have in progress at once: its user\'s own cap, else FITROOM_MAX_JOBS_PER_KEY'),
  webhookSigning: z.enum(['key', 'account']).describe('Which secret signs webhooks of jobs this key submits'),
  webhookSecret: z.string().nullable().describe('The account\'s webhook secret when webhookSigning is account (signing keys use their own signing secret; null then)'),
});
export type AccountData = z.infer<typeof accountData>;

export const usageData = z.object({
  items: z.array(
    z.object({
      requestId: z.string().describe('req_... for synchronous calls, job_... (job_....N for later samples) for jobs'),
      route: z.string(),
      statusCode: z.int(),
      code: z.int(),
      cacheHit: z.boolean(),
      engineMs: z.int().nullable(),
      totalMs: z.int().nullable(),
      credits: z.int().describe('Credits the call cost in the end (charges minus refunds)'),
      createdAt: z.string().describe('ISO 8601'),
      resultImgUrl: z.string().nullable().describe('The result image the call made or was served (as its answer gave it); null when it made none or the image was deleted (retention, DELETE /v1/jobs/{jobId})'),
      maskImgUrl: z.string().nullable().describe('The mask image of that result; null with resultImgUrl'),
    }),
  ),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next, older page; null on the last page'),
});
export type UsageData = z.infer<typeof usageData>;

/** JSON Schema (OpenAPI 3.0) of a zod schema, without the `$schema` key Fastify's compilers do not need. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'openapi-3.0', io }) as Record<string, unknown>;
  return rest;
}

const dataOf = (schema: z.ZodType) => {
  const json = jsonSchema(schema) as { properties: Record<string, unknown>; required: string[] };
  return [json.properties, json.required] as const;
};

export const accountSchema = {
  operationId: 'getAccount',
  summary: 'The calling key\'s account: balance, trial calls left, rate-limit state, webhook signing',
  tags: ['account'],
  security: securityBearer,
  response: { 200: ok('The account', ...dataOf(accountData)), ...errorResponses([401, 429, 500, 503]) },
};

export const usageSchema = {
  operationId: 'listUsage',
  summary: 'The account\'s calls, newest first, paged with cursor',
  tags: ['account'],
  security: securityBearer,
  querystring: jsonSchema(usageQuery, 'input'),
  response: { 200: ok('A page of usage rows', ...dataOf(usageData)), ...errorResponses([400, 401, 429, 500, 503]) },
};
