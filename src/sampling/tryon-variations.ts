/**
 * Samples of a try-on (`num_samples` on /v1/tryon). The engine is deterministic and takes no seed:
 * the same photos always give the same picture, so a second sample cannot come from a second run.
 * An honest one is the same engine's try-on of an equivalent view of the same photos, mapped back:
 * - `mirrored`: person and garment mirrored left-right, the result mirrored back (the garment's
 *   print reads the right way round again);
 * - `framed`: the person photo inside a border of its own edge pixels (FRAME_SHARE of its longer
 *   side on every side), the result cropped back: the person at another scale in the frame;
 * - `mirrored-framed`: both.
 * Pose estimation, segmentation and placement are not exactly equivariant under these views, so
 * each gives a slightly different placement of the same garment with the same description; the
 * pixels the engine did not repaint stay the photo's own, bit for bit (the transforms copy pixels,
 * src/imaging/transform.ts). An engine that is exactly equivariant for some inputs (the test
 * engine's centred rectangle under mirroring) gives the same picture twice: the job drops such a
 * sample uncharged (src/api/routes/jobs.ts).
 */
import type { EngineResult, TryOnRequest } from '../engine/types.ts';
import type { Mask } from '../imaging/raster.ts';
import { crop, frameWithEdges, mirrorX } from '../imaging/transform.ts';

/** Sample i of a try-on job uses variation i: the first is the plain try-on, as API 1 gives it. */
export const TRYON_VARIATIONS = ['as-is', 'mirrored', 'framed', 'mirrored-framed'] as const;
export type TryOnVariation = (typeof TRYON_VARIATIONS)[number];

/** Border of a framed view, as a share of the person photo's longer side (each side). */
const FRAME_SHARE = 0.06;

/** A view of a try-on request, and the map of the engine's result on it back to the photo. */
export interface TryOnView {
  request: TryOnRequest;
  restore(result: EngineResult): EngineResult;
}

type MaskMap = (mask: Mask) => Mask;

/** `map` applied to every pixel map of a result (image, repaint mask, diagnostic masks); `chinShift` to the chin row. */
function mapResult(result: EngineResult, map: MaskMap, mapImage: (image: EngineResult['image']) => EngineResult['image'], chinShift: number): EngineResult {
  const mapped: EngineResult = { image: mapImage(result.image), repaintMask: map(result.repaintMask), timings: result.timings };
  if (result.diagnostics) {
    const d = result.diagnostics;
    mapped.diagnostics = {};
    for (const key of ['oldGarment', 'newGarment', 'person', 'backgroundFill', 'photoKept'] as const) {
      const mask = d[key];
      if (mask) mapped.diagnostics[key] = map(mask);
    }
    if (d.chinY !== undefined) mapped.diagnostics.chinY = d.chinY + chinShift;
  }
  return mapped;
}

export function tryOnView(variation: TryOnVariation, request: TryOnRequest): TryOnView {
  if (variation === 'as-is') return { request, restore: (result) => result };
  const mirrored = variation === 'mirrored' || variation === 'mirrored-framed';
  const framed = variation === 'framed' || variation === 'mirrored-framed';
  const { width, height } = request.model;
  const margin = framed ? Math.max(1, Math.round(FRAME_SHARE * Math.max(width, height))) : 0;
  let model = mirrored ? mirrorX(request.model) : request.model;
  if (framed) model = frameWithEdges(model, margin);
  const garment = mirrored ? mirrorX(request.garment) : request.garment;
  const back = <T extends Mask | EngineResult['image']>(image: T): T => {
    const cropped = framed ? crop(image, margin, margin, width, height) : image;
    return mirrored ? mirrorX(cropped) : cropped;
  };
  return {
    request: { ...request, model, garment },
    restore: (result) => mapResult(result, back, back, -margin),
  };
}
