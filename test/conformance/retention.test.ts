/**
 * Retention of async jobs: a job and its images are deleted FITROOM_JOB_RETENTION_SECONDS after it
 * ended, by the sweeper; the result cache no longer serves them (the next identical call computes
 * a fresh result), and an image that a later, unexpired job also points at stays until that job
 * expires as well.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { api2Parts, bearer, multipart, post, readResponse, type ApiResponse } from '../helpers/http.ts';
import { personImage } from '../helpers/images.ts';
import { createUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const RETENTION_SECONDS = 3;

let server: StartedServer;
let user: TestUser;
let model: Buffer;

before(async () => {
  server = await startServer({
    env: { FITROOM_JOB_RETENTION_SECONDS: String(RETENTION_SECONDS), FITROOM_RETENTION_SWEEP_MS: '200', FITROOM_CACHE: 'all' },
  });
  user = await createUser(server, { credits: 20 });
  model = await personImage('jpeg');
});

after(async () => {
  if (server) await server.stop();
});

interface JobData {
  jobId: string;
  status: string;
  finishedAt: string | null;
  expiresAt: string | null;
  result: { resultImgUrl: string; maskImgUrl: string; cacheHit: boolean } | null;
}

async function getJob(id: string): Promise<ApiResponse> {
  return readResponse(await fetch(`${server.url}/v1/jobs/${id}`, { headers: bearer(user.apiKey) }));
}

async function finishedJob(seed: string): Promise<JobData> {
  const res = await post(server.url, '/v1/prompt', multipart(api2Parts(model, { seed })), bearer(user.apiKey));
  assert.equal(res.status, 202, res.text);
  const { jobId } = (res.json as { data: JobData }).data;
  for (;;) {
    const job = (await getJob(jobId)).json as { data: JobData };
    if (job.data.status === 'succeeded') return job.data;
    assert.ok(['queued', 'running'].includes(job.data.status), JSON.stringify(job.data));
    await sleep(50);
  }
}

const status = async (url: string) => (await fetch(url)).status;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, what);
    await sleep(100);
  }
}

describe('job retention', () => {
  it('deletes an expired job, its images and the cache entries that point at them', async () => {
    const job = await finishedJob('77');
    assert.equal(job.result!.cacheHit, false);
    const kept = new Date(job.expiresAt!).getTime() - new Date(job.finishedAt!).getTime();
    assert.equal(kept, RETENTION_SECONDS * 1000);
    assert.equal(await status(job.result!.resultImgUrl), 200);

    // The same call through API 2 is served from the cache the job filled.
    const hit = await post(server.url, '/api/openapi/change-clothes-by-prompt', multipart(api2Parts(model, { seed: '77' })), bearer(user.apiKey));
    assert.equal((hit.json as { data: { cacheHit: boolean; resultImgUrl: string } }).data.cacheHit, true);

    await until('the job is deleted', async () => (await getJob(job.jobId)).status === 404);
    assert.equal(await status(job.result!.resultImgUrl), 404);
    assert.equal(await status(job.result!.maskImgUrl), 404);

    const again = await post(server.url, '/api/openapi/change-clothes-by-prompt', multipart(api2Parts(model, { seed: '77' })), bearer(user.apiKey));
    const data = (again.json as { data: { cacheHit: boolean; resultImgUrl: string } }).data;
    assert.equal(data.cacheHit, false, 'the deleted result is not served from the cache');
    assert.equal(await status(data.resultImgUrl), 200);
  });

  it('keeps an image a later job still points at until that job expires too', async () => {
    const first = await finishedJob('78');
    await sleep(1500);
    const second = await finishedJob('78');
    assert.equal(second.result!.cacheHit, true);
    assert.equal(second.result!.resultImgUrl, first.result!.resultImgUrl);

    await until('the first job is deleted', async () => (await getJob(first.jobId)).status === 404);
    assert.equal((await getJob(second.jobId)).status, 200);
    assert.equal(await status(second.result!.resultImgUrl), 200, 'still referenced by the second job');
    await until('the second job is deleted', async () => (await getJob(second.jobId)).status === 404);
    assert.equal(await status(second.result!.resultImgUrl), 404);
  });
});
