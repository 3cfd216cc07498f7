/**
 * /v1 job webhooks, account and usage, and num_samples, end to end over HTTP against a started
 * server and a loopback webhook receiver: a job's end is POSTed signed with the account's webhook
 * secret (or a signing key's own secret), a receiver that fails twice gets the third attempt after
 * backing-off waits and the job shows all three in its delivery log, a delivery still pending when
 * the server stops is sent after a restart, and bad webhook URLs are refused at submission.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { api1Parts, api2Parts, bearer, multipart, post, readResponse, signedHeaders, textPart, type ApiResponse } from '../helpers/http.ts';
import sharp from 'sharp';
import { drawGarment, SHAPES } from '../engine/garment/drawn.ts';
import { flatGarmentImage, garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';
import { startWebhookReceiver, webhookSignatureValid, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

interface JobData {
  jobId: string;
  status: string;
  numSamples: number;
  result: { resultImgUrl: string; seed?: number; samples: Array<{ resultImgUrl: string; maskImgUrl: string; seed?: number }> } | null;
  error: { code: number; msg: string } | null;
  expiresAt: string | null;
  finishedAt: string | null;
  webhook: { url: string; status: string; attempts: Array<{ at: string; statusCode: number | null; error: string | null }>; nextAttemptAt: string | null } | null;
}

/** First retry after this many ms; then 2x, 4x, ... */
const FIRST_RETRY_MS = 300;

let server: StartedServer;
let receiver: WebhookReceiver;
let user: TestUser;
let model: Buffer;
let garment: Buffer;

// A slow refill (1 call a second) so the account's token count is exact within a test.
const env = { FITROOM_ALLOW_PRIVATE_URLS: 'true', FITROOM_WEBHOOK_FIRST_RETRY_MS: String(FIRST_RETRY_MS), FITROOM_RATE_LIMIT_PER_MINUTE: '60' };

before(async () => {
  server = await startServer({ env });
  receiver = await startWebhookReceiver();
  user = await createUser(server, { credits: 30 });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg', 5);
});

after(async () => {
  if (server) await server.stop();
  if (receiver) await receiver.close();
});

async function get(path: string, key = user.apiKey): Promise<ApiResponse> {
  return readResponse(await fetch(`${server.url}${path}`, { headers: bearer(key) }));
}

function dataOf<T>(res: ApiResponse, status = 200): T {
  assert.equal(res.status, status, res.text);
  return (res.json as { data: T }).data;
}

async function waitJob(id: string, done: (job: JobData) => boolean, key = user.apiKey): Promise<JobData> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = dataOf<JobData>(await get(`/v1/jobs/${id}`, key));
    if (done(job)) return job;
    assert.ok(Date.now() < deadline, `job ${id}: ${JSON.stringify(job)}`);
    await sleep(50);
  }
}

const promptJob = (fields: Record<string, string>, key = user.apiKey) => post(server.url, '/v1/prompt', multipart(api2Parts(model, fields)), bearer(key));

describe('webhooks', () => {
  it('POST the ended job to webhook_url, signed with the account\'s webhook secret; the job logs the delivery', async () => {
    const account = dataOf<{ webhookSigning: string; webhookSecret: string }>(await get('/v1/account'));
    assert.equal(account.webhookSigning, 'account');
    assert.match(account.webhookSecret, /^[A-Za-z0-9_-]{40,}$/);

    const job = dataOf<JobData>(await promptJob({ seed: '11', webhook_url: `${receiver.url}/hook/one` }), 202);
    assert.equal(job.webhook?.url, `${receiver.url}/hook/one`);
    const [hook] = await receiver.waitFor(1, '/hook/one');
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.ok(webhookSignatureValid(account.webhookSecret, hook), 'the signature checks out with the account secret');
    assert.ok(!webhookSignatureValid(account.webhookSecret, { ...hook, body: hook.body.replace('succeeded', 'failed') }), 'a changed body does not');
    assert.equal(hook.headers['x-fitroom-webhook-secret'], 'account');
    assert.equal(hook.headers['x-fitroom-webhook-id'], job.jobId);
    assert.equal(hook.headers['x-fitroom-webhook-attempt'], '1');
    assert.ok(Math.abs(Number(hook.headers['x-fitroom-webhook-timestamp']) - Date.now() / 1000) < 60);
    const body = JSON.parse(hook.body) as { event: string; job: JobData };
    assert.equal(body.event, 'job.ended');
    assert.equal(body.job.jobId, job.jobId);
    assert.equal(body.job.status, 'succeeded');
    assert.equal(body.job.result?.seed, 11);

    const logged = await waitJob(job.jobId, (j) => j.webhook?.status === 'delivered');
    assert.equal(logged.webhook!.attempts.length, 1);
    assert.equal(logged.webhook!.attempts[0].statusCode, 200);
    assert.equal(logged.webhook!.nextAttemptAt, null);
  });

  it('retry with growing waits after the receiver fails twice; the log shows 503, 500, 200', async () => {
    receiver.answers.push(503, 500);
    const job = dataOf<JobData>(await promptJob({ seed: '12', webhook_url: `${receiver.url}/hook/retry` }), 202);
    const hooks = await receiver.waitFor(3, '/hook/retry');
    assert.deepEqual(hooks.map((h) => h.answered), [503, 500, 200]);
    assert.deepEqual(hooks.map((h) => h.headers['x-fitroom-webhook-attempt']), ['1', '2', '3']);
    assert.equal(new Set(hooks.map((h) => h.body)).size, 1, 'every attempt sends the same body');
    // Backoff: at least the first retry wait, then at least twice it.
    assert.ok(hooks[1].at - hooks[0].at >= FIRST_RETRY_MS * 0.9, `first wait ${hooks[1].at - hooks[0].at} ms`);
    assert.ok(hooks[2].at - hooks[1].at >= 2 * FIRST_RETRY_MS * 0.9, `second wait ${hooks[2].at - hooks[1].at} ms`);
    const logged = await waitJob(job.jobId, (j) => j.webhook?.status === 'delivered');
    assert.deepEqual(logged.webhook!.attempts.map((a) => a.statusCode), [503, 500, 200]);
  });

  it('a signing key\'s jobs are signed with that key\'s signing secret', async () => {
    const signer = await createUser(server, { credits: 2, signing: true });
    const body = multipart([...api2Parts(model, { seed: '13' }), textPart('webhook_url', `${receiver.url}/hook/signing`)]);
    const res = await post(server.url, '/v1/prompt', body, signedHeaders(signer.apiKey, signer.signingSecret!, '/v1/prompt', body));
    dataOf<JobData>(res, 202);
    const [hook] = await receiver.waitFor(1, '/hook/signing');
    assert.equal(hook.headers['x-fitroom-webhook-secret'], 'key');
    assert.ok(webhookSignatureValid(signer.signingSecret!, hook));
    const account = dataOf<{ webhookSigning: string; webhookSecret: string | null }>(await get('/v1/account', signer.apiKey));
    assert.equal(account.webhookSigning, 'key');
    assert.equal(account.webhookSecret, null);
  });

  it('refuse a webhook_url that is not an http(s) URL or carries credentials (400 10004, no job)', async () => {
    for (const bad of ['ftp://127.0.0.1/x', 'not a url', 'http://user:pw@127.0.0.1/x']) {
      const res = await promptJob({ seed: '1', webhook_url: bad });
      assert.equal(res.status, 400, bad);
      assert.equal((res.json as { code: number }).code, 10004);
      assert.match((res.json as { msg: string }).msg, /^INVALID_PARAM: webhook_url: /);
    }
  });

  it('a delivery pending when the server stops is sent after a restart', async () => {
    // The receiver refuses every attempt while the server runs the first time.
    receiver.answers.push(...Array<number>(50).fill(503));
    const job = dataOf<JobData>(await promptJob({ seed: '14', webhook_url: `${receiver.url}/hook/restart` }), 202);
    await receiver.waitFor(1, '/hook/restart');
    await server.stop({ keepData: true });
    receiver.answers.length = 0;
    const before = receiver.received.filter((r) => r.path === '/hook/restart').length;
    server = await startServer({ dataDir: server.dataDir, env });
    const hooks = await receiver.waitFor(before + 1, '/hook/restart');
    assert.equal(hooks[hooks.length - 1].answered, 200);
    const logged = await waitJob(job.jobId, (j) => j.webhook?.status === 'delivered');
    assert.equal(logged.webhook!.attempts.at(-1)!.statusCode, 200);
    assert.ok(logged.webhook!.attempts.slice(0, -1).every((a) => a.statusCode === 503));
  });
});

describe('GET /v1/account and GET /v1/usage', () => {
  it('the account shows balance, trial calls and this key\'s rate-limit bucket', async () => {
    const trial = await createUser(server);
    const fresh = dataOf<{ credits: number; trialCallsLeft: number; availableCredits: number; rateLimit: { enabled: boolean; remaining: number; burst: number } }>(
      await get('/v1/account', trial.apiKey),
    );
    assert.equal(fresh.credits, 0);
    assert.equal(fresh.trialCallsLeft, 5);
    assert.equal(fresh.rateLimit.enabled, true);
    assert.equal(fresh.rateLimit.remaining, fresh.rateLimit.burst - 1, 'this call took one token');
    const job = dataOf<JobData>(await promptJob({ seed: '3' }, trial.apiKey), 202);
    await waitJob(job.jobId, (j) => j.status === 'succeeded', trial.apiKey);
    const later = dataOf<{ trialCallsLeft: number; rateLimit: { remaining: number } }>(await get('/v1/account', trial.apiKey));
    assert.equal(later.trialCallsLeft, 4);
    assert.ok(later.rateLimit.remaining <= fresh.rateLimit.remaining - 2, 'submitting and polling took tokens');
    assert.equal((await get('/v1/account', 'fr_nosuchkey')).status, 401);
  });

  it('usage pages newest first with a cursor; rows carry what each call cost', async () => {
    const payer = await createUser(server, { credits: 5 });
    const sync = await post(server.url, '/api/openapi/change-clothes-by-prompt', multipart(api2Parts(model, { seed: '21' })), bearer(payer.apiKey));
    assert.equal(sync.status, 200);
    const bad = await post(server.url, '/api/openapi/change-clothes-ai', multipart(api1Parts(model, garment).filter((p) => p.name !== 'category')), bearer(payer.apiKey));
    assert.equal(bad.status, 400);
    const job = dataOf<JobData>(await promptJob({ seed: '22' }, payer.apiKey), 202);
    await waitJob(job.jobId, (j) => j.status === 'succeeded', payer.apiKey);
    await sleep(100); // usage rows are written in batches every few ms

    type Page = { items: Array<{ requestId: string; route: string; statusCode: number; code: number; credits: number }>; nextCursor: string | null };
    const all: Page['items'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = dataOf<Page>(await get(`/v1/usage?limit=2${cursor ? `&cursor=${cursor}` : ''}`, payer.apiKey));
      assert.ok(page.items.length <= 2);
      all.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    assert.equal(new Set(all.map((r) => r.requestId)).size, all.length, 'no row twice');
    const byId = new Map(all.map((r) => [r.requestId, r]));
    const jobRow = byId.get(job.jobId);
    assert.ok(jobRow, 'the job has a usage row named by its id');
    assert.equal(jobRow.credits, 1);
    assert.equal(jobRow.route, '/v1/prompt');
    const syncRow = all.find((r) => r.route === '/api/openapi/change-clothes-by-prompt');
    assert.equal(syncRow?.credits, 1);
    const failed = all.find((r) => r.code === 10004 && r.route === '/api/openapi/change-clothes-ai');
    assert.equal(failed?.credits, 0);
    assert.ok(all.length >= 4, `${all.length} rows`);
    const userState = await showUser(server, payer.email);
    assert.equal(userState.credits, 5 - all.reduce((sum, r) => sum + r.credits, 0), 'the rows add up to what the balance lost');

    for (const query of ['limit=0', 'limit=201', 'limit=two', 'cursor=garbage']) {
      const res = await get(`/v1/usage?${query}`, payer.apiKey);
      assert.equal(res.status, 400, query);
      assert.equal((res.json as { code: number }).code, 10004);
    }
  });
});

describe('num_samples', () => {
  it('a prompt job with num_samples 3 makes 3 results with consecutive seeds, each charged', async () => {
    const payer = await createUser(server, { credits: 10 });
    const job = dataOf<JobData>(await promptJob({ seed: '2147483646', num_samples: '3' }, payer.apiKey), 202);
    assert.equal(job.numSamples, 3);
    const done = await waitJob(job.jobId, (j) => j.status !== 'queued' && j.status !== 'running', payer.apiKey);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const samples = done.result!.samples;
    assert.deepEqual(samples.map((s) => s.seed), [2147483646, 2147483647, 0]);
    assert.equal(new Set(samples.map((s) => s.resultImgUrl)).size, 3);
    const bytes = await Promise.all(samples.map(async (s) => Buffer.from(await (await fetch(s.resultImgUrl)).arrayBuffer()).toString('base64')));
    assert.equal(new Set(bytes).size, 3, 'different seeds give different images');
    assert.equal(done.result!.resultImgUrl, samples[0].resultImgUrl);
    assert.equal((await showUser(server, payer.email)).credits, 7);
  });

  it('a prompt job whose later sample cannot be paid fails and refunds the samples already made', async () => {
    const poor = await createUser(server, { credits: 2 });
    const job = dataOf<JobData>(await promptJob({ seed: '5', num_samples: '3' }, poor.apiKey), 202);
    const done = await waitJob(job.jobId, (j) => j.status === 'failed', poor.apiKey);
    assert.equal(done.error?.code, 10003);
    const state = await showUser(server, poor.email);
    assert.equal(state.credits, 2, 'the failed job cost nothing');
    assert.equal(state.ledgerSum, state.credits);
  });

  it('refuse num_samples outside 1..4 (try-on samples: test/conformance/tryon-samples.test.ts)', async () => {
    for (const n of ['0', '5', 'x']) {
      const res = await promptJob({ seed: '1', num_samples: n });
      assert.equal(res.status, 400, n);
      assert.match((res.json as { msg: string }).msg, /num_samples/);
    }
    const tryOn = await post(server.url, '/v1/tryon', multipart([...api1Parts(model, garment), textPart('num_samples', '5')]), bearer(user.apiKey));
    assert.equal(tryOn.status, 400);
    assert.match((tryOn.json as { msg: string }).msg, /num_samples/);
  });
});

describe('category auto on /v1/tryon', () => {
  const png = async (shape: keyof typeof SHAPES) => {
    const { image } = await drawGarment([SHAPES[shape]], { noise: 3 });
    return sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
  };
  const autoJob = async (garmentBytes: Buffer) => {
    const parts = api1Parts(model, garmentBytes, { category: textPart('category', 'auto') });
    const job = dataOf<JobData>(await post(server.url, '/v1/tryon', multipart(parts), bearer(user.apiKey)), 202);
    return (await waitJob(job.jobId, (j) => j.status !== 'queued' && j.status !== 'running')) as JobData & {
      result: { category: string; categoryDecision: { requested: string; category: string; measures: Record<string, number> } } | null;
    };
  };

  it('decides the category from drawn garments and returns the decision', async () => {
    for (const [bytes, expected] of [[garment, 'upper_body'], [await png('trousers'), 'lower_body'], [await png('skirt'), 'lower_body'], [await png('dress'), 'dresses']] as const) {
      const done = await autoJob(bytes);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.result!.category, expected);
      assert.equal(done.result!.categoryDecision.requested, 'auto');
      assert.equal(done.result!.categoryDecision.category, expected);
      assert.equal(typeof done.result!.categoryDecision.measures.length, 'number');
    }
  });

  it('a garment photo with nothing to cut out fails the job with 20001, not a 500', async () => {
    const done = await autoJob(await flatGarmentImage('png'));
    assert.equal(done.status, 'failed');
    assert.equal(done.error?.code, 20001, JSON.stringify(done.error));
  });

  it('API 1 itself still refuses auto (the contract\'s three categories)', async () => {
    const parts = [...api1Parts(model, garment).filter((p) => p.name !== 'category'), textPart('category', 'auto')];
    const res = await post(server.url, '/api/openapi/change-clothes-ai', multipart(parts), bearer(user.apiKey));
    assert.equal(res.status, 400);
  });
});
