/**
 * The local job queue through real worker threads: results, error mapping, concurrency limits,
 * back-pressure, graceful close and crashed-worker replacement. Hazardous engines come from a
 * fixture module (fixtures/hazard-engine.ts) passed as `engineModuleUrl`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { createLocalQueue } from '../../src/queue/local.ts';
import type { EngineJob, JobQueue } from '../../src/queue/types.ts';
import { ApiError } from '../../src/domain/errors.ts';
import { promptColour, testEngineRect } from '../../src/engine/test/index.ts';
import type { EngineResult } from '../../src/engine/types.ts';
import { checkerImage, flatImage, gradientImage, pixel } from './images.ts';

const HAZARD_ENGINES = new URL('./fixtures/hazard-engine.ts', import.meta.url);

const model = gradientImage(96, 128);
const garment = checkerImage(96, 128, [200, 40, 40], [100, 20, 60]); // mean (150, 30, 50)

function tryOn(garmentDesc?: string): EngineJob {
  return { kind: 'tryon', request: { model, garment, category: 'upper_body', garmentDesc } };
}

function hazardQueue(workers: number, maxQueued: number): JobQueue {
  return createLocalQueue({ engineId: 'hazard', workers, maxQueued, engineModuleUrl: HAZARD_ENGINES });
}

function assertPlainError(error: unknown, message: RegExp): true {
  assert.ok(error instanceof Error);
  assert.ok(!(error instanceof ApiError), `expected a plain Error, got ${String(error)}`);
  assert.match(error.message, message);
  return true;
}

function assertOverloaded(error: unknown): true {
  assert.ok(error instanceof ApiError, `expected ApiError, got ${String(error)}`);
  assert.equal(error.errorName, 'SERVER_ERROR');
  assert.equal(error.code, 500);
  assert.equal(error.status, 503);
  assert.equal(error.retryable, true);
  assert.equal(error.headers['Retry-After'], '5');
  return true;
}

/** The largest number of [started_at, ended_at) intervals that overlap at one instant. */
function maxOverlap(results: EngineResult[]): number {
  const events = results.flatMap((r) => [
    { t: r.timings.started_at, d: 1 },
    { t: r.timings.ended_at, d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || a.d - b.d); // an end before a start at the same instant
  let now = 0;
  let max = 0;
  for (const e of events) {
    now += e.d;
    max = Math.max(max, now);
  }
  return max;
}

describe('local queue with the test engine', () => {
  let queue: JobQueue;
  before(async () => {
    queue = createLocalQueue({ engineId: 'test', workers: 2, maxQueued: 8 });
    await queue.ready();
  });
  after(() => queue.close());

  it('returns the engine result through a worker: rectangle of the garment mean, mask, timings', async () => {
    const modelBefore = new Uint8Array(model.data);
    const result = await queue.run(tryOn(), { requestId: 'req_test' });
    const { x0, x1, y0, y1 } = testEngineRect(model.width, model.height);
    assert.equal(result.image.width, model.width);
    assert.equal(result.image.height, model.height);
    assert.equal(result.image.channels, 3);
    assert.deepEqual(pixel(result.image, x0, y0), [150, 30, 50]);
    assert.deepEqual(pixel(result.image, x1 - 1, y1 - 1), [150, 30, 50]);
    assert.deepEqual(pixel(result.image, x0 - 1, y0), pixel(model, x0 - 1, y0));
    assert.deepEqual(pixel(result.image, 3, 2), pixel(model, 3, 2));
    assert.equal(result.repaintMask.data[y0 * model.width + x0], 255);
    assert.equal(result.repaintMask.data[(y1 - 1) * model.width + x1 - 1], 255);
    assert.equal(result.repaintMask.data[y1 * model.width + x0], 0);
    const painted = result.repaintMask.data.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
    assert.equal(painted, (x1 - x0) * (y1 - y0));
    // The caller's input buffers are left intact (inputs are copied once, then transferred).
    assert.deepEqual(model.data, modelBefore);
    for (const key of ['garment', 'paint', 'queue_wait', 'worker_total']) {
      assert.equal(typeof result.timings[key], 'number', `timings.${key}`);
    }
    assert.ok(result.timings.worker_total >= result.timings.paint);
  });

  it('runs prompt jobs: colour from prompt and seed, deterministic', async () => {
    const job = (seed: number): EngineJob => ({
      kind: 'prompt',
      request: { model, prompt: 'a red silk blouse', seed, guidanceScale: 7, steps: 20 },
    });
    const [a, b, c] = await Promise.all([queue.run(job(1)), queue.run(job(1)), queue.run(job(2))]);
    const { x0, y0 } = testEngineRect(model.width, model.height);
    const expected = promptColour({ prompt: 'a red silk blouse', seed: 1, guidanceScale: 7, steps: 20 });
    assert.deepEqual(pixel(a.image, x0, y0), expected);
    assert.deepEqual(a.image.data, b.image.data);
    assert.notDeepEqual(pixel(c.image, x0, y0), expected);
  });

  it('maps EngineInputError to ApiError 20001 with the reason', async () => {
    const blank: EngineJob = { kind: 'tryon', request: { model, garment: flatImage(64, 64, [9, 9, 9]), category: 'dresses' } };
    await assert.rejects(queue.run(blank), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.errorName, 'TRY_ON_EXCEPTION');
      assert.equal(error.code, 20001);
      assert.equal(error.status, 422);
      assert.equal(error.detail, 'garment image is blank: no garment found');
      return true;
    });
    // The worker is still serving.
    assert.equal((await queue.run(tryOn())).image.width, model.width);
  });

  it('counts nothing running or waiting when idle', () => {
    assert.equal(queue.depth(), 0);
    assert.equal(queue.running(), 0);
  });
});

describe('local queue scheduling', () => {
  it('runs every job, at most `workers` at once, in worker threads, FIFO', async () => {
    const queue = hazardQueue(2, 16);
    try {
      await queue.ready();
      const runs = Array.from({ length: 8 }, () => queue.run(tryOn('sleep:60')));
      assert.equal(queue.running(), 2);
      assert.equal(queue.depth(), 6);
      const results = await Promise.all(runs);
      assert.equal(results.length, 8);
      assert.equal(maxOverlap(results), 2);
      for (const result of results) {
        assert.notEqual(result.timings.thread_id, threadId, 'engine ran on the main thread');
        assert.deepEqual(pixel(result.image, 48, 60), [150, 30, 50]);
      }
      assert.equal(new Set(results.map((r) => r.timings.thread_id)).size, 2);
      // FIFO: each pair starts after the previous pair, and queue_wait grows with position.
      const starts = results.map((r) => r.timings.started_at);
      assert.ok(Math.min(starts[6], starts[7]) >= Math.max(starts[0], starts[1]));
      assert.ok(results[7].timings.queue_wait >= 150, `queue_wait ${results[7].timings.queue_wait}`);
      assert.ok(results[0].timings.queue_wait < 50);
      assert.equal(queue.running(), 0);
    } finally {
      await queue.close();
    }
  });

  it('refuses a job with 503 and Retry-After when more than maxQueued would wait', async () => {
    const queue = hazardQueue(1, 2);
    try {
      await queue.ready();
      const accepted = [queue.run(tryOn('sleep:150')), queue.run(tryOn('sleep:10')), queue.run(tryOn('sleep:10'))];
      assert.equal(queue.depth(), 2);
      await assert.rejects(queue.run(tryOn()), assertOverloaded);
      const results = await Promise.all(accepted);
      assert.equal(results.length, 3);
      // Once the queue drained, jobs are taken again.
      await queue.run(tryOn());
    } finally {
      await queue.close();
    }
  });

  it('passes an ApiError from the engine through and turns other engine errors into plain Errors', async () => {
    const queue = hazardQueue(1, 4);
    try {
      await assert.rejects(queue.run(tryOn('api-error')), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.errorName, 'HARMFUL_CONTENT');
        assert.equal(error.detail, 'nudity detected');
        assert.equal(error.status, 400);
        return true;
      });
      await assert.rejects(queue.run(tryOn('bug')), (error: unknown) => assertPlainError(error, /cannot read properties/));
    } finally {
      await queue.close();
    }
  });

  it('close() finishes running and queued jobs, then refuses new ones with 503', async () => {
    const queue = hazardQueue(2, 8);
    await queue.ready();
    const settled: string[] = [];
    const runs = Array.from({ length: 4 }, (_, i) =>
      queue.run(tryOn('sleep:100')).then((result) => {
        settled.push(`job${i}`);
        return result;
      }),
    );
    const closing = queue.close().then(() => settled.push('closed'));
    await assert.rejects(queue.run(tryOn()), assertOverloaded);
    const results = await Promise.all(runs);
    await closing;
    assert.equal(results.length, 4);
    assert.equal(settled.at(-1), 'closed');
    assert.equal(queue.running(), 0);
    assert.equal(queue.depth(), 0);
    await assert.rejects(queue.ready(), /closed/);
  });
});

describe('local queue worker failures', () => {
  it('fails the job of a worker that exits, replaces the worker, and keeps serving', async () => {
    const queue = hazardQueue(1, 4);
    try {
      await queue.ready();
      const first = await queue.run(tryOn());
      await assert.rejects(queue.run(tryOn('exit'), { requestId: 'req_crash' }), (error: unknown) =>
        assertPlainError(error, /crashed.*req_crash.*exit code 3/),
      );
      const next = await queue.run(tryOn());
      assert.deepEqual(pixel(next.image, 48, 60), [150, 30, 50]);
      assert.notEqual(next.timings.thread_id, first.timings.thread_id, 'a new worker thread');
      await queue.ready();
    } finally {
      await queue.close();
    }
  });

  it('fails the job on an uncaught exception in the worker; other workers and queued jobs go on', async () => {
    const queue = hazardQueue(2, 4);
    try {
      await queue.ready();
      const slow = queue.run(tryOn('sleep:300'));
      const crash = queue.run(tryOn('throw-async'));
      const queued = queue.run(tryOn());
      await assert.rejects(crash, (error: unknown) => assertPlainError(error, /uncaught failure inside the engine/));
      assert.equal((await slow).image.width, model.width);
      assert.equal((await queued).image.width, model.width);
    } finally {
      await queue.close();
    }
  });

  it('ready() rejects when the engine cannot load; jobs fail with a plain Error', async () => {
    const queue = createLocalQueue({ engineId: 'broken-init', workers: 1, maxQueued: 4, engineModuleUrl: HAZARD_ENGINES });
    try {
      await assert.rejects(queue.ready(), /engine "broken-init" failed to load: model weights missing/);
      await assert.rejects(queue.run(tryOn()), (error: unknown) => assertPlainError(error, /model weights missing/));
    } finally {
      await queue.close();
    }
  });

  it('ready() rejects when workers die while starting; close() still ends cleanly', async () => {
    const queue = createLocalQueue({ engineId: 'dies-loading', workers: 1, maxQueued: 4, engineModuleUrl: HAZARD_ENGINES });
    await assert.rejects(queue.ready(), /exited while starting: exit code 9/);
    await queue.close();
  });

  it('rejects an unknown engine id at once', () => {
    assert.throws(() => createLocalQueue({ engineId: 'nope', workers: 1, maxQueued: 1 }), /unknown engine "nope"/);
  });
});
