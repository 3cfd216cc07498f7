/**
 * The last person analysis, kept for the next request with the same model photo: a shopper tries
 * several garments on one photo, and each try paid the whole person analysis again (about 0.45 s of
 * a 1.8 s try-on here; the eval's wide set, grouped by model, repeats the previous pair's photo in
 * 43 of its 117 pairs).
 *
 * Sharing is safe because nothing after person analysis writes into it: the try-on copies what it
 * changes (withBottomUpToTopHem, the render's canvases), so a repeated photo gives the same bytes
 * as a fresh analysis (checked on every pair of both photo sets: the analysis hashed before and
 * after its try-on, and the eval's results compared byte for byte). One entry per engine thread,
 * keyed by a hash of the photo's bytes (a few ms at 768x1024); a few MB of masks and the analysed
 * image. Failed analyses are not kept.
 */
import { createHash } from 'node:crypto';
import type { Raster } from '../../imaging/raster.ts';
import type { BodyFrame } from './body/index.ts';
import type { PersonAnalysis } from './types.ts';

export interface AnalysedPerson {
  person: PersonAnalysis;
  body: BodyFrame;
}

let last: { key: string; analysed: AnalysedPerson } | undefined;

/** The key of a photo: its size and a hash of its pixel bytes. */
function photoKey(model: Raster): string {
  const hash = createHash('sha1');
  hash.update(`${model.width}x${model.height}x${model.channels}:`);
  hash.update(model.data);
  return hash.digest('hex');
}

/**
 * The person analysis of `model`: the kept one when the photo's bytes are those last analysed,
 * else `analyse(model)`, then kept. `fresh` tells which happened.
 */
export async function analysePersonOnce(
  model: Raster,
  analyse: (model: Raster) => Promise<AnalysedPerson>,
): Promise<AnalysedPerson & { fresh: boolean }> {
  const key = photoKey(model);
  if (last && last.key === key) return { ...last.analysed, fresh: false };
  last = undefined;
  const analysed = await analyse(model);
  const { person } = analysed;
  // An analysis at the photo's own size holds the caller's raster as its image; the kept entry
  // holds a copy, so a caller reusing its buffer for the next photo cannot change the kept one.
  const kept = person.image.data === model.data
    ? { ...analysed, person: { ...person, image: { ...person.image, data: person.image.data.slice() } } }
    : analysed;
  last = { key, analysed: kept };
  return { ...analysed, fresh: true };
}

/** Forgets the kept analysis (tests). */
export function forgetPersonAnalysis(): void {
  last = undefined;
}
