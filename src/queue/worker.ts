/**
 * One engine worker thread of the local queue (./local.ts). It creates its engine once
 * (`createEngine(id)` from the registry or a test fixture module, then `init()`), reports
 * `ready` or `init-failed`, and then runs the jobs the main thread sends, one at a time.
 * A failed engine load is forgotten, so the next job tries again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Engine, EngineResult } from '../engine/types.ts';
import { prepareResult, serializeError } from './protocol.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';

interface EngineModule {
  createEngine(id: string): Engine | Promise<Engine>;
}

if (!parentPort) throw new Error('src/queue/worker.ts runs only as a worker thread of the local queue');
const port = parentPort;
const config = workerData as WorkerConfig;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

let engineLoad: Promise<Engine> | undefined;
let reportedReady = false;

function loadEngine(): Promise<Engine> {
  if (!engineLoad) {
    const load = (async () => {
      const module = (await import(config.engineModuleUrl)) as EngineModule;
      const engine = await module.createEngine(config.engineId);
      await engine.init();
      return engine;
    })();
    engineLoad = load;
    load.catch(() => {
      if (engineLoad === load) engineLoad = undefined;
    });
  }
  return engineLoad;
}

async function runJob(message: ToWorker): Promise<void> {
  const { jobId, job } = message;
  let result: EngineResult;
  try {
    const engine = await loadEngine();
    if (!reportedReady) {
      // The first load failed and this retry worked: tell the pool the engine is now loaded.
      reportedReady = true;
      post({ type: 'ready' });
    }
    if (job.kind === 'tryon') {
      result = await engine.tryOn(job.request);
    } else {
      if (!engine.editByPrompt) throw new Error(`engine "${engine.id}" does not support prompt edits`);
      result = await engine.editByPrompt(job.request);
    }
  } catch (error) {
    post({ type: 'error', jobId, error: serializeError(error) });
    return;
  }
  try {
    const prepared = prepareResult(result);
    post({ type: 'result', jobId, result: prepared.result }, prepared.transfer);
  } catch (error) {
    // A malformed result (missing image, uncloneable fields) is an engine bug, reported as such.
    post({ type: 'error', jobId, error: serializeError(error) });
  }
}

loadEngine().then(
  () => {
    reportedReady = true;
    post({ type: 'ready' });
  },
  (error: unknown) => post({ type: 'init-failed', error: serializeError(error) }),
);

// The main thread sends a worker one job at a time; chaining keeps that true even if it did not.
let previous: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  if (message.type !== 'job') return;
  previous = previous.then(() => runJob(message));
});
