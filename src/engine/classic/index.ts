/**
 * The classic engine: geometric try-on on the CPU (pose + segmentation models shipped in the
 * project, OpenCV.js, and our own warping and compositing). One instance per worker thread.
 * API 2 (editByPrompt) is the prompt engine's (src/engine/prompt/), which renders through this
 * engine's try-on path; the registry puts the two together (withPromptEditing).
 */
import type { Engine, EngineResult, TryOnRequest } from '../types.ts';
import { loadOpenCV } from '../../vision/opencv.ts';
import { loadModel } from '../../vision/tf.ts';
import { runClassicTryOn } from './tryon.ts';
import { CLASSIC_ENGINE_VERSION } from './version.ts';

export function createClassicEngine(): Engine {
  let ready: Promise<void> | undefined;
  return {
    id: 'classic',
    version: CLASSIC_ENGINE_VERSION,
    init(): Promise<void> {
      // Memoised, forgetting a failed load so a later call can retry.
      ready ??= warmUp().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      return ready;
    },
    async tryOn(request: TryOnRequest): Promise<EngineResult> {
      await this.init();
      return runClassicTryOn(request);
    },
  };
}

/** Loads every model the default path uses, so /readyz means the first call pays no load. */
async function warmUp(): Promise<void> {
  await Promise.all([loadOpenCV(), loadModel('movenet-thunder'), loadModel('selfie')]);
}
