/**
 * API 2 on the classic engine: change the person's clothes as a text prompt says.
 *
 *   parse the prompt ─ person analysis (shared with try-on) ─ per garment:
 *     silhouette on the body frame ─ procedural texture ─ guidance (opacity, kept photo detail)
 *     ─ arms in front of the body panel ─ seam relaxation (steps) ─ composeIntoPhoto
 *
 * composeIntoPhoto is the classic engine's one rendering path (occlusion by face/hair/hands, fill
 * of what the old garment leaves bare, shading from the photo, compositing, full-resolution merge);
 * nothing here re-implements it. Two garments (a top and trousers) are two passes: the upper
 * garment first, then the lower one on its result. Each pass protects the other category's
 * current garment, so the order only decides what the fill of bare skin sees around it: upper
 * first, the arms the old sleeves leave bare are filled next to the old bottom, not next to new
 * trousers of another colour.
 *
 * Determinism: every random choice comes from `createRandom(seed)` forked by purpose and garment
 * category, and everything else is integer-exact or plain float arithmetic in a fixed order, so
 * the same image, prompt, seed and parameters give the same bytes.
 */
import { stackShares, type RenderShares } from '../imaging/alpha.ts';
import type { Mask, Raster } from '../imaging/raster.ts';
import type { EngineResult, PromptRequest } from '../engine/types.ts';
import type { BodyFrame } from '../engine/classic/body/index.ts';
import { analysePersonTimed, armsInFrontMask, composeIntoPhoto, timed, type Timings } from '../engine/classic/tryon.ts';
import { PartLabel, type PersonAnalysis } from '../engine/classic/types.ts';
import { resizeRaster } from '../vision/resample.ts';
import { guidanceKeptDetail, guidanceOpacity, keepPhotoDetail, relaxSeam } from './blend.ts';
import { parsePrompt, type GarmentSpec } from './parser.ts';
import { createRandom, type Random } from './random.ts';
import { buildSilhouette, Part, type Silhouette } from './silhouette.ts';
import { paintGarment, type TexturePalette } from './texture.ts';
import { GARMENT_TYPES } from './vocabulary.ts';

/** Below this share of the image, the current garment to recolour is treated as absent. */
const MIN_RECOLOR_SHARE = 0.002;

export interface PromptLayer {
  /** RGBA at analysis resolution, ready for composeIntoPhoto. */
  layer: Raster;
  silhouette: Silhouette;
  palette: TexturePalette;
  /** The garment's own colours as painted (RGBA, before guidance, occlusion and the photo's light): what was asked for. */
  albedo: Raster;
  /** The spec actually drawn (a recolour with nothing to recolour becomes a new top). */
  spec: GarmentSpec;
}

/** A recolour when the person wears nothing of that category: draw a plain top (or bottom) instead. */
function fallbackSpec(spec: GarmentSpec): GarmentSpec {
  const type = spec.category === 'lower_body' ? 'trousers' : spec.category === 'dresses' ? 'dress' : 't-shirt';
  const shape = GARMENT_TYPES[type];
  return { ...spec, type, mode: 'new', form: shape.form, sleeve: shape.sleeve, length: shape.length, fit: shape.fit, cut: shape.cut, neckline: shape.neckline };
}

function labelShare(person: PersonAnalysis, category: GarmentSpec['category']): number {
  const labels = person.parsing.labels;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if ((l === PartLabel.UpperGarment && category !== 'lower_body') || (l === PartLabel.LowerGarment && category !== 'upper_body')) n++;
  }
  return n / labels.length;
}

/**
 * The garment layer for one spec: silhouette × texture, guidance's kept detail, the arms in front
 * of the body panel (sleeves are drawn over the arms they dress), overalls over the current top,
 * and `steps` iterations of seam relaxation.
 */
export function buildPromptLayer(
  requested: GarmentSpec,
  person: PersonAnalysis,
  body: BodyFrame,
  rng: Random,
  guidance: number,
  steps: number,
  /** armsInFrontMask(person, body), when the caller already has it (one per request). */
  armsInFront?: Mask,
): PromptLayer {
  let spec = requested;
  // "Make it red" on a person in a dress recolours the whole dress, not its bodice.
  if (spec.mode === 'recolor' && spec.category === 'upper_body' && person.wearsOnePiece) spec = { ...spec, category: 'dresses', form: 'dress' };
  if (spec.mode === 'recolor' && labelShare(person, spec.category) < MIN_RECOLOR_SHARE) spec = fallbackSpec(spec);
  // A coat or tunic hangs over the skirt or trousers: it is rendered as a full-body garment that
  // carries the current bottom through wherever it does not cover it (see keepCurrentUnder).
  const overBottom = isLongTop(spec);
  if (overBottom) spec = { ...spec, category: 'dresses' };
  const silhouette = buildSilhouette(spec, body, person, rng.fork('silhouette'));
  const { layer, palette } = paintGarment(spec, silhouette, rng.fork('texture'), person.skin.rgb);
  const albedo: Raster = { ...layer, data: layer.data.slice() };

  const oldRegion = currentGarmentMask(person, spec.category);
  keepPhotoDetail(layer, person.image, oldRegion, guidanceKeptDetail(guidance));

  if (spec.mode === 'new') {
    // Arms hang in front of the body panel and the trouser legs; sleeves are drawn over them.
    const arms = armsInFront ?? armsInFrontMask(person, body);
    const d = layer.data;
    for (let i = 0, p = 3; i < arms.data.length; i++, p += 4) {
      const part = silhouette.part[i];
      if (arms.data[i] !== 0 && part !== Part.SleeveL && part !== Part.SleeveR) d[p] = Math.round((d[p] * (255 - arms.data[i])) / 255);
    }
  }
  if (spec.form === 'overalls' || isOuterwear(spec)) keepCurrentUnder(layer, person, PartLabel.UpperGarment);
  if (overBottom) keepCurrentUnder(layer, person, PartLabel.LowerGarment);
  relaxSeam(layer, person.image, Math.max(1, Math.round(steps)));
  return { layer, silhouette, palette, albedo, spec };
}

function currentGarmentMask(person: PersonAnalysis, category: GarmentSpec['category']): Mask {
  const { width, height } = person.personMask;
  const labels = person.parsing.labels;
  const mask = { width, height, data: new Uint8Array(width * height) };
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if ((l === PartLabel.UpperGarment && category !== 'lower_body') || (l === PartLabel.LowerGarment && category !== 'upper_body')) mask.data[i] = 255;
  }
  return mask;
}

/**
 * Jackets, blazers, coats, cardigans, vests and kimonos are worn over a top: where they do not
 * cover the current top (below a short jacket's hem, round a vest's armholes), it stays.
 */
export function isOuterwear(spec: GarmentSpec): boolean {
  return spec.mode === 'new' && ['jacket', 'puffer jacket', 'blazer', 'coat', 'cardigan', 'vest', 'kimono'].includes(spec.type);
}

/** Tops whose hem falls at mid-thigh or lower (coats, tunics, long cardigans). */
export function isLongTop(spec: GarmentSpec): boolean {
  return spec.mode === 'new' && spec.form === 'top' && ['tunic', 'mini', 'above_knee', 'knee', 'midi', 'maxi'].includes(spec.length);
}

/**
 * Layering for a garment rendered as 'dresses' (which replaces the whole current outfit): where
 * the person's current garment with `label` is and the new one is not, the layer carries the
 * photo's own pixels, so that garment stays. Overalls and jackets keep the top under them; a
 * coat also keeps the skirt or trousers below its hem.
 */
function keepCurrentUnder(layer: Raster, person: PersonAnalysis, label: PartLabel): void {
  const labels = person.parsing.labels;
  const d = layer.data;
  const img = person.image.data;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== label) continue;
    const p = i * 4;
    const a = d[p + 3] / 255;
    for (let c = 0; c < 3; c++) d[p + c] = Math.round(d[p + c] * a + img[i * 3 + c] * (1 - a));
    d[p + 3] = 255;
  }
}

/** Upper garment first, then the lower one (see the header); a full-body garment alone. */
const PASS_ORDER = { upper_body: 0, dresses: 1, lower_body: 2 } as const;

function unionInto(target: Mask | undefined, add: Mask | undefined): Mask | undefined {
  if (!add) return target;
  if (!target) return { width: add.width, height: add.height, data: add.data.slice() };
  for (let i = 0; i < add.data.length; i++) if (add.data[i] > target.data[i]) target.data[i] = add.data[i];
  return target;
}

export interface PromptEditDetails {
  result: EngineResult;
  /**
   * Per garment drawn, in pass order: the spec, the colours it was drawn in, its painted albedo
   * (analysis resolution) and where its pass drew it (full resolution; a later pass may cover part).
   */
  garments: Array<{ spec: GarmentSpec; palette: TexturePalette; albedo: Raster; newGarment?: Mask }>;
}

/** runPromptEdit with what was drawn, for the eval and tests. */
export async function runPromptEditDetailed(request: PromptRequest): Promise<PromptEditDetails> {
  const timings: Timings = {};
  const parsed = timed(timings, 'prompt.parse', () => parsePrompt(request.prompt));
  const { person, body } = await analysePersonTimed(request.model, timings);
  const random = createRandom(request.seed);
  // A long top goes on last, over the new bottom it carries through.
  const order = parsed.garments.some(isLongTop) ? { lower_body: 0, dresses: 1, upper_body: 2 } : PASS_ORDER;
  const passes = [...parsed.garments].sort((a, b) => order[a.category] - order[b.category]);
  // Arms and body do not move between passes: one arms-in-front mask for the request.
  const armsInFront = timed(timings, 'prompt.arms', () => armsInFrontMask(person, body));

  let model = request.model;
  let analysis = person;
  let repaint: Mask | undefined;
  let oldGarment: Mask | undefined;
  let newGarment: Mask | undefined;
  // What each pixel is made of across the passes (alpha kept for transparent inputs, imaging/alpha.ts).
  let shares: RenderShares | undefined;
  const drawn: PromptEditDetails['garments'] = [];
  let image: Raster = request.model;
  for (const requested of passes) {
    const built = timed(timings, 'prompt.layer', () =>
      buildPromptLayer(requested, analysis, body, random.fork(`garment:${requested.category}`), request.guidanceScale, request.steps, armsInFront),
    );
    const result = composeIntoPhoto({
      model,
      person: analysis,
      body,
      layer: built.layer,
      category: built.spec.category,
      timings,
      opacity: guidanceOpacity(request.guidanceScale),
      // The drawn outline is the prompt engine's (edge relaxation by num_inference_steps).
      exactOutline: true,
    });
    drawn.push({ spec: built.spec, palette: built.palette, albedo: built.albedo, newGarment: result.diagnostics?.newGarment });
    image = result.image;
    repaint = unionInto(repaint, result.repaintMask);
    oldGarment = unionInto(oldGarment, result.diagnostics?.oldGarment);
    newGarment = unionInto(newGarment, result.diagnostics?.newGarment);
    const passShares = { backgroundFill: result.diagnostics?.backgroundFill, photoKept: result.diagnostics?.photoKept };
    shares = shares === undefined ? passShares : stackShares(shares, passShares);
    // The next pass renders onto this result, seen at analysis resolution.
    model = result.image;
    const { width, height } = analysis.image;
    analysis = { ...analysis, image: image.width === width && image.height === height ? image : resizeRaster(image, width, height) };
  }
  // parsePrompt never returns an empty list, so there was at least one pass.
  const repaintMask = repaint as Mask;
  return {
    result: { image, repaintMask, timings, diagnostics: { oldGarment, newGarment, ...shares } },
    garments: drawn,
  };
}

/** API 2 (Engine.editByPrompt): throws ApiError 10004 when the prompt names nothing applicable. */
export async function runPromptEdit(request: PromptRequest): Promise<EngineResult> {
  return (await runPromptEditDetailed(request)).result;
}
