/**
 * Every metric of one finished pair, from the engine's result and the photos (see tryon.ts for what
 * each number means). Also checks the result against the engine contract first: a result of the
 * wrong size or without a matching mask is a failed pair, not a number.
 */
import type { Category, EngineResult } from '../src/engine/types.ts';
import type { Mask, Raster } from '../src/imaging/raster.ts';
import { colorDeltaE, garmentCutout } from './metrics/color-delta-e.ts';
import type { FlagMetrics } from './metrics/flags.ts';
import { measureFlags } from './metrics/flags.ts';
import { countInside, erode, pixelsInside } from './metrics/mask-ops.ts';
import { outsidePsnr, psnr } from './metrics/psnr.ts';
import { remnant } from './metrics/remnant.ts';
import { ssim } from './metrics/ssim.ts';
import { downscaleToFit, resizeExact } from './images.ts';

/** Erosion of the rendered-garment region before sampling its colours: skips seams and soft edges. */
const RENDERED_EROSION = 3;
/**
 * The garment photo is cut out and summarised at most this size (long side): its palette does not
 * change with resolution, and the cut-out costs ~0.8 s of CPU at 768x1024 against ~0.2 s here.
 */
const GARMENT_ANALYSIS_SIDE = 512;

export interface PairMetrics extends FlagMetrics {
  /** dB; +Infinity when every untouched pixel is identical; null when the mask covers everything. */
  outside_psnr_db: number | null;
  /** Share of the image the engine repainted (mask > 0). */
  repaint_share: number;
  /** ΔE00 palette distance, null when the garment or the rendered region is too small to measure. */
  color_delta_e: number | null;
  /** Where the rendered garment's pixels came from: the engine's diagnostics, or its repaint mask. */
  color_region: 'diagnostics.newGarment' | 'repaint_mask';
  /** Linear-light factor that matched the rendered garment's median lightness to the product's. */
  color_exposure: number | null;
  /** 0..1, null when the engine gave no old/new garment masks or they do not overlap. */
  remnant: number | null;
  remnant_pixels: number | null;
  /** Whole-image SSIM / PSNR against the truth photo, null without one. */
  paired_ssim: number | null;
  paired_psnr_db: number | null;
  /** Why some metric above is null, for the reader of summary.json. */
  notes: string[];
}

/** Throws with a message naming the broken promise when the result breaks the engine contract. */
export function checkContract(model: Raster, result: EngineResult): void {
  const { image, repaintMask } = result;
  const size = `${model.width}x${model.height}`;
  if (!image || image.width !== model.width || image.height !== model.height) {
    throw new Error(`contract: result image is ${image ? `${image.width}x${image.height}` : 'missing'}, the model is ${size}`);
  }
  if (image.channels !== 3) throw new Error(`contract: result image has ${image.channels} channels, expected 3`);
  if (image.data.length !== image.width * image.height * 3) throw new Error('contract: result image data has the wrong length');
  checkMask('repaintMask', repaintMask, model);
  if (result.diagnostics?.oldGarment) checkMask('diagnostics.oldGarment', result.diagnostics.oldGarment, model);
  if (result.diagnostics?.newGarment) checkMask('diagnostics.newGarment', result.diagnostics.newGarment, model);
  if (result.diagnostics?.person) checkMask('diagnostics.person', result.diagnostics.person, model);
  const chinY = result.diagnostics?.chinY;
  if (chinY !== undefined && !Number.isFinite(chinY)) throw new Error(`contract: diagnostics.chinY is ${chinY}, not a number`);
}

function checkMask(name: string, mask: Mask | undefined, model: Raster): void {
  if (!mask || mask.width !== model.width || mask.height !== model.height || mask.data.length !== model.width * model.height) {
    throw new Error(`contract: ${name} is ${mask ? `${mask.width}x${mask.height}` : 'missing'}, the model is ${model.width}x${model.height}`);
  }
}

export async function measurePair(model: Raster, garment: Raster, result: EngineResult, category: Category, truth?: Raster): Promise<PairMetrics> {
  const notes: string[] = [];
  const { image, repaintMask, diagnostics } = result;

  const outside = outsidePsnr(image, model, repaintMask);
  if (outside === null) notes.push('outside_psnr_db: the repaint mask covers the whole image');
  let repainted = 0;
  for (let i = 0; i < repaintMask.data.length; i++) if (repaintMask.data[i] !== 0) repainted++;

  const garmentSmall = await downscaleToFit(garment, GARMENT_ANALYSIS_SIDE);
  const cutoutPixels = pixelsInside(garmentSmall, garmentCutout(garmentSmall));
  const renderedRegionMask = diagnostics?.newGarment ?? repaintMask;
  const colorRegion = diagnostics?.newGarment ? 'diagnostics.newGarment' : 'repaint_mask';
  if (!diagnostics?.newGarment) notes.push('color_delta_e: no diagnostics.newGarment, sampled the repaint mask (includes skin and background fill)');
  const renderedRegion = erode(renderedRegionMask, RENDERED_EROSION);
  const colour = colorDeltaE(cutoutPixels, pixelsInside(image, renderedRegion));
  if (colour === null) {
    notes.push(`color_delta_e: too few pixels (garment cut-out ${cutoutPixels.length / 3}, rendered ${countInside(renderedRegion)})`);
  }

  let remnantShare: number | null = null;
  let remnantPixels: number | null = null;
  if (!diagnostics?.oldGarment || !diagnostics?.newGarment) {
    notes.push('remnant: the engine gave no diagnostics.oldGarment/newGarment');
  } else if (colour === null) {
    notes.push('remnant: no garment palette (see color_delta_e)');
  } else {
    const r = remnant(model, image, diagnostics.oldGarment, diagnostics.newGarment, colour.garmentPalette, colour.exposure);
    if (r === null) notes.push('remnant: old and new garment masks do not overlap after erosion');
    else {
      remnantShare = r.share;
      remnantPixels = r.pixels;
    }
  }

  const flags = measureFlags({ model, result, category, newPalette: colour?.garmentPalette ?? null, exposure: colour?.exposure ?? 1 }, notes);

  let pairedSsim: number | null = null;
  let pairedPsnr: number | null = null;
  if (truth) {
    // As the papers do: compare at the truth's resolution, the whole image.
    const compared = await resizeExact(image, truth.width, truth.height);
    pairedSsim = ssim(compared, truth);
    pairedPsnr = psnr(compared, truth);
  }

  return {
    outside_psnr_db: outside,
    repaint_share: repainted / repaintMask.data.length,
    color_delta_e: colour?.deltaE ?? null,
    color_region: colorRegion,
    color_exposure: colour?.exposure ?? null,
    remnant: remnantShare,
    remnant_pixels: remnantPixels,
    paired_ssim: pairedSsim,
    paired_psnr_db: pairedPsnr,
    ...flags,
    notes,
  };
}
