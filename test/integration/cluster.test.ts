/**
 * The scale-out deployment end to end, on real servers started here (PostgreSQL and Redis from
 * Debian, s3rver from npm): one `ROLE=api` process and two `ROLE=worker` processes.
 * - a try-on goes API → BullMQ → a worker → back, its result lands in the S3 bucket, charged once;
 * - both roles answer health, readiness and metrics; a worker reports engine, version and models;
 * - SIGKILL of the worker holding a job: another worker takes it and the client gets its result,
 *   charged exactly once;
 * - SIGTERM of the worker holding a job: it finishes the job, its health answers during the drain
 *   end their kept-alive connections (src/api/shutdown.ts), and it exits 0;
 * - SIGKILL of the API node mid-call: a second API node gives the held credit back once the dead
 *   node's heartbeat lapses, and results charged before the kill stay downloadable.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { Agent, get as httpGet, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDeploymentSettings, TEST_NODE_TIMEOUT_MS, type ClusterSpec } from '../helpers/cluster.ts';
import { api1Parts, bearer, expectOk, multipart, post, textPart, type ApiResponse } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { integrationSkip, startAllServers, type RealServers, type RunningS3 } from '../helpers/real-services.ts';
import { createUser, showUser, startServer, type StartedServer, type StartedWorker } from '../helpers/server.ts';

const skip = integrationSkip();
let servers: RealServers | undefined;
let s3: RunningS3;
let cluster: StartedServer;
let model: Buffer;
let garment: Buffer;

/** The test engine's CPU hold for a call that is still running when a process is killed, ms. */
const LONG_JOB_MS = 3000;

before(async () => {
  if (skip) return;
  servers = await startAllServers();
  s3 = servers.s3;
  const spec: ClusterSpec = { postgres: servers.pg.url, redis: servers.redis.url, s3 };
  process.env.FITROOM_TEST_CLUSTER = JSON.stringify(spec);
  [model, garment] = await Promise.all([personImage('jpeg'), garmentImage('jpeg')]);
  cluster = await startServer();
});
after(async () => {
  await cluster?.stop();
  await servers?.stop();
});

function tryOn(server: StartedServer, apiKey: string, garmentDesc?: string): Promise<ApiResponse> {
  const parts = api1Parts(model, garment, garmentDesc === undefined ? {} : { garmentDesc: textPart('garmentDesc', garmentDesc) });
  return post(server.url, '/api/openapi/change-clothes-ai', multipart(parts), bearer(apiKey));
}

async function userState(server: StartedServer, email: string): Promise<{ credits: number; reserved: number; ledgerSum: number }> {
  const shown = await showUser(server, email);
  return { credits: shown.credits, reserved: shown.reserved, ledgerSum: shown.ledgerSum };
}

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls each worker's /metrics until one has a job in its engine; returns that worker. */
async function workerRunningAJob(workers: StartedWorker[], timeoutMs = 15_000): Promise<StartedWorker> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const w of workers) {
      const text = await (await fetch(`${w.url}/metrics`)).text();
      if (/^fitroom_worker_jobs_running 1$/m.test(text)) return w;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no worker started the job');
}

test('ROLE=api + two ROLE=worker: a try-on runs on a worker, its result is stored in the S3 bucket, charged once', { skip }, async () => {
  const user = await createUser(cluster, { credits: 5 });
  const data = expectOk(await tryOn(cluster, user.apiKey));
  const resultUrl = String(data.resultImgUrl);
  const res = await fetch(resultUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/webp');
  // The bytes come from the bucket: the object is there under the key the URL names.
  const key = new URL(resultUrl).pathname.replace(/^\/files\//, '');
  const { S3Client, HeadObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: s3 });
  const head = await client.send(new HeadObjectCommand({ Bucket: cluster.env.S3_BUCKET, Key: key }));
  client.destroy();
  assert.equal(head.ContentType, 'image/webp');
  assert.equal(Number(head.ContentLength), (await res.arrayBuffer()).byteLength);
  assert.deepEqual(await userState(cluster, user.email), { credits: 4, reserved: 0, ledgerSum: 4 });
});

test('health, readiness and metrics on both roles; a worker reports engine, version and models', { skip }, async () => {
  const api = await json(`${cluster.url}/readyz`);
  assert.equal(api.status, 200);
  assert.equal((api.body.data as Record<string, unknown>).database, 'ok');
  for (const worker of cluster.workers) {
    assert.equal((await json(`${worker.url}/healthz`)).status, 200);
    const ready = await json(`${worker.url}/readyz`);
    assert.equal(ready.status, 200);
    const data = ready.body.data as Record<string, unknown>;
    assert.equal(data.role, 'worker');
    assert.equal(data.engine, 'test');
    assert.equal(data.version, '1');
    assert.deepEqual(data.models, []);
    assert.equal(data.redis, 'ok');
    assert.equal(data.database, 'ok');
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    assert.match(metrics, /^fitroom_worker_threads 1$/m);
    assert.match(metrics, /^fitroom_worker_jobs_running \d+$/m);
  }
  const apiMetrics = await (await fetch(`${cluster.url}/metrics`)).text();
  assert.match(apiMetrics, /fitroom_http_requests_total/);
});

test('SIGKILL of the worker running a job: the other worker takes it over, the client gets its result, charged exactly once', { skip }, async () => {
  const user = await createUser(cluster, { credits: 3 });
  const call = tryOn(cluster, user.apiKey, `hold:${LONG_JOB_MS}`);
  const victim = await workerRunningAJob(cluster.workers);
  victim.process.kill('SIGKILL');
  const res = await call;
  const data = expectOk(res);
  assert.equal((await fetch(String(data.resultImgUrl))).status, 200);
  assert.deepEqual(await userState(cluster, user.email), { credits: 2, reserved: 0, ledgerSum: 2 });
  // The job ran again elsewhere: the survivor finished it, within a few lock periods.
  const survivor = cluster.workers.find((w) => w !== victim)!;
  assert.match(await (await fetch(`${survivor.url}/metrics`)).text(), /^fitroom_worker_jobs_total\{outcome="completed"\} [1-9]\d*$/m);
  // Replace the victim for the tests that follow.
  await cluster.replaceWorker(victim);
});

/**
 * GET `url` through `agent` (false: a connection of its own); the answer's status, body and
 * Connection header, whether the socket was a kept one, and when it closes.
 */
async function agentGet(agent: Agent | false, url: string): Promise<{ status: number; text: string; connection: string | undefined; reused: boolean; socketClosed: Promise<unknown> }> {
  const req = httpGet(url, { agent });
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  await once(res, 'end');
  const socketClosed = req.socket!.closed ? Promise.resolve() : once(req.socket!, 'close');
  return { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), connection: res.headers.connection, reused: req.reusedSocket, socketClosed };
}

test('SIGTERM to a worker running a job: it finishes the job, its HTTP answers from the stop on end their kept-alive connections, and it exits 0', { skip }, async () => {
  const user = await createUser(cluster, { credits: 3 });
  const call = tryOn(cluster, user.apiKey, `hold:${LONG_JOB_MS}`);
  const draining = await workerRunningAJob(cluster.workers);
  // A client that keeps idle connections (a health checker, a scraper's pool): one connection.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await agentGet(agent, `${draining.url}/healthz`);
    assert.equal(first.status, 200);
    assert.notEqual(first.connection, 'close', 'before the stop the connection is kept');
    const exited = once(draining.process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    draining.process.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (!draining.logs.some((l) => l.msg === 'shutting down')) {
      assert.ok(Date.now() < deadline, 'the worker logs "shutting down" after SIGTERM');
      await new Promise((r) => setTimeout(r, 20));
    }
    // The job is still in the engine: the worker answers, on the kept connection, and ends it.
    const during = await agentGet(agent, `${draining.url}/healthz`);
    assert.equal(during.status, 200);
    assert.ok(during.reused, 'the request went over the connection kept from before the stop');
    assert.equal(during.connection, 'close', 'an answer during the drain tells the client the connection ends');
    await during.socketClosed;
    // (Not through fetch: its pool may hold a connection the worker has just closed as idle.)
    assert.match((await agentGet(false, `${draining.url}/metrics`)).text, /^fitroom_worker_jobs_running 1$/m, 'still draining');
    // The job it held completes on it, charged once; then the process exits cleanly.
    expectOk(await call);
    assert.deepEqual(await userState(cluster, user.email), { credits: 2, reserved: 0, ledgerSum: 2 });
    assert.deepEqual(await exited, [0, null]);
  } finally {
    agent.destroy();
    // A fresh worker in its place for the tests that follow (a no-op stop if it has exited).
    await cluster.replaceWorker(draining);
  }
});

test('SIGKILL of the API node mid-call: a second API node releases the held credit; results charged earlier stay downloadable', { skip, timeout: 60_000 }, async () => {
  const second = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'fitroom-test-')), env: sharedDeploymentSettings(cluster.env), workers: 0 });
  try {
    const user = await createUser(cluster, { credits: 3 });
    const before = expectOk(await tryOn(cluster, user.apiKey));
    const call = tryOn(cluster, user.apiKey, `hold:${LONG_JOB_MS}`).catch((err: unknown) => err);
    await workerRunningAJob(cluster.workers);
    cluster.process.kill('SIGKILL');
    assert.ok((await call) instanceof Error, 'the client of the killed node sees its connection drop');
    // Until the dead node's heartbeat lapses its reservation is held; then the sweep gives it back.
    assert.equal((await userState(second, user.email)).reserved, 1, 'held while the node may still be alive');
    const deadline = Date.now() + TEST_NODE_TIMEOUT_MS * 4;
    let state = await userState(second, user.email);
    while (state.reserved > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      state = await userState(second, user.email);
    }
    assert.deepEqual(state, { credits: 2, reserved: 0, ledgerSum: 2 }, 'only the call that finished is charged; nothing stays held');
    // The result charged before the kill is still there, through the surviving node.
    const resultPath = new URL(String(before.resultImgUrl)).pathname;
    assert.equal((await fetch(`${second.url}${resultPath}`)).status, 200);
  } finally {
    await second.stop();
  }
});
