/**
 * Operator settings that change what a client sees, on one server: FITROOM_CACHE=all (uploads are
 * cached too), FITROOM_CACHE_HIT_CHARGE=false, FITROOM_COST_TRYON / FITROOM_COST_PROMPT, and
 * FITROOM_PUBLIC_URL as the base of result URLs. Plus: bad settings stop the server at start with
 * every problem listed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  API1_PATH,
  API2_PATH,
  api1Parts,
  api2Parts,
  bearer,
  expectError,
  expectOk,
  expectWebpOfSize,
  multipart,
  post,
} from '../helpers/http.ts';
import { garmentImage, personImage, PERSON_SIZE } from '../helpers/images.ts';
import { REPO_ROOT, createUser, showUser, startServer, testEnv, type StartedServer } from '../helpers/server.ts';

const PUBLIC_URL = 'https://fitroom.example.test:8443';
let server: StartedServer;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await startServer({
    env: {
      FITROOM_CACHE: 'all',
      FITROOM_CACHE_HIT_CHARGE: 'false',
      FITROOM_COST_TRYON: '2',
      FITROOM_COST_PROMPT: '3',
      FITROOM_PUBLIC_URL: PUBLIC_URL,
    },
  });
  model = await personImage('jpeg', PERSON_SIZE, 5);
  garment = await garmentImage('jpeg', 6);
});

after(async () => {
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit after SIGTERM: ${JSON.stringify(exit)}`);
  }
});

/** Result URLs name the public host; the same path is served by the server we started. */
function onThisServer(url: unknown): string {
  assert.equal(typeof url, 'string');
  assert.ok((url as string).startsWith(PUBLIC_URL + '/'), `${url} starts with FITROOM_PUBLIC_URL`);
  return server.url + (url as string).slice(PUBLIC_URL.length);
}

describe('costs, cache policy "all" and free cache hits', () => {
  it('API 1 costs 2, an identical upload is a free cache hit, API 2 costs 3', async () => {
    const user = await createUser(server, { credits: 10 });
    const body = () => multipart(api1Parts(model, garment));
    const first = expectOk(await post(server.url, API1_PATH, body(), bearer(user.apiKey)));
    assert.equal(first.cacheHit, false);
    assert.equal((await showUser(server, user.email)).credits, 8);

    const second = expectOk(await post(server.url, API1_PATH, body(), bearer(user.apiKey)));
    assert.equal(second.cacheHit, true, 'FITROOM_CACHE=all caches uploaded inputs');
    assert.equal(second.resultImgUrl, first.resultImgUrl);
    assert.equal((await showUser(server, user.email)).credits, 8, 'FITROOM_CACHE_HIT_CHARGE=false: the hit is free');

    expectOk(await post(server.url, API2_PATH, multipart(api2Parts(model, { seed: '9' })), bearer(user.apiKey)));
    const state = await showUser(server, user.email);
    assert.equal(state.credits, 5);
    assert.equal(state.ledgerSum, 5);
  });

  it('a balance below the cost → 402 10003', async () => {
    const user = await createUser(server, { credits: 1 });
    const res = await post(server.url, API1_PATH, multipart(api1Parts(model, await garmentImage('jpeg', 7))), bearer(user.apiKey));
    expectError(res, { status: 402, code: 10003, name: 'INSUFFICIENT_CREDITS' });
    assert.equal((await showUser(server, user.email)).credits, 1);
  });
});

describe('FITROOM_PUBLIC_URL', () => {
  it('is the base of resultImgUrl and maskImgUrl', async () => {
    const user = await createUser(server, { credits: 5 });
    const data = expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
    await expectWebpOfSize(onThisServer(data.resultImgUrl), PERSON_SIZE.width, PERSON_SIZE.height);
    await expectWebpOfSize(onThisServer(data.maskImgUrl), PERSON_SIZE.width, PERSON_SIZE.height);
  });
});

describe('bad settings', () => {
  it('stop the server at start with exit code 1, naming every bad variable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fitroom-badenv-'));
    try {
      const env = testEnv(dataDir, { PORT: 'eighty', FITROOM_CACHE: 'sometimes', FITROOM_TRIAL_CALLS: '-3' });
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { cwd: REPO_ROOT, env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 1, output);
      for (const name of ['PORT', 'FITROOM_CACHE', 'FITROOM_TRIAL_CALLS']) assert.ok(output.includes(name), `names ${name}: ${output}`);
      assert.ok(!output.includes('"listening"'), 'never listened');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
