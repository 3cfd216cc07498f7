/**
 * The one owner of the TensorFlow.js runtime (tfjs-core on the WASM backend) and of the vendored
 * graph models in `models/`. Loaded lazily, once per thread (a worker_thread gets its own), behind
 * memoised promises that forget a failed load so the next call can retry.
 *
 * Everything is read from disk: the backend's .wasm binaries from the installed package's `dist`
 * folder, the models from `models/NAME.json` + its weight files. No fetch, no network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { withoutEmscriptenHandlers } from './emscripten.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfBackendWasm from '@tensorflow/tfjs-backend-wasm';
import type * as TfConverter from '@tensorflow/tfjs-converter';
import type { GraphModel } from '@tensorflow/tfjs-converter';

export type Tf = typeof TfCore;
export type { GraphModel };

const require = createRequire(import.meta.url);

/**
 * The three tfjs packages, required when a thread first needs them, not imported: they are 2.8 MB
 * of CommonJS, and an `import` of CommonJS from ESM first scans the whole source for its export
 * names (about 0.3 s of CPU here). Modules that import this one for loadModel or MODELS_DIR (the
 * classic engine, the moderation classifier's caller on a server's main thread) load none of it
 * until a model is used. The same files as the imports would load (the packages' `main`).
 */
function tfjs(): { tf: Tf; setWasmPaths: typeof TfBackendWasm.setWasmPaths; loadGraphModel: typeof TfConverter.loadGraphModel } {
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const { setWasmPaths } = require('@tensorflow/tfjs-backend-wasm') as typeof TfBackendWasm;
  const { loadGraphModel } = require('@tensorflow/tfjs-converter') as typeof TfConverter;
  return { tf, setWasmPaths, loadGraphModel };
}

/** The vendored models (file stems under `models/`). */
export type ModelName = 'movenet-thunder' | 'movenet-lightning' | 'selfie' | 'meet' | 'nsfw-mobilenet-v2-mid';

export const MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');

let runtime: Promise<Tf> | undefined;
const models = new Map<ModelName, Promise<GraphModel>>();

export function loadTf(): Promise<Tf> {
  runtime ??= initRuntime().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function initRuntime(): Promise<Tf> {
  const { tf, setWasmPaths } = tfjs();
  const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  // The threaded build spawns its workers from Blob URLs, which Node cannot run; the service
  // parallelises across worker_threads instead, so one WASM thread per worker is what we want.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // A file path prefix (with trailing separator): Emscripten reads it with fs under Node.
  setWasmPaths(wasmDir + path.sep);
  await withoutEmscriptenHandlers(async () => {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the WASM backend failed to initialise');
    await tf.ready();
  });
  return tf;
}

/** The graph model `models/NAME.json`, loaded once per thread. */
export function loadModel(name: ModelName): Promise<GraphModel> {
  let pending = models.get(name);
  if (!pending) {
    pending = readGraphModel(name).catch((error: unknown) => {
      models.delete(name);
      throw error;
    });
    models.set(name, pending);
  }
  return pending;
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: TfCore.io.WeightsManifestEntry[] }>;
}

async function readGraphModel(name: ModelName): Promise<GraphModel> {
  const tf = await loadTf();
  const { loadGraphModel } = tfjs();
  const json = JSON.parse(await readFile(path.join(MODELS_DIR, `${name}.json`), 'utf8')) as ModelJson;
  const weightSpecs: TfCore.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const file of group.paths) chunks.push(await readFile(path.join(MODELS_DIR, file)));
  }
  const all = Buffer.concat(chunks);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}
