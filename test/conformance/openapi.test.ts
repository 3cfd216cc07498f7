/**
 * The OpenAPI document (`GET /docs/json`) is what client generators read: it must validate
 * (@apidevtools/swagger-parser: the OpenAPI 3.0 schema plus its semantic rules), every operation
 * needs a unique `operationId`, and every error status a route can answer must be listed with the
 * contract's `{code, msg}` envelope, so a generated client has a typed error for each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { API1_PATH, API2_PATH, PRESETS_PATH } from '../helpers/http.ts';
import { releaseSharedServers, sharedServer, type StartedServer } from '../helpers/server.ts';

interface Operation {
  operationId?: string;
  responses: Record<string, { description?: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  requestBody?: { content: Record<string, { schema: { properties: Record<string, { maxLength?: number; description?: string }> } }> };
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
}

const GENERATION_ERRORS = ['400', '401', '402', '408', '413', '422', '429', '500', '503'];

let server: StartedServer;
let doc: Document;

before(async () => {
  server = await sharedServer();
  const res = await fetch(`${server.url}/docs/json`);
  assert.equal(res.status, 200);
  doc = (await res.json()) as Document;
});

after(async () => {
  await releaseSharedServers();
});

function operations(): Array<[string, string, Operation]> {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, string, Operation] => [method, path, op]));
}

describe('GET /docs/json', () => {
  it('is a valid OpenAPI 3 document (no errors from swagger-parser)', async () => {
    assert.match(doc.openapi, /^3\./);
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  it('every operation has a unique operationId', () => {
    const ids = operations().map(([method, path, op]) => {
      assert.ok(op.operationId, `${method.toUpperCase()} ${path} has an operationId`);
      return op.operationId;
    });
    assert.ok(ids.length >= 7, `the service's routes are documented: ${ids.join(', ')}`);
    assert.equal(new Set(ids).size, ids.length, `unique: ${ids.join(', ')}`);
    assert.ok(!('/admin/cli' in doc.paths), 'the CLI door is not documented');
  });

  it('API 1 and API 2 list 400, 401, 402, 408, 413, 422, 429, 500 and 503 with the {code, msg} envelope', () => {
    const envelope = doc.components.schemas.ApiError;
    assert.deepEqual(envelope.required, ['code', 'msg']);
    assert.deepEqual(Object.keys(envelope.properties).sort(), ['code', 'msg']);
    for (const path of [API1_PATH, API2_PATH]) {
      const op = doc.paths[path].post;
      assert.deepEqual(Object.keys(op.responses).sort(), ['200', ...GENERATION_ERRORS], path);
      for (const status of GENERATION_ERRORS) {
        const response = op.responses[status];
        assert.equal(response.content?.['application/json']?.schema.$ref, '#/components/schemas/ApiError', `${path} ${status}`);
        assert.match(response.description ?? '', /^\d+ [A-Z_]+/, `${path} ${status} names its codes`);
      }
      assert.ok(op.requestBody?.content['multipart/form-data'], `${path} documents its multipart body`);
    }
    for (const status of ['401', '429', '500', '503']) {
      assert.equal(doc.paths[PRESETS_PATH].get.responses[status].content?.['application/json']?.schema.$ref, '#/components/schemas/ApiError');
    }
  });

  it('states the contract limits', () => {
    const tryOn = doc.paths[API1_PATH].post.requestBody!.content['multipart/form-data'].schema.properties;
    assert.equal(tryOn.garmentDesc.maxLength, 1000);
    assert.match(tryOn.modelImg.description ?? '', /20 MB, 40 megapixels, shortest side at least 128 px/);
    const prompt = doc.paths[API2_PATH].post.requestBody!.content['multipart/form-data'].schema.properties;
    assert.equal(prompt.prompt.maxLength, 2000);
    assert.match(prompt.guidance_scale.description ?? '', /1\.\.100, default 50/);
    assert.match(prompt.num_inference_steps.description ?? '', /1\.\.50, default 28/);
  });
});

describe('the documented error envelope is what the server sends', () => {
  it('a 401 and a 400 carry exactly code and msg', async () => {
    const unauthorised = await fetch(server.url + PRESETS_PATH);
    assert.equal(unauthorised.status, 401);
    assert.deepEqual(Object.keys((await unauthorised.json()) as object).sort(), ['code', 'msg']);
    const admin = await server.adminKey();
    const invalid = await fetch(server.url + API1_PATH, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(invalid.status, 400);
    const body = (await invalid.json()) as { code: number; msg: string };
    assert.deepEqual(Object.keys(body).sort(), ['code', 'msg']);
    assert.equal(body.code, 10004);
  });
});
