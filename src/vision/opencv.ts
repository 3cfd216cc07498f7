/**
 * The one owner of the OpenCV.js (WASM) runtime. Loaded lazily, once per thread, behind a memoised
 * promise that forgets a failed load so the next call can retry.
 *
 * OpenCV.js objects (cv.Mat, cv.MatVector, ...) live in WASM memory: every `new cv.Mat()` must be
 * `.delete()`d, usually in a `finally`.
 */
import { createRequire } from 'node:module';
import type CvModule from '@techstark/opencv-js';
import { withoutEmscriptenHandlers } from './emscripten.ts';

export type OpenCV = typeof CvModule;

let loading: Promise<OpenCV> | undefined;

export function loadOpenCV(): Promise<OpenCV> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<OpenCV> {
  const require = createRequire(import.meta.url);
  type Module = OpenCV & { calledRun?: boolean; onRuntimeInitialized?: () => void; then?: unknown };
  const mod = await withoutEmscriptenHandlers(async () => {
    const loaded = require('@techstark/opencv-js') as Module;
    if (!loaded.calledRun) {
      await new Promise<void>((resolve) => {
        const previous = loaded.onRuntimeInitialized;
        loaded.onRuntimeInitialized = () => {
          previous?.();
          resolve();
        };
      });
    }
    // Emscripten makes the module a thenable that resolves to itself: returning it from a promise
    // callback would make the promise machinery call `then` forever. Drop it once initialised.
    delete loaded.then;
    return loaded;
  });
  return mod;
}
