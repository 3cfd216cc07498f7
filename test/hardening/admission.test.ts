/**
 * Issue 10: admission before expensive work. A small JPEG that declares 40 MP decodes to ~120 MB
 * of pixels (and much more inside the decoder); several at once used to be decoded together because
 * decoding happened before the queue's limit applied. Decoding now counts against the same limit
 * as engine jobs (FITROOM_WORKERS at a time), so a flood of them costs about one decode of memory
 * per worker, and /healthz keeps answering.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { API1_PATH, api1Parts, bearer, expectError, multipart, post } from '../helpers/http.ts';
import { flatGarmentImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const FLOOD = 5;

let server: StartedServer;
let user: TestUser;
let bomb: Buffer;
let garment: Buffer;

/** The server process's resident set size and its peak so far, MB (Linux /proc). */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The admission gauges the server exports: calls holding a slot and calls waiting for one. */
async function admission(): Promise<{ running: number; waiting: number }> {
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const gauge = (name: string) => {
    const found = new RegExp(`^${name} (\\d+)`, 'm').exec(metrics);
    assert.ok(found, `${name} is exported`);
    return Number(found[1]);
  };
  return { running: gauge('fitroom_admission_running'), waiting: gauge('fitroom_admission_waiting') };
}

before(async () => {
  server = await startServer({ env: { FITROOM_WORKERS: '1' } });
  user = await createUser(server, { credits: 20 });
  // 8000x5000 = 40 MP, one flat colour: a few hundred KB as JPEG.
  bomb = await sharp({ create: { width: 8000, height: 5000, channels: 3, background: { r: 120, g: 130, b: 140 } } }).jpeg({ quality: 50 }).toBuffer();
  // A blank garment: the test engine refuses it (20001) without drawing, so the cost is the decode.
  garment = await flatGarmentImage('jpeg');
});

after(async () => {
  await server?.stop();
});

describe('admission', () => {
  it(`${FLOOD} concurrent 40 MP uploads are decoded one at a time (1 worker); /healthz answers while they wait`, { timeout: 180_000 }, async (t) => {
    const pid = server.process.pid!;
    // One call alone: what a single 40 MP decode costs this process.
    const baseline = memoryMb(pid).peak;
    expectError(await post(server.url, API1_PATH, multipart(api1Parts(bomb, garment)), bearer(user.apiKey)), { status: 422, code: 20001, name: 'TRY_ON_EXCEPTION' });
    const single = memoryMb(pid).peak - baseline;

    let flooding = true;
    let maxAdmitted = 0;
    // /healthz answers asked while the flood saturates the one admission slot (one call admitted and
    // others waiting for it): the event loop keeps serving while the decodes run.
    let healthWhileSaturated = 0;
    const watch = (async () => {
      while (flooding) {
        const before = await admission();
        const res = await fetch(`${server.url}/healthz`);
        assert.equal(res.status, 200, '/healthz answers during the flood');
        await res.arrayBuffer();
        const after = await admission();
        maxAdmitted = Math.max(maxAdmitted, before.running, after.running);
        if (before.running >= 1 && before.waiting >= 1 && after.running >= 1 && after.waiting >= 1) healthWhileSaturated += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: FLOOD }, () => post(server.url, API1_PATH, multipart(api1Parts(bomb, garment)), bearer(user.apiKey))),
    );
    flooding = false;
    await watch;
    for (const res of answers) expectError(res, { status: 422, code: 20001, name: 'TRY_ON_EXCEPTION' });
    const flood = memoryMb(pid).peak - baseline;
    assert.ok(maxAdmitted <= 1, `at most one call decoding or in the engine at a time, saw ${maxAdmitted}`);
    // Decoded one at a time, the flood's peak stays near one call's (allow two for allocator slack),
    // far from FLOOD times it.
    assert.ok(flood < Math.max(2 * single, 400), `peak grew by ${Math.round(flood)} MB for ${FLOOD} calls vs ${Math.round(single)} MB for one`);
    t.diagnostic(`/healthz answered ${healthWhileSaturated} times with the slot taken and calls waiting`);
    assert.ok(healthWhileSaturated >= 1, '/healthz answered while calls were waiting for the admission slot');
    assert.equal((await showUser(server, user.email)).credits, 20, 'refused calls cost nothing');
  });
});
