/**
 * A job's `progress` (GET /v1/jobs/{jobId}) is where its work really is, not a timer: the real app
 * with the test engine, each stage held open at the boundary it names so a poll must see it:
 * - analysing: the moderation classifier (injected at the model boundary) does not answer yet;
 * - rendering: the engine queue has the job and has not answered;
 * - saving: the object store has not finished storing the result;
 * - queued: a second job waits for the only engine slot (FITROOM_WORKERS=1) the first one holds
 *   until its engine run is done (storing the result, the first holds no slot).
 * Once a job has ended its progress is null. Each sample of num_samples is named as it renders
 * (here a try-on with category auto, which decides the garment's category first).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp, type App } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Database } from '../../src/db/database.ts';
import type { ImageClassifier } from '../../src/moderation/classifier.ts';
import { createLocalQueue } from '../../src/queue/local.ts';
import type { JobQueue } from '../../src/queue/types.ts';
import { createFileObjectStore } from '../../src/storage/files.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import { createPublicUrls } from '../../src/storage/public-urls.ts';
import sharp from 'sharp';
import { drawGarment, SHAPES } from '../engine/garment/drawn.ts';
import { multipartBody, openTestDatabase, syntheticImage, type TestPart } from './helpers.ts';

/** Longest wait for a job to reach a stage, ms. */
const WAIT_MS = 30_000;
const NEUTRAL = { drawing: 0.02, hentai: 0.01, neutral: 0.95, porn: 0.01, sexy: 0.01 };

/** A door work waits at while it is shut; `open()` lets everything through from then on. */
class Gate {
  private opened = false;
  private waiters: Array<() => void> = [];
  /** How many calls have reached the gate so far. */
  reached = 0;
  async pass(): Promise<void> {
    this.reached++;
    if (this.opened) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  open(): void {
    this.opened = true;
    for (const w of this.waiters.splice(0)) w();
  }
  shut(): void {
    this.opened = false;
  }
}

interface Progress {
  stage: string;
  sample: number;
}
interface JobData {
  jobId: string;
  status: string;
  numSamples: number;
  progress: Progress | null;
  result: { category?: string } | null;
  error: unknown;
}

let db: Database;
let dataDir: string;
let engine: JobQueue;
let app: App;
let auth: Record<string, string>;
let model: Buffer;
let garment: Buffer;
const classifying = new Gate();
const rendering = new Gate();
const saving = new Gate();

before(async () => {
  db = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitroom-progress-'));
  engine = createLocalQueue({ engineId: 'test', workers: 1, maxQueued: 8 });
  const queue: JobQueue = {
    ...engine,
    run: async (job, options) => {
      await rendering.pass();
      return engine.run(job, options);
    },
  };
  const files = createFileObjectStore(path.join(dataDir, 'objects'));
  const store: ObjectStore = {
    ...files,
    get: (key) => files.get(key),
    delete: (key) => files.delete(key),
    put: async (key, bytes, contentType) => {
      await saving.pass();
      return files.put(key, bytes, contentType);
    },
  };
  const classifier: ImageClassifier = {
    async classify() {
      await classifying.pass();
      return NEUTRAL;
    },
    ready: async () => {},
    close: async () => {},
  };
  // One engine slot, so a second job queues behind the first; no rate limit on the polls.
  const config = loadConfig({ FITROOM_ENGINE: 'test', FITROOM_DATA_DIR: dataDir, LOG_LEVEL: 'silent', FITROOM_WORKERS: '1', FITROOM_RATE_LIMIT_PER_MINUTE: '0' });
  app = await buildApp({ config, db, queue, store, urls: createPublicUrls('http://fitroom.test'), logger: false, imageClassifier: classifier });
  await app.app.ready();
  const user = await app.services.users.create('progress@example.com');
  await app.services.credits.grant(user.id, 20);
  const key = await app.services.keys.create(user.id);
  auth = { authorization: `Bearer ${key.apiKey}` };
  model = await syntheticImage(160, 200, { seed: 1, format: 'jpeg' });
  garment = await syntheticImage(140, 140, { seed: 2, format: 'png' });
});

after(async () => {
  for (const gate of [classifying, rendering, saving]) gate.open();
  await app?.app.close();
  await engine?.close();
  await db?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function submit(fields: Record<string, string> = {}, garmentBytes = garment): Promise<string> {
  const parts: TestPart[] = [
    { name: 'modelImg', value: model, filename: 'model.jpg', contentType: 'image/jpeg' },
    { name: 'garmentImg', value: garmentBytes, filename: 'garment.png', contentType: 'image/png' },
    { name: 'category', value: 'upper_body' },
  ].map((p) => (p.name in fields ? { ...p, value: fields[p.name] } : p));
  for (const [name, value] of Object.entries(fields)) if (!parts.some((p) => p.name === name)) parts.push({ name, value });
  const body = multipartBody(parts);
  const res = await app.app.inject({ method: 'POST', url: '/v1/tryon', payload: body.payload, headers: { 'content-type': body.contentType, ...auth } });
  assert.equal(res.statusCode, 202, res.body);
  const job = (res.json() as { data: JobData }).data;
  assert.equal(job.status, 'queued');
  assert.deepEqual(job.progress, { stage: 'queued', sample: 1 }, 'a job just accepted is queued');
  return job.jobId;
}

async function poll(jobId: string): Promise<JobData> {
  const res = await app.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: auth });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { data: JobData }).data;
}

async function until(jobId: string, what: string, done: (job: JobData) => boolean): Promise<JobData> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const job = await poll(jobId);
    if (done(job)) return job;
    assert.ok(Date.now() < deadline, `job ${jobId} never ${what}: ${JSON.stringify(job)}`);
    await sleep(10);
  }
}

const atStage = (stage: string, sample = 1) => (job: JobData) => job.progress?.stage === stage && job.progress.sample === sample;
const ended = (job: JobData) => job.status !== 'queued' && job.status !== 'running';

describe('GET /v1/jobs/{jobId}: progress from the job\'s real state', () => {
  it('analysing, rendering, saving in turn while the work is there; a second job queued behind it; null once ended', async () => {
    for (const gate of [classifying, rendering, saving]) gate.shut();
    const first = await submit();
    await until(first, 'analysing', atStage('analysing'));
    // Held at the classifier: it stays there, however long we look.
    await sleep(100);
    assert.deepEqual((await poll(first)).progress, { stage: 'analysing', sample: 1 });
    assert.equal(rendering.reached, 0);

    classifying.open();
    await until(first, 'rendering', atStage('rendering'));
    const second = await submit({}, await syntheticImage(140, 140, { seed: 3, format: 'png' }));
    // The second job has started (status running) but waits for the slot the first holds.
    const waiting = await until(second, 'running', (j) => j.status === 'running');
    assert.deepEqual(waiting.progress, { stage: 'queued', sample: 1 });

    rendering.open();
    await until(first, 'saving', atStage('saving'));
    // Storing its result the first job no longer holds the slot: the second one renders meanwhile
    // and reaches its own saving while the first is still held there.
    await until(second, 'saving while the first one stores', atStage('saving'));
    assert.deepEqual((await poll(first)).progress, { stage: 'saving', sample: 1 });

    saving.open();
    const done = await until(first, 'ended', ended);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.progress, null);
    const secondDone = await until(second, 'ended', ended);
    assert.equal(secondDone.status, 'succeeded', JSON.stringify(secondDone.error));
    assert.equal(secondDone.progress, null);
  });

  it('num_samples 2 with category auto: rendering sample 1, then rendering sample 2', async () => {
    classifying.open();
    saving.open();
    rendering.shut();
    const reachedBefore = rendering.reached;
    const { image } = await drawGarment([SHAPES.trousers], { noise: 3 });
    const trousers = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
    const jobId = await submit({ category: 'auto', num_samples: '2' }, trousers);
    await until(jobId, 'rendering sample 1', atStage('rendering', 1));
    rendering.open();
    rendering.shut();
    await until(jobId, 'rendering sample 2', atStage('rendering', 2));
    rendering.open();
    const done = await until(jobId, 'ended', ended);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.result?.category, 'lower_body');
    assert.equal(rendering.reached, reachedBefore + 2, 'both samples went through the engine');
  });
});
