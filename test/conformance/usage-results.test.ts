/**
 * `GET /v1/usage` rows carry the result and mask image URLs of each call (issue 11): the URLs the
 * call's own answer gave (a synchronous call, each sample of a job), null for a call that made no
 * image, and null once the images are deleted (DELETE of the finished job), while other calls'
 * images stay listed and downloadable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { API1_PATH, API2_PATH, api1Parts, api2Parts, bearer, expectOk, multipart, post, readResponse, type ApiResponse } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, type StartedServer } from '../helpers/server.ts';

interface UsageItem {
  requestId: string;
  route: string;
  code: number;
  credits: number;
  resultImgUrl: string | null;
  maskImgUrl: string | null;
}

interface JobData {
  jobId: string;
  status: string;
  result: { samples: Array<{ resultImgUrl: string; maskImgUrl: string }> } | null;
  error: unknown;
}

/** Longest wait for a job to finish, ms. */
const WAIT_MS = 60_000;

let server: StartedServer;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await sharedServer();
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  await releaseSharedServers();
});

async function get(path: string, key: string): Promise<ApiResponse> {
  return readResponse(await fetch(`${server.url}${path}`, { headers: bearer(key) }));
}

async function usage(key: string): Promise<Map<string, UsageItem>> {
  const res = await get('/v1/usage?limit=200', key);
  assert.equal(res.status, 200, res.text);
  const items = (res.json as { data: { items: UsageItem[] } }).data.items;
  return new Map(items.map((i) => [i.requestId, i]));
}

const status = async (url: string) => (await fetch(url)).status;

describe('GET /v1/usage: result image URLs', () => {
  it('each row carries the URLs its call answered with; null without an image and once the images are deleted', async () => {
    const payer = await createUser(server, { credits: 10 });
    const syncRes = await post(server.url, API2_PATH, multipart(api2Parts(model, { seed: '31' })), bearer(payer.apiKey));
    const sync = expectOk(syncRes) as { resultImgUrl: string; maskImgUrl: string };
    const syncId = syncRes.headers.get('x-request-id')!;
    const bad = await post(server.url, API1_PATH, multipart(api1Parts(model, garment, { category: null })), bearer(payer.apiKey));
    assert.equal(bad.status, 400);
    const badId = bad.headers.get('x-request-id')!;

    const queued = await post(server.url, '/v1/prompt', multipart(api2Parts(model, { seed: '32', num_samples: '2' })), bearer(payer.apiKey));
    assert.equal(queued.status, 202, queued.text);
    const { jobId } = (queued.json as { data: JobData }).data;
    const deadline = Date.now() + WAIT_MS;
    let job: JobData;
    for (;;) {
      job = ((await get(`/v1/jobs/${jobId}`, payer.apiKey)).json as { data: JobData }).data;
      if (job.status !== 'queued' && job.status !== 'running') break;
      assert.ok(Date.now() < deadline, `job ${jobId} still ${job.status}`);
      await sleep(50);
    }
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const samples = job.result!.samples;
    assert.equal(samples.length, 2);
    await sleep(100); // usage rows are written in batches every few ms

    const rows = await usage(payer.apiKey);
    assert.deepEqual(
      { result: rows.get(syncId)?.resultImgUrl, mask: rows.get(syncId)?.maskImgUrl },
      { result: sync.resultImgUrl, mask: sync.maskImgUrl },
      'the synchronous call\'s row has the URLs of its answer',
    );
    assert.equal(rows.get(badId)?.code, 10004);
    assert.equal(rows.get(badId)?.resultImgUrl, null, 'a refused call made no image');
    assert.equal(rows.get(badId)?.maskImgUrl, null);
    for (const [i, sampleId] of [jobId, `${jobId}.2`].entries()) {
      const row = rows.get(sampleId);
      assert.ok(row, `a usage row for ${sampleId}`);
      assert.equal(row.credits, 1);
      assert.equal(row.resultImgUrl, samples[i].resultImgUrl, `sample ${i + 1}'s result`);
      assert.equal(row.maskImgUrl, samples[i].maskImgUrl, `sample ${i + 1}'s mask`);
    }
    for (const url of [sync.resultImgUrl, sync.maskImgUrl, samples[1].resultImgUrl]) assert.equal(await status(url), 200, url);

    // Another account sees none of these rows.
    const stranger = await usage((await createUser(server, { credits: 0 })).apiKey);
    for (const id of [syncId, badId, jobId]) assert.equal(stranger.has(id), false, id);

    const deleted = await readResponse(await fetch(`${server.url}/v1/jobs/${jobId}`, { method: 'DELETE', headers: bearer(payer.apiKey) }));
    assert.equal(deleted.status, 200, deleted.text);
    const after = await usage(payer.apiKey);
    for (const sampleId of [jobId, `${jobId}.2`]) {
      assert.equal(after.get(sampleId)?.resultImgUrl, null, `${sampleId}: its images were deleted`);
      assert.equal(after.get(sampleId)?.maskImgUrl, null);
      assert.equal(after.get(sampleId)?.credits, 1, 'the row and its charge stay');
    }
    assert.equal(await status(samples[0].resultImgUrl), 404);
    assert.equal(after.get(syncId)?.resultImgUrl, sync.resultImgUrl, 'another call\'s images stay listed');
    assert.equal(await status(sync.resultImgUrl), 200);
  });
});
