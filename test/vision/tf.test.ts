import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { loadModel, loadTf, type ModelName } from '../../src/vision/tf.ts';

test('the tfjs runtime runs on the WASM backend and is loaded once', async () => {
  const first = loadTf();
  assert.equal(loadTf(), first);
  const tf = await first;
  assert.equal(tf.getBackend(), 'wasm');
});

const handlersAtStart = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));

test('loading the runtime leaves no process-wide error handlers behind', async () => {
  await loadTf();
  assert.deepEqual(['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e)), handlersAtStart);
});

test('a failed model load is forgotten so the next call retries', async () => {
  const missing = 'no-such-model' as ModelName;
  const first = loadModel(missing);
  await assert.rejects(first, /ENOENT/);
  const second = loadModel(missing);
  assert.notEqual(second, first);
  await assert.rejects(second, /ENOENT/);
});

test('a vendored model is loaded once and keeps its input signature', async () => {
  const first = loadModel('selfie');
  assert.equal(loadModel('selfie'), first);
  const model = await first;
  assert.deepEqual(model.inputs[0].shape, [1, 256, 256, 3]);
});

test('the runtime and models also load inside a worker_thread', async () => {
  const worker = new Worker(new URL('./fixtures/pose-in-worker.mjs', import.meta.url));
  const message = await new Promise<{ keypoints: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(message.keypoints, 17);
});
