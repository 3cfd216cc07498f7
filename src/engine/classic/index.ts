/**
 * The classic engine: geometric try-on on the CPU (pose + segmentation models shipped in the
 * project, OpenCV.js, and our own warping and compositing). One instance per worker thread.
 */
import type { Engine, EngineResult, PromptRequest, TryOnRequest } from '../types.ts';
import { runPromptEdit } from '../../prompt/edit.ts';
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
    /** API 2: the prompt's garments built on the body and rendered through the same path. */
    async editByPrompt(request: PromptRequest): Promise<EngineResult> {
      await this.init();
      return runPromptEdit(request);
    },
  };
}

/** Loads every model the default path uses, so /readyz means the first call pays no load. */
async function warmUp(): Promise<void> {
  await Promise.all([loadOpenCV(), loadModel('movenet-thunder'), loadModel('selfie')]);
}
