/**
 * Issue 10: identical concurrent cache misses (one preset pair asked for by many callers at once)
 * used to run the engine once per caller until the first result was cached (168 calls, 47 runs).
 * They now share one engine run; the others are answered from it as cache hits and charged as
 * cache hits are.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, bearer, expectOk, multipart, post, textPart } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const CALLS = 24;

let server: StartedServer;
let user: TestUser;
let dir: string;
let modelUrl: string;
let garmentUrl: string;

before(async () => {
  server = await startServer({ env: { FITROOM_WORKERS: '1' } });
  user = await createUser(server, { credits: 100 });
  dir = mkdtempSync(join(tmpdir(), 'fitroom-coalesce-'));
  // A large model photo, so the one engine run is still going when every call has arrived.
  writeFileSync(join(dir, 'model.png'), await personImage('png', { width: 1536, height: 2048 }));
  writeFileSync(join(dir, 'garment.jpg'), await garmentImage('jpeg'));
  modelUrl = String((await server.cli(['presets', 'add', 'model', join(dir, 'model.png')])).url);
  garmentUrl = String((await server.cli(['presets', 'add', 'garment', join(dir, 'garment.jpg')])).url);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Engine runs so far: observations of the queue's worker_total stage. */
async function engineRuns(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^fitroom_engine_stage_seconds_count\{stage="worker_total"\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

describe('coalescing identical cache misses', () => {
  it(`${CALLS} concurrent calls for one preset pair run the engine once; each is charged`, { timeout: 120_000 }, async () => {
    const before = await engineRuns();
    const body = () => multipart([textPart('modelImg', modelUrl), textPart('garmentImg', garmentUrl), textPart('category', 'upper_body')]);
    const answers = await Promise.all(Array.from({ length: CALLS }, () => post(server.url, API1_PATH, body(), bearer(user.apiKey))));
    const data = answers.map((res) => expectOk(res));
    assert.equal((await engineRuns()) - before, 1, 'one engine run for all of them');
    assert.equal(data.filter((d) => d.cacheHit === false).length, 1, 'one call made the result');
    assert.equal(new Set(data.map((d) => d.resultImgUrl)).size, 1, 'all got the same result');
    // FITROOM_CACHE_HIT_CHARGE defaults to true: every call costs 1.
    assert.equal((await showUser(server, user.email)).credits, 100 - CALLS);
  });
});
