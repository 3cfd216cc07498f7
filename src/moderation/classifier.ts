/**
 * The image classifier behind moderation, as a seam: `ImageClassifier` is the model boundary
 * (image in, class scores out). The service uses `createThreadClassifier()`, which runs nsfwjs in
 * one worker thread per process, loaded once; tests inject fixed scores instead.
 *
 * Images are shrunk to the network's 224x224 input on the main thread by sharp (in libuv's pool,
 * not the event loop), so only 150 KB cross to the thread whatever the photo's size.
 */
import type { Worker } from 'node:worker_threads';
import type { Raster } from '../imaging/raster.ts';
import { resizeExact } from '../imaging/resize.ts';
import { deserializeError, type SerializedError } from '../queue/protocol.ts';
import { SOURCE_EXT, startThread } from '../queue/thread.ts';
import { NSFW_INPUT_SIDE, type NsfwScores } from '../vision/nsfw.ts';

export interface ImageClassifier {
  /** Class scores of an RGB image of any size. */
  classify(image: Raster): Promise<NsfwScores>;
  /** Resolves once the model is loaded (starting it if need be); rejects if it cannot load. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export type ToClassifier = { id: number; image: Raster };
export type FromClassifier =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'scores'; id: number; scores: NsfwScores }
  | { type: 'error'; id: number; error: SerializedError };

/** The classifier's input: the whole image squashed to the network's square (what nsfwjs does). */
export function classifierInput(image: Raster): Promise<Raster> {
  return resizeExact(image, NSFW_INPUT_SIDE, NSFW_INPUT_SIDE);
}

const THREAD_URL = new URL(`./classifier-thread${SOURCE_EXT}`, import.meta.url);

interface Pending {
  resolve(scores: NsfwScores): void;
  reject(error: Error): void;
}

/**
 * nsfwjs in a worker thread, started on first use (or by `ready()`). A thread that dies fails the
 * calls it holds with a plain Error (the API answers 500 and charges nothing) and is started again
 * by the next call.
 */
export function createThreadClassifier(): ImageClassifier {
  let thread: { worker: Worker; loaded: Promise<void> } | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let closed = false;

  const start = () => {
    if (thread) return thread;
    const worker = startThread(THREAD_URL, null, 'fitroom-moderation');
    let settleLoad!: { resolve(): void; reject(error: Error): void };
    const loaded = new Promise<void>((resolve, reject) => {
      settleLoad = { resolve, reject };
    });
    // Nobody may be waiting for the load yet.
    loaded.catch(() => undefined);
    const current = { worker, loaded };
    worker.on('message', (message: FromClassifier) => {
      if (message.type === 'ready') {
        settleLoad.resolve();
        if (pending.size === 0) worker.unref();
      }
      else if (message.type === 'init-failed') {
        settleLoad.reject(deserializeError(message.error));
        void worker.terminate();
      } else {
        const call = pending.get(message.id);
        if (!call) return;
        pending.delete(message.id);
        // An idle thread does not keep the process alive (a busy or loading one does).
        if (pending.size === 0) worker.unref();
        if (message.type === 'scores') call.resolve(message.scores);
        else call.reject(deserializeError(message.error));
      }
    });
    let lastError: Error | undefined;
    worker.on('error', (error) => {
      lastError = error;
    });
    worker.on('exit', (code) => {
      if (thread === current) thread = null;
      const error = new Error(`moderation classifier thread exited (code ${code})${lastError ? `: ${lastError.message}` : ''}`);
      settleLoad.reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
    thread = current;
    return current;
  };

  return {
    async classify(image) {
      if (closed) throw new Error('moderation classifier is closed');
      const input = await classifierInput(image);
      const { worker, loaded } = start();
      await loaded;
      const id = nextId++;
      // A fresh copy of the small input, moved to the thread.
      const data = new Uint8Array(input.data);
      return new Promise<NsfwScores>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, image: { ...input, data } } satisfies ToClassifier, [data.buffer]);
      });
    },
    ready() {
      return start().loaded;
    },
    async close() {
      closed = true;
      const current = thread;
      thread = null;
      if (current) await current.worker.terminate();
    },
  };
}
