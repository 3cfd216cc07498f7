/**
 * The classic engine: geometric try-on on the CPU (pose + segmentation models shipped in the
 * project, OpenCV.js, and our own warping and compositing). One instance per worker thread.
 */
import type { Engine, EngineResult, TryOnRequest } from '../types.ts';
import { loadOpenCV } from '../../vision/opencv.ts';
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

async function warmUp(): Promise<void> {
  await loadOpenCV();
}
