/**
 * What HARMFUL_CONTENT moderation costs a call: the classifier as the service runs it (shrink to
 * 224x224 with sharp on the main thread, then nsfwjs in its worker thread), per image, warm; and
 * the model's load time. Inputs: every model and garment photo of ../shared/photos (or
 * FITROOM_BENCH_PHOTOS) when present, else drawn 768x1024 people; the median is over all of them.
 * A call classifies each image it was sent (API 1: two).
 */
import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFileToRaster, decodeToRaster } from '../src/imaging/decode.ts';
import type { Raster } from '../src/imaging/raster.ts';
import { createThreadClassifier } from '../src/moderation/classifier.ts';
import { personImage } from '../test/helpers/images.ts';
import { percentile, printTable, round, type Bench } from './types.ts';

const DEFAULT_PHOTOS = fileURLToPath(new URL('../../shared/photos/', import.meta.url));
/** Sub-folders of the photo folder whose every image is classified. */
const PHOTO_FOLDERS = ['model', 'garment'];
/** Images drawn when there are no photos. */
const DRAWN_IMAGES = 12;
const ROUNDS = 3;

async function benchImages(): Promise<{ source: string; images: Raster[] }> {
  const photos = process.env.FITROOM_BENCH_PHOTOS ?? DEFAULT_PHOTOS;
  // Every photo a call could send: the model and the garment photos.
  const files = PHOTO_FOLDERS.flatMap((sub) => {
    const folder = path.join(photos, sub);
    if (!existsSync(folder)) return [];
    return readdirSync(folder).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort().map((f) => path.join(folder, f));
  });
  if (files.length > 0) {
    return { source: `${files.length} photos of ${PHOTO_FOLDERS.map((f) => path.join(photos, f)).join(' and ')}`, images: await Promise.all(files.map((f) => decodeFileToRaster(f))) };
  }
  const drawn = await Promise.all(Array.from({ length: DRAWN_IMAGES }, (_, i) => personImage('png', { width: 768, height: 1024 }, i)));
  return { source: 'drawn 768x1024 people', images: await Promise.all(drawn.map((b) => decodeToRaster(b))) };
}

export const moderationBench: Bench = {
  name: 'moderation',
  description: 'image moderation (nsfwjs in its thread): load time and ms per image, warm',
  async run() {
    const { source, images } = await benchImages();
    const classifier = createThreadClassifier();
    try {
      let t = performance.now();
      await classifier.ready();
      const loadMs = performance.now() - t;
      await classifier.classify(images[0]);
      const perImage: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        for (const image of images) {
          t = performance.now();
          await classifier.classify(image);
          perImage.push(performance.now() - t);
        }
      }
      perImage.sort((a, b) => a - b);
      const result = {
        source,
        images: perImage.length,
        load_ms: round(loadMs, 0),
        per_image_p50_ms: round(percentile(perImage, 50), 1),
        per_image_p90_ms: round(percentile(perImage, 90), 1),
        api1_call_p50_ms: round(2 * percentile(perImage, 50), 1),
        loadavg_1m: round(loadavg()[0], 2),
      };
      printTable(Object.entries(result).map(([k, v]): [string, string | number] => [k, v]));
      return result;
    } finally {
      await classifier.close();
    }
  },
};
