import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { loadModel, loadTf } from '../../src/vision/tf.ts';

test('the tfjs runtime runs on the WASM backend and is loaded once', async () => {
  const first = loadTf();
  assert.equal(loadTf(), first);
  const tf = await first;
  assert.equal(tf.getBackend(), 'wasm');
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
