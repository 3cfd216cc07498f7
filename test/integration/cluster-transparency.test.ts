/**
 * A person photo with transparency keeps it through the scale-out deployment as it does embedded
 * (issue 12): the engine's pixel shares (EngineResult.diagnostics `backgroundFill`, `photoKept`)
 * travel back from the worker process through Redis with the result, so the API node puts the
 * same alpha back (src/imaging/alpha.ts) as the embedded deployment, whose worker threads hand
 * them over directly.
 *
 * Real PostgreSQL, Redis and S3 on loopback; a `ROLE=api` process; its engine worker is BullMQ's
 * worker (src/queue/bullmq-worker.ts, the code of a `ROLE=worker` process) started here with a
 * fixture engine that returns shares as the classic engine does (fixtures/shares-engine.ts: the
 * test engine returns none, and drawn test images are no person for the classic engine). The
 * embedded answer is the worker-thread queue's result for the same decoded photo, through the
 * service's own alpha function.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { composeResultRgba } from '../../src/imaging/alpha.ts';
import { decodeImage } from '../../src/imaging/decode.ts';
import type { DecodedImage } from '../../src/imaging/input.ts';
import type { EngineWorker } from '../../src/queue/bullmq-worker.ts';
import { createLocalQueue } from '../../src/queue/local.ts';
import type { EngineJob } from '../../src/queue/types.ts';
import { TEST_JOB_LOCK_MS, type ClusterSpec } from '../helpers/cluster.ts';
import { API1_PATH, API2_PATH, api1Parts, api2Parts, bearer, CONTRACT_PROMPT, expectOk, filePart, multipart, post } from '../helpers/http.ts';
import { garmentImage, PERSON_SIZE } from '../helpers/images.ts';
import { integrationSkip, startAllServers, type RealServers } from '../helpers/real-services.ts';
import { createUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';
import { shareBands } from './fixtures/shares-engine.ts';

const skip = integrationSkip();
const SHARES_ENGINE = new URL('./fixtures/shares-engine.ts', import.meta.url);
/** The alpha of the person's semi-transparent edge band (the middle share band shows it). */
const EDGE_ALPHA = 128;

let servers: RealServers | undefined;
let api: StartedServer;
let worker: EngineWorker | undefined;
let user: TestUser;
let person: Buffer;
let decodedPerson: DecodedImage;
let garment: Buffer;

/**
 * A cut-out person: transparent backdrop, an opaque torso and head, and a half-transparent band
 * across the torso (hair, a veil: partial alpha the result must keep where the photo shows).
 */
async function cutOutPerson(): Promise<Buffer> {
  const { width, height } = PERSON_SIZE;
  const pixels = Buffer.alloc(width * height * 4);
  const { kept } = shareBands(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inHead = Math.hypot((x - width / 2) / (width * 0.1), (y - height * 0.15) / (height * 0.08)) <= 1;
      const inTorso = Math.abs(x - width / 2) < width * 0.3 && y > height * 0.25 && y < height * 0.95;
      if (!inHead && !inTorso) continue;
      const p = (y * width + x) * 4;
      pixels.set([40 + (x % 50), 90, 160 - (y % 60)], p);
      pixels[p + 3] = y >= kept[0] && y < kept[1] ? EDGE_ALPHA : 255;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 4 } }).png().toBuffer();
}

before(async () => {
  if (skip) return;
  servers = await startAllServers();
  const spec: ClusterSpec = { postgres: servers.pg.url, redis: servers.redis.url, s3: servers.s3 };
  process.env.FITROOM_TEST_CLUSTER = JSON.stringify(spec);
  // No ROLE=worker processes: the worker started below is the deployment's only one.
  api = await startServer({ workers: 0 });
  const { startBullmqWorker } = await import('../../src/queue/bullmq-worker.ts');
  worker = await startBullmqWorker({
    redisUrl: api.env.REDIS_URL,
    prefix: api.env.FITROOM_REDIS_PREFIX,
    engineId: 'test',
    threads: 1,
    lockMs: TEST_JOB_LOCK_MS,
    maxStalls: 1,
    engineModuleUrl: SHARES_ENGINE,
  });
  user = await createUser(api, { credits: 20 });
  person = await cutOutPerson();
  decodedPerson = await decodeImage(person, 'modelImg');
  garment = await garmentImage('png', 7);
});

after(async () => {
  await worker?.close();
  await api?.stop();
  await servers?.stop();
});

/** The embedded deployment's answer: its worker-thread queue runs the job, the service composes RGBA. */
async function embeddedAlpha(job: EngineJob): Promise<Buffer> {
  const queue = createLocalQueue({ engineId: 'test', workers: 1, maxQueued: 1, engineModuleUrl: SHARES_ENGINE });
  try {
    const result = await queue.run(job);
    assert.ok(result.diagnostics?.backgroundFill, 'the worker thread hands the shares over');
    const rgba = composeResultRgba(result.image, decodedPerson.alpha!, result.repaintMask, result.diagnostics);
    return Buffer.from(rgba.data.filter((_, i) => i % 4 === 3));
  } finally {
    await queue.close();
  }
}

async function alphaOf(url: string): Promise<Buffer> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  const { data, info } = await sharp(bytes).ensureAlpha().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [PERSON_SIZE.width, PERSON_SIZE.height]);
  return data;
}

function expectSameAlpha(cluster: Buffer, embedded: Buffer): void {
  const { width, height } = PERSON_SIZE;
  const { x0, fill, kept, drawn } = shareBands(width, height);
  const at = (alpha: Buffer, y: number) => alpha[y * width + x0 + 2];
  // The bands first, for a readable failure: filled backdrop transparent, the photo's own pixel
  // its own alpha, drawn garment opaque.
  assert.equal(at(cluster, fill[0] + 1), 0, 'filled backdrop is transparent');
  assert.equal(at(cluster, kept[0] + 1), EDGE_ALPHA, 'the photo\'s own pixel keeps its alpha');
  assert.equal(at(cluster, drawn[0] + 1), 255, 'the drawn garment is opaque');
  assert.equal(at(embedded, fill[0] + 1), 0);
  let differing = 0;
  for (let i = 0; i < cluster.length; i++) if (cluster[i] !== embedded[i]) differing++;
  assert.equal(differing, 0, 'every pixel\'s alpha is the embedded deployment\'s');
}

describe('a transparent person photo in the scale-out deployment', { skip }, () => {
  it('API 1: the worker process carries the engine\'s shares back; the alpha equals the embedded deployment\'s', async () => {
    const body = multipart(api1Parts(person, garment, { modelImg: filePart('modelImg', person, 'model.png', 'image/png') }));
    const data = expectOk(await post(api.url, API1_PATH, body, bearer(user.apiKey)));
    const decodedGarment = await decodeImage(garment, 'garmentImg');
    const embedded = await embeddedAlpha({
      kind: 'tryon',
      request: { model: decodedPerson.raster, garment: decodedGarment.raster, category: 'upper_body', diagnostics: true },
    });
    expectSameAlpha(await alphaOf(String(data.resultImgUrl)), embedded);
  });

  it('API 2: the same', async () => {
    const data = expectOk(await post(api.url, API2_PATH, multipart(api2Parts(person, { seed: '11' })), bearer(user.apiKey)));
    const embedded = await embeddedAlpha({
      kind: 'prompt',
      request: { model: decodedPerson.raster, prompt: CONTRACT_PROMPT, seed: 11, guidanceScale: 50, steps: 28, diagnostics: true },
    });
    expectSameAlpha(await alphaOf(String(data.resultImgUrl)), embedded);
  });
});
