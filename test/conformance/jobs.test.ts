/**
 * Async jobs under /v1, end to end over HTTP: submit (202 + job id), poll to the result, the job's
 * own failure (402 credits) as its `error`, cancelling a job whose image download is held back by
 * a loopback server (the finished work's charge is refunded: the job costs nothing), and a key
 * sees only its own user's jobs. DELETE on a finished job (its images): job-delete.test.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { api1Parts, api2Parts, bearer, expectPromptResult, expectTryOnResult, multipart, post, readResponse, textPart, type ApiResponse } from '../helpers/http.ts';
import { garmentImage, personImage, PERSON_SIZE } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, showUser, type StartedServer, type TestUser } from '../helpers/server.ts';

interface JobData {
  jobId: string;
  kind: string;
  status: string;
  result: Record<string, unknown> | null;
  error: { code: number; msg: string } | null;
  refunded: boolean;
}

let server: StartedServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await sharedServer({ FITROOM_ALLOW_PRIVATE_URLS: 'true' });
  user = await createUser(server, { credits: 10 });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg', 11);
});

after(async () => {
  await releaseSharedServers();
});

function jobOf(res: ApiResponse, status: number): JobData {
  assert.equal(res.status, status, res.text);
  const body = res.json as { code: number; msg: string; data: JobData };
  assert.equal(body.code, 200);
  assert.match(body.data.jobId, /^job_/);
  return body.data;
}

async function getJob(id: string, key = user.apiKey): Promise<ApiResponse> {
  return readResponse(await fetch(`${server.url}/v1/jobs/${id}`, { headers: bearer(key) }));
}

async function cancelJob(id: string, key = user.apiKey): Promise<ApiResponse> {
  return readResponse(await fetch(`${server.url}/v1/jobs/${id}`, { method: 'DELETE', headers: bearer(key) }));
}

const finished = (job: JobData) => job.status !== 'queued' && job.status !== 'running';

async function waitFor(id: string, done: (job: JobData) => boolean = finished, key = user.apiKey): Promise<JobData> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = jobOf(await getJob(id, key), 200);
    if (done(job)) return job;
    assert.ok(Date.now() < deadline, `job ${id} still ${job.status}`);
    await sleep(100);
  }
}

describe('POST /v1/tryon and /v1/prompt', () => {
  it('answer 202 with a queued job that succeeds with the synchronous API\'s data; each costs 1 credit', async () => {
    const before = await showUser(server, user.email);
    const tryOn = jobOf(await post(server.url, '/v1/tryon', multipart(api1Parts(model, garment)), bearer(user.apiKey)), 202);
    assert.equal(tryOn.kind, 'tryon');
    assert.ok(['queued', 'running', 'succeeded'].includes(tryOn.status), tryOn.status);
    const prompt = jobOf(await post(server.url, '/v1/prompt', multipart(api2Parts(model, { seed: '42' })), bearer(user.apiKey)), 202);
    assert.equal(prompt.kind, 'prompt');

    const tryOnDone = await waitFor(tryOn.jobId);
    assert.equal(tryOnDone.status, 'succeeded', JSON.stringify(tryOnDone.error));
    await expectTryOnResult(tryOnDone.result!, PERSON_SIZE);
    const promptDone = await waitFor(prompt.jobId);
    assert.equal(promptDone.status, 'succeeded', JSON.stringify(promptDone.error));
    await expectPromptResult(promptDone.result!, PERSON_SIZE);
    assert.equal(promptDone.result!.seed, 42);

    const afterState = await showUser(server, user.email);
    assert.equal(afterState.credits, before.credits - 2);
    assert.equal(afterState.ledgerSum, afterState.credits);
  });

  it('refuse a bad field at once (400 10004), before any job exists', async () => {
    const res = await post(server.url, '/v1/tryon', multipart([...api1Parts(model, garment).filter((p) => p.name !== 'category'), textPart('category', 'hats')]), bearer(user.apiKey));
    assert.equal(res.status, 400);
    assert.equal((res.json as { code: number }).code, 10004);
    const noKey = await post(server.url, '/v1/prompt', multipart(api2Parts(model)), {});
    assert.equal(noKey.status, 401);
  });

  it('a job the user cannot pay for fails with the 10003 envelope as its error', async () => {
    const poor = await createUser(server, { credits: 0 });
    await server.admin({ name: 'credits grant', email: poor.email, amount: 1 });
    // Spend the one credit, then one more job is short.
    const first = jobOf(await post(server.url, '/v1/tryon', multipart(api1Parts(model, garment)), bearer(poor.apiKey)), 202);
    assert.equal((await waitFor(first.jobId, finished, poor.apiKey)).status, 'succeeded');
    const second = jobOf(await post(server.url, '/v1/tryon', multipart(api1Parts(model, garment)), bearer(poor.apiKey)), 202);
    const failed = await waitFor(second.jobId, finished, poor.apiKey);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 10003);
    assert.match(failed.error?.msg ?? '', /^INSUFFICIENT_CREDITS: /);
    assert.equal(failed.result, null);
  });
});

describe('DELETE /v1/jobs/{id}', () => {
  it('cancels a running job; its finished work is charged and then refunded, so it costs nothing', async () => {
    // A loopback image server that holds the model image back until the job has been cancelled.
    let hold: ServerResponse | null = null;
    const slow = createServer((_req, res) => {
      hold = res;
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/model.jpg`;
      const before = await showUser(server, user.email);
      const parts = [textPart('modelImg', url), ...api1Parts(model, garment).filter((p) => p.name !== 'modelImg')];
      const job = jobOf(await post(server.url, '/v1/tryon', multipart(parts), bearer(user.apiKey)), 202);
      const deadline = Date.now() + 30_000;
      while (!hold) {
        assert.ok(Date.now() < deadline, 'the job asked for the model image');
        await sleep(50);
      }
      const cancelled = jobOf(await cancelJob(job.jobId), 200);
      assert.equal(cancelled.status, 'cancelled');
      (hold as ServerResponse).writeHead(200, { 'content-type': 'image/jpeg' }).end(model);

      const refunded = await waitFor(job.jobId, (j) => j.refunded);
      assert.equal(refunded.status, 'cancelled');
      assert.equal(refunded.result, null, 'a cancelled job shows no result');
      const afterState = await showUser(server, user.email);
      assert.equal(afterState.credits, before.credits, 'the cancelled job cost nothing');
      assert.equal(afterState.ledgerSum, afterState.credits);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('a finished job stays succeeded (its images are deleted); unknown ids and other users\' jobs are 404', async () => {
    const job = jobOf(await post(server.url, '/v1/prompt', multipart(api2Parts(model, { seed: '7' })), bearer(user.apiKey)), 202);
    await waitFor(job.jobId, (j) => j.status === 'succeeded');
    const other = await createUser(server, { credits: 1 });
    assert.equal((await cancelJob(job.jobId, other.apiKey)).status, 404, 'before the owner\'s DELETE too');
    const deleted = jobOf(await cancelJob(job.jobId), 200);
    assert.equal(deleted.status, 'succeeded');
    assert.equal(deleted.result, null);

    assert.equal((await getJob(job.jobId, other.apiKey)).status, 404);
    assert.equal((await cancelJob(job.jobId, other.apiKey)).status, 404);
    assert.equal((await getJob('job_nosuchjobnosuchjob0')).status, 404);
    assert.equal((await getJob('../../etc')).status, 404);
  });
});
