/**
 * `num_samples` on `/v1/tryon` (issue 11), over HTTP: sample i is the engine's try-on of view i of
 * the photos (as-is, mirrored, framed, mirrored and framed; src/sampling/tryon-variations.ts), so
 * the samples differ honestly, in placement; the first is exactly API 1's answer. A sample whose
 * picture repeats an earlier one (the test engine's centred rectangle is the same mirrored) is left
 * out and refunded: every sample returned is a distinct picture, and each one is charged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { API1_PATH, api1Parts, bearer, expectOk, expectTryOnResult, multipart, post, readResponse, textPart } from '../helpers/http.ts';
import { garmentImage, PERSON_SIZE, personImage } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, showUser, type StartedServer } from '../helpers/server.ts';

interface Sample {
  resultImgUrl: string;
  maskImgUrl: string;
  cacheHit: boolean;
}

interface JobData {
  jobId: string;
  status: string;
  numSamples: number;
  result: (Sample & { samples: Sample[] }) | null;
  error: { code: number; msg: string } | null;
}

let server: StartedServer;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await sharedServer();
  [model, garment] = await Promise.all([personImage('jpeg'), garmentImage('jpeg', 21)]);
});

after(async () => {
  await releaseSharedServers();
});

async function tryOnJob(apiKey: string, samples: string): Promise<JobData> {
  const parts = [...api1Parts(model, garment), textPart('num_samples', samples)];
  const queued = await post(server.url, '/v1/tryon', multipart(parts), bearer(apiKey));
  assert.equal(queued.status, 202, queued.text);
  const { jobId, numSamples } = (queued.json as { data: JobData }).data;
  assert.equal(numSamples, Number(samples));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await readResponse(await fetch(`${server.url}/v1/jobs/${jobId}`, { headers: bearer(apiKey) }));
    const job = (res.json as { data: JobData }).data;
    if (job.status !== 'queued' && job.status !== 'running') return job;
    assert.ok(Date.now() < deadline, `job ${jobId} still ${job.status}`);
    await sleep(50);
  }
}

const bytesOf = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer()).toString('base64');

describe('num_samples on /v1/tryon', () => {
  it('4 samples: distinct pictures with distinct repainted regions, the first API 1\'s own, each charged; a repeat is refunded', async () => {
    const payer = await createUser(server, { credits: 10 });
    const job = await tryOnJob(payer.apiKey, '4');
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const samples = job.result!.samples;
    // The test engine repaints a centred rectangle: mirrored it is the same picture (left out);
    // the framed views move it.
    assert.ok(samples.length >= 2 && samples.length <= 4, `${samples.length} samples`);
    assert.equal(job.result!.resultImgUrl, samples[0].resultImgUrl, 'the first sample is also at the top level');
    for (const sample of samples) await expectTryOnResult(sample as unknown as Record<string, unknown>, PERSON_SIZE);
    const pictures = await Promise.all(samples.map((s) => bytesOf(s.resultImgUrl)));
    assert.equal(new Set(pictures).size, samples.length, 'every sample is a picture of its own');
    const masks = await Promise.all(samples.map((s) => bytesOf(s.maskImgUrl)));
    assert.equal(new Set(masks).size, samples.length, 'each sample repainted another region: a placement variation');

    // The first sample is the plain try-on: API 1 with the same inputs gives the same picture.
    const sync = expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(payer.apiKey)));
    assert.equal(await bytesOf(String(sync.resultImgUrl)), pictures[0]);

    const state = await showUser(server, payer.email);
    assert.equal(state.credits, 10 - samples.length - 1, 'one credit per sample returned (and one for the API 1 call)');
    assert.equal(state.reserved, 0);
    assert.equal(state.ledgerSum, state.credits, 'a repeated sample\'s charge was refunded in the ledger');
  });

  it('num_samples 1 (and absent) makes one sample, charged once', async () => {
    const payer = await createUser(server, { credits: 3 });
    const job = await tryOnJob(payer.apiKey, '1');
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.result!.samples.length, 1);
    assert.equal((await showUser(server, payer.email)).credits, 2);
  });

  it('a job whose later sample cannot be paid fails and refunds the samples already made', async () => {
    const poor = await createUser(server, { credits: 1 });
    const job = await tryOnJob(poor.apiKey, '3');
    assert.equal(job.status, 'failed');
    assert.equal(job.error?.code, 10003);
    const state = await showUser(server, poor.email);
    assert.equal(state.credits, 1, 'the failed job cost nothing');
    assert.equal(state.reserved, 0);
    assert.equal(state.ledgerSum, state.credits);
  });
});
