/**
 * DELETE /v1/jobs/{id} on a finished job deletes its images at once: the result and mask URLs
 * answer 404, the result cache no longer serves them, the job stays (status, error and credits
 * untouched) with `result` null and `imagesDeletedAt` set, and a second DELETE changes nothing.
 * The retention rule holds: an image another live job points at (two jobs served by one cache
 * entry) stays until that job's images go too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { api1Parts, api2Parts, bearer, multipart, post, readResponse, type ApiResponse } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

interface JobData {
  jobId: string;
  status: string;
  result: { resultImgUrl: string; maskImgUrl: string; cacheHit: boolean } | null;
  error: { code: number; msg: string } | null;
  refunded: boolean;
  finishedAt: string | null;
  expiresAt: string | null;
  imagesDeletedAt: string | null;
}

let server: StartedServer;
let user: TestUser;
let model: Buffer;

before(async () => {
  // Every result cached, so two identical jobs share one image (the retention rule's case).
  server = await startServer({ env: { FITROOM_CACHE: 'all' } });
  user = await createUser(server, { credits: 20 });
  model = await personImage('jpeg');
});

after(async () => {
  if (server) await server.stop();
});

function jobOf(res: ApiResponse, status = 200): JobData {
  assert.equal(res.status, status, res.text);
  return (res.json as { data: JobData }).data;
}

const getJob = async (id: string, key = user.apiKey) => readResponse(await fetch(`${server.url}/v1/jobs/${id}`, { headers: bearer(key) }));
const deleteJob = async (id: string, key = user.apiKey) => readResponse(await fetch(`${server.url}/v1/jobs/${id}`, { method: 'DELETE', headers: bearer(key) }));
const status = async (url: string) => (await fetch(url)).status;

async function finishedJob(path: '/v1/prompt' | '/v1/tryon', parts: ReturnType<typeof api2Parts>, key = user.apiKey): Promise<JobData> {
  const { jobId } = jobOf(await post(server.url, path, multipart(parts), bearer(key)), 202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = jobOf(await getJob(jobId, key));
    if (job.status !== 'queued' && job.status !== 'running') return job;
    assert.ok(Date.now() < deadline, `job ${jobId} still ${job.status}`);
    await sleep(50);
  }
}

describe('DELETE /v1/jobs/{id} on a finished job', () => {
  it('deletes its images and cache entries at once, keeps the job and its credits, and is idempotent', async () => {
    const job = await finishedJob('/v1/prompt', api2Parts(model, { seed: '301' }));
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.imagesDeletedAt, null);
    const { resultImgUrl, maskImgUrl } = job.result!;
    assert.equal(await status(resultImgUrl), 200);
    assert.equal(await status(maskImgUrl), 200);
    const hit = await post(server.url, '/api/openapi/change-clothes-by-prompt', multipart(api2Parts(model, { seed: '301' })), bearer(user.apiKey));
    assert.equal((hit.json as { data: { cacheHit: boolean } }).data.cacheHit, true, 'the job filled the cache');
    const before = await showUser(server, user.email);

    const deleted = jobOf(await deleteJob(job.jobId));
    assert.equal(deleted.status, 'succeeded', 'the status is what happened, not what was deleted');
    assert.equal(deleted.result, null);
    assert.ok(deleted.imagesDeletedAt && Date.parse(deleted.imagesDeletedAt) >= Date.parse(job.finishedAt!));
    assert.equal(deleted.finishedAt, job.finishedAt);
    assert.equal(deleted.expiresAt, job.expiresAt, 'the job itself still expires when it would have');
    assert.equal(deleted.refunded, false);
    assert.equal(await status(resultImgUrl), 404);
    assert.equal(await status(maskImgUrl), 404);
    assert.deepEqual(jobOf(await getJob(job.jobId)), deleted, 'GET shows the job as DELETE answered it');

    const afterState = await showUser(server, user.email);
    assert.equal(afterState.credits, before.credits, 'deleting images neither charges nor refunds');
    assert.equal(afterState.ledgerSum, afterState.credits);

    assert.deepEqual(jobOf(await deleteJob(job.jobId)), deleted, 'a second DELETE changes nothing');

    const again = await post(server.url, '/api/openapi/change-clothes-by-prompt', multipart(api2Parts(model, { seed: '301' })), bearer(user.apiKey));
    const data = (again.json as { data: { cacheHit: boolean; resultImgUrl: string } }).data;
    assert.equal(data.cacheHit, false, 'the deleted result is not served from the cache');
    assert.equal(await status(data.resultImgUrl), 200);
  });

  it('keeps an image another live job points at, until that job\'s images are deleted too', async () => {
    const first = await finishedJob('/v1/prompt', api2Parts(model, { seed: '302' }));
    const second = await finishedJob('/v1/prompt', api2Parts(model, { seed: '302' }));
    assert.equal(second.result!.cacheHit, true);
    assert.equal(second.result!.resultImgUrl, first.result!.resultImgUrl, 'one image, two jobs');

    assert.equal(jobOf(await deleteJob(first.jobId)).result, null);
    assert.equal(await status(second.result!.resultImgUrl), 200, 'the second job still points at it');
    assert.deepEqual(jobOf(await getJob(second.jobId)).result, second.result);

    jobOf(await deleteJob(second.jobId));
    assert.equal(await status(second.result!.resultImgUrl), 404);
    assert.equal(await status(second.result!.maskImgUrl), 404);
  });

  it('a failed job keeps its error; another user\'s job is 404 and keeps its images', async () => {
    const poor = await createUser(server, { credits: 0 });
    await server.admin({ name: 'credits grant', email: poor.email, amount: 1 });
    const garment = await garmentImage('jpeg', 11);
    const paid = await finishedJob('/v1/tryon', api1Parts(model, garment), poor.apiKey);
    assert.equal(paid.status, 'succeeded', JSON.stringify(paid.error));
    const failed = await finishedJob('/v1/tryon', api1Parts(model, garment), poor.apiKey);
    assert.equal(failed.status, 'failed');

    const deleted = jobOf(await deleteJob(failed.jobId, poor.apiKey));
    assert.equal(deleted.status, 'failed');
    assert.deepEqual(deleted.error, failed.error);
    assert.ok(deleted.imagesDeletedAt);

    assert.equal((await deleteJob(paid.jobId, user.apiKey)).status, 404);
    assert.equal(await status(paid.result!.resultImgUrl), 200, 'another user cannot delete them');
    assert.equal(jobOf(await getJob(paid.jobId, poor.apiKey)).imagesDeletedAt, null);
  });
});
