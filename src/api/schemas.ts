/**
 * Route schemas: they drive response serialisation and the OpenAPI document at /docs. Multipart
 * request bodies are read by `readForm` (the contract's clients send fields in ways a strict
 * schema validator would reject), so their field lists are documented here for OpenAPI only.
 */
import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';

export const errorEnvelope = {
  type: 'object',
  description: 'Error: `code` from the contract\'s table, `msg` = `NAME: detail`. No `data`.',
  properties: { code: { type: 'integer', example: 10004 }, msg: { type: 'string', example: 'INVALID_PARAM: category: expected upper_body, lower_body or dresses, got "shirt"' } },
  required: ['code', 'msg'],
} as const;

const errorResponses = { '4xx': errorEnvelope, '5xx': errorEnvelope } as const;

const imageField = (what: string) => ({
  description: `${what}: an image file (JPEG, PNG, WebP or AVIF; at most 20 MB, 40 megapixels, shortest side at least 128 px), or as text an http(s) URL, a data URI or bare base64 of the image bytes, or a preset's URL`,
  oneOf: [{ type: 'string', format: 'binary' }, { type: 'string' }],
});

export const tryOnBody = {
  type: 'object',
  required: ['modelImg', 'garmentImg', 'category'],
  properties: {
    modelImg: imageField('The person photo'),
    garmentImg: imageField('The garment photo, usually a product shot'),
    category: { type: 'string', enum: ['upper_body', 'lower_body', 'dresses'] },
    garmentDesc: { type: 'string', maxLength: 1000, description: 'English description of the garment' },
  },
} as const;

export const promptBody = {
  type: 'object',
  required: ['modelImg', 'prompt'],
  properties: {
    modelImg: imageField('The person photo'),
    prompt: { type: 'string', minLength: 1, maxLength: 2000, example: 'Help the model change into a blue striped shirt.' },
    seed: { type: 'string', pattern: '^[0-9]+$', description: 'Integer 0..2147483647 as digits' },
    randomize_seed: { type: 'string', enum: ['true', 'false'], description: 'Default: true when seed is absent, false when it is given' },
    guidance_scale: { type: 'string', description: 'Number 1..100, default 50' },
    num_inference_steps: { type: 'string', description: 'Integer 1..50, default 28' },
  },
} as const;

const ok = (data: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: {
    code: { type: 'integer', example: 200 },
    msg: { type: 'string', example: 'OK' },
    data: { type: 'object', properties: data, required },
  },
  required: ['code', 'msg', 'data'],
});

export const tryOnResponse = {
  200: ok(
    {
      resultImgUrl: { type: 'string', format: 'uri', description: 'The try-on result (WebP, the model image\'s size)' },
      maskImgUrl: { type: 'string', format: 'uri', description: 'The model photo with the repainted region filled in neutral grey (WebP)' },
      cacheHit: { type: 'boolean', description: 'true when served from the result cache' },
    },
    ['resultImgUrl', 'maskImgUrl', 'cacheHit'],
  ),
  ...errorResponses,
};

export const promptResponse = {
  200: ok(
    {
      resultImgUrl: { type: 'string', format: 'uri' },
      maskImgUrl: { type: 'string', format: 'uri', description: 'Fitroom extension: the repainted region in grey' },
      seed: { type: 'integer', description: 'The seed actually used' },
      cacheHit: { type: 'boolean' },
    },
    ['resultImgUrl', 'seed'],
  ),
  ...errorResponses,
};

const presetList = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, url: { type: 'string', format: 'uri' } }, required: ['id', 'url'] } };

export const presetsResponse = {
  200: ok({ models: presetList, garments: presetList }, ['models', 'garments']),
  ...errorResponses,
};

export const securityBearer = [{ bearerAuth: [] }];

/** Documents a multipart body in OpenAPI without making Fastify validate it. */
export function multipartDoc(body: object): SwaggerTransform {
  return ({ schema, url }) => ({
    schema: { ...(schema as FastifySchema & Record<string, unknown>), consumes: ['multipart/form-data'], body } as FastifySchema,
    url,
  });
}
