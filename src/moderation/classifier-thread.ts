/**
 * The moderation classifier's worker thread (started by ./classifier.ts): loads the nsfwjs model
 * once, reports `ready` or `init-failed`, then answers one `classify` message at a time with the
 * five class scores. Inference is CPU work (~0.1-0.2 s) that must not run on the API's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../queue/protocol.ts';
import { classifyNsfw, loadNsfwModel } from '../vision/nsfw.ts';
import type { FromClassifier, ToClassifier } from './classifier.ts';

if (!parentPort) throw new Error('src/moderation/classifier-thread.ts runs only as a worker thread');
const port = parentPort;
const post = (message: FromClassifier) => port.postMessage(message);

loadNsfwModel().then(
  () => post({ type: 'ready' }),
  (error: unknown) => post({ type: 'init-failed', error: serializeError(error) }),
);

let previous: Promise<void> = Promise.resolve();
port.on('message', (message: ToClassifier) => {
  previous = previous.then(async () => {
    try {
      const scores = await classifyNsfw(message.image);
      post({ type: 'scores', id: message.id, scores });
    } catch (error) {
      post({ type: 'error', id: message.id, error: serializeError(error) });
    }
  });
});
