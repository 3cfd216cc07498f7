/**
 * The contract between the service and any try-on engine. The service (API, queue, worker pool)
 * only ever talks to an engine through `Engine`; the classic engine is one implementation and a
 * remote GPU engine can be another.
 */
import type { Mask, Raster } from '../imaging/raster.ts';

export type Category = 'upper_body' | 'lower_body' | 'dresses';
export const CATEGORIES: readonly Category[] = ['upper_body', 'lower_body', 'dresses'];

export interface TryOnRequest {
  /** The person photo, RGB (channels 3), EXIF orientation already applied, full resolution. */
  model: Raster;
  /** The garment photo, RGB (channels 3), EXIF orientation already applied. */
  garment: Raster;
  category: Category;
  /** Optional English description (at most 1,000 characters), may refine lengths ("cropped", "maxi"). */
  garmentDesc?: string;
  /**
   * The garment's exact coverage, when the caller drew the garment photo itself (API 2's product
   * shot: a hard outline on a plain backdrop, no wearer): `garment`'s size, 255 garment, 0
   * backdrop. The garment analysis then takes it as its cut-out instead of finding the garment
   * (no wearer check, no colour segmentation or matte).
   */
  garmentCutOut?: Mask;
  /**
   * Build EngineResult.diagnostics (default false). They cost full-resolution passes and buffers
   * to move between threads: the eval asks for them, and the service only for a person photo with
   * transparency (its alpha is put back from the pixel shares, src/imaging/alpha.ts).
   */
  diagnostics?: boolean;
}

export interface PromptRequest {
  /** The person photo, RGB, EXIF applied, full resolution. */
  model: Raster;
  /** English instruction, 1..2000 characters. */
  prompt: string;
  /** 0..2147483647; drives every random choice. */
  seed: number;
  /** 1..100: how completely the new appearance replaces the old. */
  guidanceScale: number;
  /** 1..50: refinement iterations of the blend. */
  steps: number;
  /** As TryOnRequest.diagnostics. */
  diagnostics?: boolean;
}

export interface EngineResult {
  /** RGB, exactly the model image's width and height. */
  image: Raster;
  /** Same size as `image`; 255 where the engine repainted, 0 where the input's pixels are kept. */
  repaintMask: Mask;
  /** Milliseconds per named stage, in execution order (e.g. pose, segmentation, warp, render). */
  timings: Record<string, number>;
  /**
   * Analysis masks at full resolution, for the eval's metrics and debugging: where the person's
   * old garment(s) of this category were, and where the new garment was drawn. Only when the
   * request asked for them (`diagnostics: true`); an engine may leave any of them out.
   */
  diagnostics?: {
    oldGarment?: Mask;
    newGarment?: Mask;
    /** The person's silhouette (soft, 0..255), full resolution: for envelope checks in the eval. */
    person?: Mask;
    /** Row (full-resolution px) above which nothing worn on the upper body belongs: the chin. */
    chinY?: number;
    /**
     * Full resolution, coverage 0..255: the share of each result pixel that is backdrop the engine
     * filled (where the old garment stood and is now background). With `photoKept` it lets the
     * service keep a transparent input's alpha (src/imaging/alpha.ts): filled backdrop becomes
     * transparent, the photo's own pixels keep the input's alpha, the rest (garment, skin) is opaque.
     */
    backgroundFill?: Mask;
    /** Full resolution, 0..255: the share of each result pixel that is still the input's own pixel (255 outside the repaint). */
    photoKept?: Mask;
  };
}

export interface Engine {
  /** Stable id, part of the result-cache key (e.g. "classic"). */
  readonly id: string;
  /** Bumped whenever output can change; part of the result-cache key. */
  readonly version: string;
  /** Loads models once; safe to call repeatedly (memoised). */
  init(): Promise<void>;
  tryOn(request: TryOnRequest): Promise<EngineResult>;
  /** API 2. Engines that cannot do it leave it undefined. */
  editByPrompt?(request: PromptRequest): Promise<EngineResult>;
}

/**
 * The engine cannot process these inputs (no person found, garment not separable from its
 * background, ...). The API answers 20001 TRY_ON_EXCEPTION with `message` as the detail.
 * Never retryable: the same inputs fail the same way.
 */
export class EngineInputError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'EngineInputError';
  }
}
