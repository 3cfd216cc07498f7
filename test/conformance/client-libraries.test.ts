/**
 * The client libraries under clients/, against a started server: their generated parts match what
 * the running server's OpenAPI document generates now (a route changed without
 * `npm run clients:generate` fails here), and both README examples run as written (the TypeScript
 * one with Node, the Python one with the system's python3, standard library only), plus the
 * TypeScript client's subscribe() on a prompt job with two samples and its typed errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { pythonModule, typescriptTypes, type OpenApiDocument } from '../../clients/codegen.ts';
import { FitroomError, createFitroomClient } from '../../clients/typescript/index.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { REPO_ROOT, createUser, releaseSharedServers, sharedServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;
let dir: string;
let model: Buffer;

before(async () => {
  server = await sharedServer();
  user = await createUser(server, { credits: 20 });
  dir = mkdtempSync(join(tmpdir(), 'fitroom-clients-'));
  model = await personImage('jpeg');
  writeFileSync(join(dir, 'model.jpg'), model);
  writeFileSync(join(dir, 'garment.jpg'), await garmentImage('jpeg', 4));
});

after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await releaseSharedServers();
});

const committed = (path: string) => readFileSync(join(REPO_ROOT, 'clients', path), 'utf8');

function run(command: string, args: string[]): Record<string, unknown> {
  const r = spawnSync(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, FITROOM_URL: server.url, FITROOM_KEY: user.apiKey },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('generated client code', () => {
  it('matches the running server\'s OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as OpenApiDocument;
    assert.deepEqual(doc, JSON.parse(committed('openapi.json')), 'clients/openapi.json is the served document (npm run clients:generate)');
    assert.equal(await typescriptTypes(doc), committed('typescript/schema.d.ts'));
    assert.equal(pythonModule(doc), committed('python/fitroom_client/_generated.py'));
  });
});

describe('the OpenAPI document', () => {
  it('passes Redocly\'s recommended rules with no errors', async () => {
    const source = await (await fetch(`${server.url}/docs/json`)).text();
    const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config: await createConfig({ extends: ['recommended'] }) });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    assert.deepEqual(errors, []);
  });
});

describe('the TypeScript client', () => {
  it('runs its README example: subscribe() to a try-on job until it succeeds', () => {
    const out = run(process.execPath, ['--import', 'tsx', 'clients/typescript/example.ts', join(dir, 'model.jpg'), join(dir, 'garment.jpg')]);
    const job = out.job as { status: string; result: { resultImgUrl: string } };
    assert.equal(job.status, 'succeeded');
    assert.match(job.result.resultImgUrl, /^http:\/\/127\.0\.0\.1:\d+\/files\/results\/.+\.webp$/);
    assert.equal(typeof out.credits, 'number');
  });

  it('waits for a prompt job with two samples, pages usage and throws typed errors', async () => {
    const fitroom = createFitroomClient({ baseUrl: server.url, apiKey: user.apiKey });
    const seen: string[] = [];
    const job = await fitroom.subscribe(fitroom.submitPrompt({ modelImg: new Blob([new Uint8Array(model)]), prompt: 'a red dress', seed: '9', num_samples: '2' }), {
      intervalMs: 50,
      onUpdate: (j) => seen.push(j.status),
    });
    assert.equal(job.status, 'succeeded');
    assert.deepEqual(job.result?.samples?.map((s) => s.seed), [9, 10]);
    assert.ok(seen.length >= 1);
    const page = await fitroom.usage({ limit: 1 });
    assert.equal(page.items.length, 1);
    assert.equal(typeof page.nextCursor, 'string');
    const deleted = await fitroom.cancelJob(job.jobId);
    assert.equal(deleted.status, 'succeeded', 'DELETE on a finished job deletes its images, the job stays');
    assert.equal(deleted.result, null);
    assert.equal(typeof deleted.imagesDeletedAt, 'string');
    await assert.rejects(
      createFitroomClient({ baseUrl: server.url, apiKey: 'fr_wrong' }).account(),
      (err: unknown) => err instanceof FitroomError && err.status === 401 && err.code === 30001,
    );
  });
});

describe('the Python client', () => {
  it('runs its README example with python3 (standard library only)', () => {
    const out = run('python3', ['clients/python/example.py', join(dir, 'model.jpg'), join(dir, 'garment.jpg')]);
    const job = out.job as { status: string; result: { resultImgUrl: string } };
    assert.equal(job.status, 'succeeded');
    assert.match(job.result.resultImgUrl, /\/files\/results\/.+\.webp$/);
    assert.equal(typeof out.credits, 'number');
    assert.deepEqual(out.refused, { status: 400, code: 10004 });
  });
});
