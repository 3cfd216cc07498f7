/**
 * API 2: change the person's clothes as a text prompt says.
 *
 *   parse the prompt ─ person analysis (shared with try-on) ─ per garment:
 *     new garment: product shot of it (product-shot/) ─ the classic engine's try-on of that shot
 *                  (tryOnAnalysedPerson, API 1's own path) ─ guidance ─ seam relaxation (steps)
 *     recolour:    the current garment's own region ─ procedural texture ─ guidance ─ seam
 *                  relaxation ─ composeIntoPhoto (the classic engine's rendering path)
 *
 * A new garment is drawn the way a shop photographs it (flat shape, construction, fabric, studio
 * light, plain backdrop) and the person is dressed in it by the classic engine exactly as a
 * product photo sent to API 1 would be: garment cut-out, landmarks, placement, warp, fills of what
 * the old garment leaves bare, the photo's light. Every improvement of API 1 is one of API 2.
 *
 * Categories: a dress, jumpsuit, romper or overalls is one 'dresses' piece from the shoulders to
 * its length, whatever the person wore; every top, outerwear included, is 'upper_body', except
 * that a top reaching mid-thigh or lower is put on as a full-body piece over the kept bottom (a
 * knee-length coat over trousers: the bottom is put back below its hem). Outerwear (jacket,
 * blazer, coat, cardigan, vest, kimono) is laid over the kept top: where it does not cover the old
 * top (the open V between lapels), the photo's own top stays.
 *
 * Two garments (a top and trousers) are two passes: the lower garment first, then the upper one
 * hanging over it. Each pass renders onto the previous result, seen at analysis resolution.
 *
 * Determinism: every random choice comes from `createRandom(seed)` forked by purpose and garment
 * category, and everything else is integer-exact or plain float arithmetic in a fixed order, so
 * the same image, prompt, seed and parameters give the same bytes.
 */
import { stackShares, type RenderShares } from '../../imaging/alpha.ts';
import type { Mask, Raster } from '../../imaging/raster.ts';
import { EngineInputError, type EngineResult, type PromptRequest } from '../types.ts';
import type { BodyFrame } from '../classic/body/index.ts';
import { analysePersonTimed, armsInFrontMask, composeIntoPhoto, timed, tryOnAnalysedPerson, type DiagnosticsLevel, type Timings } from '../classic/tryon.ts';
import { PartLabel, type PersonAnalysis } from '../classic/types.ts';
import { resizeRaster } from '../../vision/resample.ts';
import { dilateMask, intersectMask, resizeMask } from '../classic/render/masks.ts';
import { closeGarmentGaps, type GapGround, guidanceKeptDetail, guidanceOpacity, keepPhotoDetail, keepPhotoDetailWhere, recolourRimBeside, relaxResultSeam, relaxSeam } from './blend.ts';
import { describeShot, drawProductShot } from './product-shot/index.ts';
import { drawnHemHalfS, placedAsSkirt, skirtLengthS } from './product-shot/geometry.ts';
import { drawHood } from './hood.ts';
import { drawRollCollar } from './roll-collar.ts';
import { drawStraps, takeOffShotStraps } from './straps.ts';
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
  // "Make it red" on a person in a dress recolours the whole dress, not its bodice.
  let spec = resolveSpec(requested, person);
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

/** Fabrics whose roll collar shows rib lines. */
const RIBBED_MATERIALS = new Set(['knit', 'wool', 'cashmere', 'jersey', 'fleece']);

/**
 * A top or dress with a high (turtle, mock, funnel) neck: its collar is a tube up the neck.
 * Outerwear's high neck is a zipped stand collar, open or closed as it is drawn: not a roll.
 */
export function wearsRollCollar(spec: GarmentSpec): boolean {
  return spec.mode === 'new' && spec.neckline === 'high' && (spec.form === 'top' || spec.form === 'dress') && !isOuterwear(spec);
}

/** A new jacket, coat or vest with a high neck: a zipped stand collar. */
export function wearsStandCollar(spec: GarmentSpec): boolean {
  return spec.mode === 'new' && spec.neckline === 'high' && isOuterwear(spec);
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

/** Lower garment first, then the upper one hanging over it (see the header); a full-body garment alone. */
const PASS_ORDER = { lower_body: 0, dresses: 1, upper_body: 2 } as const;

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
   * (on the photo at analysis resolution, or in the product shot's own frame when there is one),
   * where its pass drew it (full resolution; a later pass may cover part) and its product shot.
   */
  garments: Array<{ spec: GarmentSpec; palette: TexturePalette; albedo: Raster; newGarment?: Mask; productShot?: Raster }>;
}

/**
 * The spec actually drawn for a requested one on this person: "make it red" on a dress recolours
 * the dress; a recolour of a garment the person does not wear draws a plain one instead.
 */
export function resolveSpec(requested: GarmentSpec, person: PersonAnalysis): GarmentSpec {
  let spec = requested;
  if (spec.mode === 'recolor' && spec.category === 'upper_body' && person.wearsOnePiece) spec = { ...spec, category: 'dresses', form: 'dress' };
  if (spec.mode === 'recolor' && labelShare(person, spec.category) < MIN_RECOLOR_SHARE) spec = fallbackSpec(spec);
  return spec;
}

/** Least pose confidence for a knee or ankle to say where the legs are. */
const LEG_JOINT_MIN_SCORE = 0.3;
/** Where the current garment's hem is, as a share of the way from the knee to the ankle, from which a dress or skirt is drawn midi / maxi. */
const MIDI_FROM = 0.25;
const MAXI_FROM = 0.6;
/** Where a midi skirt's hem lies, as a share of the way from the knee to the ankle: mid-calf. */
const MIDI_SKIRT_AT = 0.45;
/** Share of the current garment's pixels above its hem row (the few lowest labels are strays). */
const HEM_QUANTILE = 0.995;
const DRESS_LENGTHS = ['mini', 'above_knee', 'knee', 'midi', 'maxi'];
/** A fitted dress's length (shoulder widths) is at least its class's (product-shot/geometry.ts) and at most MAX_DRESS_S. */
const MIDI_DRESS_MIN_S = 2.9;
const MAXI_DRESS_MIN_S = 3.5;
const MAX_DRESS_S = 5;
/** Where the old skirt's width is measured: this share of the way up from its hem to the hips (clear of a slanting hem seen from the side). */
const OLD_HEM_WIDTH_AT = 0.3;
/** Half the hips' width of a drawn dress or skirt, in shoulder widths (product-shot/geometry.ts). */
const HIP_HALF_S = 0.5;
/**
 * Outward slope of the old skirt (px per px below the hips) from which the new one is drawn
 * a-line / flared. The cuts' own slopes are 0.06, 0.22 and 0.42, but the try-on fits a skirt's
 * width towards the legs below the hips, so the thresholds sit low: a flared maxi skirt measured
 * 0.32 (econ) and only a flared dress covered it.
 */
const A_LINE_FROM = 0.1;
const FLARED_FROM = 0.25;
/** The shot's shoulder points lie this far (shoulder widths) below the top of its neckline, from which its length counts. */
const SHOULDER_LINE_BELOW_NECK = 0.09;

/** The pose's keypoint `name` when its score is at least `minScore`; otherwise undefined. */
function poseJoint(person: PersonAnalysis, name: string, minScore: number): PersonAnalysis['pose']['keypoints'][number] | undefined {
  const k = person.pose.keypoints.find((p) => p.name === name);
  return k && k.score >= minScore ? k : undefined;
}

/**
 * A new dress or skirt covers the person's current long skirt or dress: drawn midi or maxi as far
 * down as that one reaches. Shorter, it bared the legs and the floor behind the old skirt, which
 * the classic engine cannot rebuild (a fog of backdrop, stick legs: every 1 of the last rating).
 * Never shorter than the type's own length. A said shorter length ("a leather mini skirt", "a
 * floral midi skirt") is drawn long too: a mini over stick legs and an orphaned sandal was broken
 * (1), and a skirt is still a skirt; the README says so (Limits).
 */
export function lengthCoveringCurrent(spec: GarmentSpec, person: PersonAnalysis, body: BodyFrame): GarmentSpec {
  const onePiece = spec.form === 'jumpsuit' || spec.form === 'overalls';
  if (spec.mode !== 'new' || (spec.form !== 'dress' && spec.form !== 'skirt' && spec.form !== 'trousers' && !onePiece)) return spec;
  const joint = (name: string): number | undefined => poseJoint(person, name, LEG_JOINT_MIN_SCORE)?.y;
  const sides = (['left', 'right'] as const)
    .map((s) => ({ knee: joint(`${s}_knee`), ankle: joint(`${s}_ankle`) }))
    .filter((s): s is { knee: number; ankle: number } => s.knee !== undefined && s.ankle !== undefined && s.ankle > s.knee);
  if (sides.length === 0) return spec;
  const kneeY = sides.reduce((a, s) => a + s.knee, 0) / sides.length;
  const ankleY = sides.reduce((a, s) => a + s.ankle, 0) / sides.length;
  if (spec.form === 'trousers') return trousersOverSkirt(spec, person, body, kneeY, ankleY);
  if (onePiece) return onePieceLegsOverSkirt(spec, person, body, kneeY, ankleY);
  const covering = coverLongGarment(spec, person, body, kneeY, ankleY);
  let fitted = covering?.spec ?? spec;
  // A dress of open length on a person in full-length trousers is a maxi dress: at its type's knee
  // length it bared shins the classic engine paints as flat slabs under the hem, and on a tall,
  // narrow-shouldered figure hung to mid-calf (lhm's red and little black dresses, 2s).
  const lower = covering ? null : currentLowerHem(person, kneeY, ankleY);
  if (fitted.form === 'dress' && !fitted.lengthSaid && lower?.twoLegs && lower.t >= MAXI_FROM) fitted = { ...fitted, length: 'maxi' };
  // A skirt is placed at the scale of its waistband, which a turned body shows narrower than it
  // is: the pass measures where the try-on put its hem and draws it again longer (fitToCover).
  // A chosen maxi skirt ended at the knees over the old maxi skirt, a said midi one at the knees
  // too (econ). A midi reaches mid-calf (MIDI_SKIRT_AT), a maxi the ankles, at least.
  if (fitted.form === 'skirt' && (covering || fitted.length === 'maxi' || fitted.length === 'midi')) {
    const classHem = fitted.length === 'maxi' ? ankleY : fitted.length === 'midi' ? kneeY + MIDI_SKIRT_AT * (ankleY - kneeY) : 0;
    return { ...fitted, hemY: Math.max(covering?.hem ?? 0, classHem), ...(covering?.oldHemHalf !== undefined ? { oldHemHalf: covering.oldHemHalf } : {}) };
  }
  if (fitted.length !== 'maxi' && !covering) return fitted;
  // A dress is placed at the scale of the shoulder line, which a turned body shows narrower than
  // it is: drawn to reach the old hem (or, maxi, the ankles) at that scale, in shoulder widths
  // from the shoulder line. A said "maxi dress" came out at mid-calf on a turned woman.
  const hemTarget = Math.max(covering?.hem ?? 0, fitted.length === 'maxi' ? ankleY : 0);
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  const reach = (hemTarget - shoulderY) / Math.max(1, body.shoulderWidth) + SHOULDER_LINE_BELOW_NECK;
  const classLength = fitted.length === 'maxi' ? MAXI_DRESS_MIN_S : MIDI_DRESS_MIN_S;
  return { ...fitted, lengthS: Math.min(MAX_DRESS_S, Math.max(classLength, reach)), ...(covering?.oldHemHalf !== undefined ? { oldHemHalf: covering.oldHemHalf } : {}) };
}

/** Least pose confidence for an elbow or wrist to say where a forearm lies. */
const ARM_JOINT_MIN_SCORE = 0.3;
/**
 * Where along each forearm (0 the elbow, 1 the wrist) the current sleeve is looked for: its lower
 * half, clear of the elbow's crease, short of the hand.
 */
const FOREARM_SAMPLES = [0.45, 0.55, 0.65, 0.75, 0.85];
/**
 * Share of a forearm's samples on the current top (of those on the top or on bare arm) from which
 * that arm counts as sleeved: a sleeve reaching past the forearm's middle (econ's right cuff ends
 * at about 0.6 of the way to the wrist, two samples of five) is covered by a long one, a short
 * sleeve's bare forearm is not.
 */
const SLEEVED_FROM = 0.4;

/**
 * A new dress whose sleeves the prompt leaves open ("a red dress", "a little black dress": short by
 * the type) gets long sleeves on a person whose current top covers the forearms. Short, it bared
 * forearms the classic engine can only paint as flat flesh slabs, and the hands in front of them
 * were lost (econ, imag, lhm: 2s); long sleeves lie on the arms as a sweater's or a coat's do. A
 * said sleeve ("short-sleeved", "sleeveless", a slip or wrap dress's own) is kept, and so is the
 * type's on bare or hidden forearms.
 */
export function sleevesCoveringCurrent(spec: GarmentSpec, person: PersonAnalysis): GarmentSpec {
  if (spec.mode !== 'new' || spec.form !== 'dress' || spec.sleeveSaid || spec.sleeve === null || spec.sleeve === 'long') return spec;
  return armsInCurrentTop(person, 'elbow', 'wrist', FOREARM_SAMPLES) ? { ...spec, sleeve: 'long' } : spec;
}

/**
 * Whether the person's current top covers the arms between the pose's `from` and `to` joints: on
 * at least one arm SLEEVED_FROM of the `samples` (shares of the way from `from` to `to`) lie on
 * the top (of those on the top or on bare arm), and on no arm fewer. An arm the pose cannot place,
 * or one behind the body, in a pocket or under hair (no sample on the top or on skin), says nothing.
 */
function armsInCurrentTop(person: PersonAnalysis, from: 'shoulder' | 'elbow', to: 'elbow' | 'wrist', samples: readonly number[]): boolean {
  const { labels, width, height } = person.parsing;
  const joint = (name: string) => poseJoint(person, name, ARM_JOINT_MIN_SCORE);
  let sleeved = 0;
  let bare = 0;
  for (const side of ['left', 'right'] as const) {
    const a = joint(`${side}_${from}`);
    const b = joint(`${side}_${to}`);
    if (!a || !b) continue;
    let onTop = 0;
    let onSkin = 0;
    for (const t of samples) {
      const x = Math.round(a.x + t * (b.x - a.x));
      const y = Math.round(a.y + t * (b.y - a.y));
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const label = labels[y * width + x];
      if (label === PartLabel.UpperGarment) onTop++;
      else if (label === PartLabel.LowerArm || label === PartLabel.UpperArm) onSkin++;
    }
    if (onTop + onSkin === 0) continue;
    if (onTop >= SLEEVED_FROM * (onTop + onSkin)) sleeved++;
    else bare++;
  }
  return sleeved > 0 && bare === 0;
}

/**
 * Where along each upper arm (0 the shoulder, 1 the elbow) the current top is looked for: clear of
 * the shoulder's seam and of the elbow's crease.
 */
const UPPER_ARM_SAMPLES = [0.35, 0.45, 0.55, 0.65, 0.75, 0.85];

/**
 * A new sleeveless garment (a camisole, a tank top, a slip dress, a sundress, a sleeveless
 * jumpsuit) on a person whose current top covers the upper arms (a t-shirt's, a shirt's or a
 * sweater's sleeves: at least SLEEVED_FROM of an upper arm's samples on the top, no arm bare) is
 * worn over that top: the pass keeps the top round the new garment, as overalls keep it round
 * their bib. Taken off, the top left bared shoulders, chest and arms the classic engine can only
 * paint as one flesh slab in the old top's shape (the sleeves' width standing off the arms, the old
 * collar's outline), on every model in a sleeved top (1s and 2s); a slip dress or camisole over a
 * tee or a shirt is a worn look, the garment asked for in its shape, colour and fabric. Not on a
 * person in a one-piece garment (the whole dress would stay beside and below the new one), and not
 * for outerwear (laid over the kept top already) or overalls (kept the same way already).
 */
export function wornOverSleevedTop(spec: GarmentSpec, person: PersonAnalysis): boolean {
  if (spec.mode !== 'new' || spec.sleeve !== 'none' || isOuterwear(spec) || person.wearsOnePiece) return false;
  if (spec.form !== 'top' && spec.form !== 'dress' && spec.form !== 'jumpsuit') return false;
  return armsInCurrentTop(person, 'shoulder', 'elbow', UPPER_ARM_SAMPLES);
}

/**
 * The upper chest a scoop neckline (0.26 S deep from the neck's top, about 0.17 S below the
 * shoulder points, 0.44 S wide) or a v (0.4 S) would bare, in shoulder widths S from the middle of
 * the shoulder line: CHEST_DEPTH_S down it, CHEST_HALF_WIDTH_S either side, sampled every
 * CHEST_STEP_S.
 */
const CHEST_DEPTH_S = [0.04, 0.24];
const CHEST_HALF_WIDTH_S = 0.2;
const CHEST_STEP_S = 0.02;
/**
 * Share of that area's samples on bare skin (neck, chest; of those on skin or on the current top)
 * from which the person counts as showing an open neckline: an open collar's V (baumu: about a
 * quarter of it) or a scoop. A buttoned shirt's sliver at its top button (econ: 0.04) or a crew
 * neck (lhm: none) is covered.
 */
const BARE_CHEST_FROM = 0.1;
/** Necklines a type carries that bare the upper chest (a dress, a top, a tank top, a blouse, a tunic, a jumpsuit). */
const LOW_NECKLINES = new Set(['scoop', 'v']);

/**
 * A new top, dress or jumpsuit whose neckline the prompt leaves open ("a red dress", "a little
 * black dress", "a black tank top": scoop by the type; a blouse's or jumpsuit's v) gets a crew
 * neckline on a person whose current top covers the upper chest (a sweater, a buttoned shirt: less than
 * BARE_CHEST_FROM of it bare).
 * Scooped, it bared a chest and neck the classic engine can only paint as one pale flat slab from
 * the chin down to the neckline, over where a sweater and a shirt collar were (lhm's red and
 * little black dresses, econ's and imag's: 2s); a crew neck bares no more than the old collar did.
 * A said neckline ("v-neck", "scoop neck", a slip or sundress's straps, a bodycon's scoop) is
 * kept, and so is the type's on a chest the person shows bare. Outerwear is laid over the kept
 * top, whose own neckline shows in its V: not changed.
 */
export function necklineCoveringCurrent(spec: GarmentSpec, person: PersonAnalysis): GarmentSpec {
  if (spec.mode !== 'new' || spec.necklineSaid || isOuterwear(spec) || !LOW_NECKLINES.has(spec.neckline ?? '')) return spec;
  if (spec.form !== 'top' && spec.form !== 'dress' && spec.form !== 'jumpsuit') return spec;
  const { labels, width, height } = person.parsing;
  const joint = (name: string) => poseJoint(person, name, ARM_JOINT_MIN_SCORE);
  const l = joint('left_shoulder');
  const r = joint('right_shoulder');
  if (!l || !r) return spec;
  const shoulderWidth = Math.hypot(l.x - r.x, l.y - r.y);
  // Down the perpendicular to the shoulder line from its middle (a tilted body's front middle).
  const down = { x: -(l.y - r.y) / Math.max(1, shoulderWidth), y: (l.x - r.x) / Math.max(1, shoulderWidth) };
  if (down.y < 0) [down.x, down.y] = [-down.x, -down.y];
  const across = { x: -down.y, y: down.x };
  const cx = (l.x + r.x) / 2;
  const cy = (l.y + r.y) / 2;
  let onTop = 0;
  let onSkin = 0;
  for (let d = CHEST_DEPTH_S[0]; d <= CHEST_DEPTH_S[1] + 1e-9; d += CHEST_STEP_S) {
    for (let a = -CHEST_HALF_WIDTH_S; a <= CHEST_HALF_WIDTH_S + 1e-9; a += CHEST_STEP_S) {
      const x = Math.round(cx + (down.x * d + across.x * a) * shoulderWidth);
      const y = Math.round(cy + (down.y * d + across.y * a) * shoulderWidth);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const label = labels[y * width + x];
      if (label === PartLabel.UpperGarment) onTop++;
      else if (label === PartLabel.TorsoSkin || label === PartLabel.Neck) onSkin++;
    }
  }
  // Nothing of the top or skin there (hair, hands, a turned body): the photo says nothing.
  if (onTop + onSkin === 0) return spec;
  return onSkin < BARE_CHEST_FROM * (onTop + onSkin) ? { ...spec, neckline: 'crew' } : spec;
}

/**
 * The person's current long skirt or dress: its hem row (the row above which HEM_QUANTILE of its
 * pixels lie) and where that lies from the knee (0) to the ankle (1); null when there is none
 * (trousers: two legs at the knees, or no lower garment at all).
 */
function currentLongHem(person: PersonAnalysis, kneeY: number, ankleY: number): { hem: number; t: number } | null {
  const current = currentLowerHem(person, kneeY, ankleY);
  // Trousers are two legs at the knees: the classic engine draws the legs a shorter garment bares.
  // Only a skirt or dress (one piece across the knees) is covered.
  return current && !current.twoLegs ? current : null;
}

/**
 * The person's current lower (or one-piece) garment: its hem row (the row above which
 * HEM_QUANTILE of its pixels lie), where that lies from the knee (0) to the ankle (1), and whether
 * it is two legs at the knees (trousers); null when there is none.
 */
function currentLowerHem(person: PersonAnalysis, kneeY: number, ankleY: number): { hem: number; t: number; twoLegs: boolean } | null {
  const { labels, width, height } = person.parsing;
  const perRow = new Int32Array(height);
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === PartLabel.LowerGarment || (person.wearsOnePiece && labels[i] === PartLabel.UpperGarment)) {
      perRow[Math.floor(i / width)]++;
      total++;
    }
  }
  if (total === 0) return null;
  let hem = 0;
  for (let y = 0, seen = 0; y < height; y++) {
    seen += perRow[y];
    if (seen >= HEM_QUANTILE * total) {
      hem = y;
      break;
    }
  }
  return { hem, t: (hem - kneeY) / (ankleY - kneeY), twoLegs: legRuns(person, Math.round(kneeY)) >= 2 };
}

/**
 * The old skirt's spread near its hem: its half-width (analysis px) OLD_HEM_WIDTH_AT of the way up
 * from its hem to the hips, and its outward slope below the hips (px per px) against a drawn
 * skirt's hips (HIP_HALF_S at the placement's scale); undefined when the row shows no person.
 */
function oldSkirtSpread(person: PersonAnalysis, body: BodyFrame, hem: number): { half: number; slope: number } | undefined {
  const row = Math.round(hem - OLD_HEM_WIDTH_AT * (hem - body.hip.l.y));
  // The person's outline there, not the garment labels: the parsing loses a wide skirt's far
  // flare to the backdrop (econ: labels 196-493, the skirt 175-570).
  const span = solidSpan(person.personMask, row);
  if (!span) return undefined;
  const [l, r] = span;
  const hipY = (body.hip.l.y + body.hip.r.y) / 2;
  // The shot's hips are half a shoulder width either side at the placement's scale.
  const slope = row <= hipY ? 0 : ((r - l) / 2 - HIP_HALF_S * body.shoulderWidth) / (row - hipY);
  // The new garment hangs centred on the hips: to cover a skirt that swings to one side (a turned
  // or walking figure), it reaches as far as the skirt's farther side. Half the skirt's own width
  // left its far side as the classic engine's fill of the floor (econ: a fog right of the hem).
  const hipX = (body.hip.l.x + body.hip.r.x) / 2;
  return { half: Math.max(hipX - l, r - hipX, (r - l) / 2), slope };
}

/**
 * Said cuts that flare from the hips: over a long flared skirt such a dress or skirt is still drawn
 * as wide near its hem as the old one. Kept at its cut's own width, the placement fitted "a mustard
 * A-line skirt" to the legs: a narrow column in a fog of backdrop (econ).
 */
const FLARING_CUTS = new Set(['a_line', 'flared']);
/**
 * Said cuts narrower than the hips (a pencil skirt; a bodycon or sheath dress) give way over a long
 * flared skirt as an open cut does, as a said skinny cut of trousers does (trousersOverSkirt):
 * kept narrow, "a red pencil skirt" on econ was a long column in a fog of backdrop and stick legs
 * where the old skirt flared, with an orphaned sandal (2). The garment stays a skirt or dress in
 * its colour, print and material.
 */
const NARROW_CUTS = new Set(['pencil', 'skinny']);

/**
 * The spec lengthened (where its length is open) and widened (where its cut is open and it is, or
 * is made, midi or maxi) to cover the person's current long skirt or dress, with that garment's
 * hem row when it was lengthened to reach it; null when there is none to cover (trousers, a short
 * skirt) or nothing changes. A said "floral maxi dress" or "floral midi skirt" keeps its length
 * but not a straight cut: drawn straight over a flared maxi skirt it stood in a fog of backdrop
 * where the old skirt flared (econ).
 */
function coverLongGarment(spec: GarmentSpec, person: PersonAnalysis, body: BodyFrame, kneeY: number, ankleY: number): { spec: GarmentSpec; hem?: number; oldHemHalf?: number } | null {
  const current = currentLongHem(person, kneeY, ankleY);
  if (!current) return null;
  const { hem, t } = current;
  const needed = t >= MAXI_FROM ? 'maxi' : t >= MIDI_FROM ? 'midi' : null;
  if (!needed) return null;
  const longer = DRESS_LENGTHS.indexOf(needed) > DRESS_LENGTHS.indexOf(spec.length);
  const length = longer ? needed : spec.length;
  const cutOpen = !spec.cutSaid || (spec.style !== null && INCIDENTAL_CUT_STYLES.has(spec.style)) || NARROW_CUTS.has(spec.cut);
  // (`length` is midi or maxi here: lengthened to `needed`, or already as long.)
  const wider = cutOpen || FLARING_CUTS.has(spec.cut);
  if (!longer && !wider) return null;
  // As wide as the old skirt near its hem, where the cut is open or flares: a flared maxi skirt's
  // sides otherwise stay as the classic engine's fill of the backdrop beside the new one. A said
  // cut is kept (an A-line skirt is only drawn wider at its hem).
  let cut = spec.cut;
  let oldHemHalf: number | undefined;
  if (wider) {
    const spread = oldSkirtSpread(person, body, hem);
    const slope = spread?.slope ?? 0;
    if (cutOpen && slope > FLARED_FROM) cut = 'flared';
    else if (cutOpen && slope > A_LINE_FROM && (cut === 'straight' || cut === 'pencil' || cut === 'skinny')) cut = 'a_line';
    oldHemHalf = spread?.half;
  }
  return { spec: { ...spec, length, cut }, ...(longer ? { hem } : {}), ...(oldHemHalf !== undefined ? { oldHemHalf } : {}) };
}

/**
 * Full-length trousers on a person in a long skirt or dress (its hem at mid-calf or lower): drawn
 * as wide legs that touch down to a short split at the hem, to the ankles (or the old hem, if
 * lower) and as wide as the old skirt near its hem (`overSkirt`, placed as a skirt is). Narrow
 * trousers there left the old skirt's place to the classic engine, which cannot rebuild legs and
 * floor behind a long skirt: trouser legs in torn flaps over a fog of backdrop, stick legs (the 1s
 * of the last rating, econ). A said skinny or pencil cut is drawn so too: skinny jeans kept skinny
 * were torn black flaps over stick legs (1), and wide jeans are still jeans. Leggings are left as
 * asked: wide legs would not be leggings.
 */
function trousersOverSkirt(spec: GarmentSpec, person: PersonAnalysis, body: BodyFrame, kneeY: number, ankleY: number): GarmentSpec {
  if (spec.length !== 'full' || spec.type === 'leggings') return spec;
  const current = currentLongHem(person, kneeY, ankleY);
  if (!current || current.t < MIDI_FROM) return spec;
  const spread = oldSkirtSpread(person, body, current.hem);
  // Legs as full as the old skirt's flare (the thresholds of coverLongGarment's cuts).
  const slope = spread?.slope ?? 0;
  const cut = slope > FLARED_FROM ? 'wide' : slope > A_LINE_FROM ? 'a_line' : 'straight';
  return { ...spec, overSkirt: true, cut, hemY: Math.max(current.hem, ankleY), ...(spread ? { oldHemHalf: spread.half } : {}) };
}

/**
 * A full-length jumpsuit or overalls on a person in a long skirt or dress (its hem at mid-calf or
 * lower): drawn with wide legs that touch down to a short split at the hem, as trousers are there
 * (trousersOverSkirt), from its bodice or bib (placed by the shoulders, as a dress is) to the
 * ankles or the old hem, if lower, and as wide as the old skirt near its hem. With trouser legs,
 * the classic engine put them on over stick legs it drew where the skirt was, with the old skirt's
 * flare left as a fog of backdrop round them: econ's denim overalls were a balloon above the knees
 * over bare stick legs and an orphaned sandal (1). A romper or shortalls keep their shorts (Limits).
 */
function onePieceLegsOverSkirt(spec: GarmentSpec, person: PersonAnalysis, body: BodyFrame, kneeY: number, ankleY: number): GarmentSpec {
  if (spec.length !== 'full') return spec;
  const current = currentLongHem(person, kneeY, ankleY);
  if (!current || current.t < MIDI_FROM) return spec;
  const spread = oldSkirtSpread(person, body, current.hem);
  const slope = spread?.slope ?? 0;
  const cut = slope > FLARED_FROM ? 'wide' : slope > A_LINE_FROM ? 'a_line' : 'straight';
  // In shoulder widths from the shoulder line, as a dress's length (lengthCoveringCurrent).
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  const reach = (Math.max(current.hem, ankleY) - shoulderY) / Math.max(1, body.shoulderWidth) + SHOULDER_LINE_BELOW_NECK;
  return { ...spec, overSkirt: true, cut, lengthS: Math.min(MAX_DRESS_S, Math.max(MAXI_DRESS_MIN_S, reach)), ...(spread ? { oldHemHalf: spread.half } : {}) };
}

/**
 * Shortfall of a placed skirt's hem from its target row (GarmentSpec.hemY), as a share of the
 * target's distance below the waistband, above which the skirt is drawn again longer; likewise of
 * a dress's or skirt's half-width near its hem from the old skirt's, for drawing it wider. A few
 * per cent is the warp's and the hem curve's own play.
 */
const SKIRT_REFIT_SHORTFALL = 0.06;
/** Longest skirt drawn (shoulder widths from the waistband): past the ankles on any build; the classic placement stops the hem above the floor. */
const MAX_SKIRT_S = 4.5;

/** First row and HEM_QUANTILE row of a pass's new garment (full resolution), or null when it drew none. */
function placedRows(newGarment: Mask): { top: number; hem: number } | null {
  const { width, height, data } = newGarment;
  const perRow = new Int32Array(height);
  let total = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < NEW_GARMENT_SOLID) continue;
    perRow[Math.floor(i / width)]++;
    total++;
  }
  if (total === 0) return null;
  let top = -1;
  for (let y = 0, seen = 0; y < height; y++) {
    if (top < 0 && perRow[y] > 0) top = y;
    seen += perRow[y];
    if (seen >= HEM_QUANTILE * total) return { top, hem: y };
  }
  return { top, hem: height - 1 };
}

/** Widest dress or skirt hem drawn, half-width in shoulder widths: a full circle skirt laid flat. */
const MAX_SKIRT_HEM_HALF_S = 2.6;

/**
 * The dress or skirt (or trousers over a skirt) drawn again to cover what it is to cover, from where
 * the try-on put the first one: a skirt long enough to reach its target row (GarmentSpec.hemY, analysis px) and, where the
 * cut is open (GarmentSpec.oldHemHalf), either garment as wide near its hem as the old skirt; null when it
 * already does (or drew nothing). The placement scales the garment rigidly (a skirt by its
 * waistband, a dress by its shoulders), so the placed length is proportional to the drawn one, and
 * fits its width to the legs' plus half the drawn excess (classic placement fitHalf), so a
 * shortfall in width takes twice as much more drawn width.
 */
export function fitToCover(spec: GarmentSpec, newGarment: Mask, analysisHeight: number): GarmentSpec | null {
  // Trousers over a long skirt (overSkirt) are placed as a skirt is: by their waistband.
  const skirtLike = placedAsSkirt(spec);
  // A jumpsuit or overalls over a long skirt is widened as a dress is (placed by the shoulders).
  if (!skirtLike && spec.form !== 'dress' && !spec.overSkirt) return null;
  if (spec.hemY === undefined && spec.oldHemHalf === undefined) return null;
  const rows = placedRows(newGarment);
  if (!rows) return null;
  const toAnalysis = analysisHeight / newGarment.height;
  const top = rows.top * toAnalysis;
  const placed = rows.hem * toAnalysis - top;
  if (placed <= 0) return null;
  const lengthS = skirtLike ? skirtLengthS(spec) : (spec.lengthS ?? 0);
  if (lengthS <= 0) return null;
  const wanted = spec.hemY === undefined ? placed : spec.hemY - top;
  const longer = skirtLike && wanted - placed > SKIRT_REFIT_SHORTFALL * wanted;
  // Analysis px per shoulder width of the shot.
  const scale = placed / lengthS;
  let hemHalfS: number | undefined;
  if (spec.oldHemHalf !== undefined) {
    const row = Math.round(rows.hem - OLD_HEM_WIDTH_AT * (rows.hem - rows.top));
    const run = solidSpan(newGarment, row);
    const shortfall = run ? spec.oldHemHalf - ((run[1] - run[0]) / 2) * toAnalysis : 0;
    if (shortfall > SKIRT_REFIT_SHORTFALL * spec.oldHemHalf) hemHalfS = Math.min(MAX_SKIRT_HEM_HALF_S, drawnHemHalfS(spec) + (2 * shortfall) / scale);
  }
  if (!longer && hemHalfS === undefined) return null;
  return { ...spec, ...(longer ? { lengthS: Math.min(MAX_SKIRT_S, (lengthS * wanted) / placed) } : {}), ...(hemHalfS !== undefined ? { hemHalfS } : {}) };
}

/** First and last solid column of a mask's row, or null. */
function solidSpan(mask: Mask, y: number): [number, number] | null {
  let l = -1;
  let r = -1;
  for (let x = 0; x < mask.width; x++) {
    if (mask.data[y * mask.width + x] < NEW_GARMENT_SOLID) continue;
    if (l < 0) l = x;
    r = x;
  }
  return l < 0 ? null : [l, r];
}

/**
 * Styles whose cut is only their usual one, not what they are named for: over a long flared skirt
 * a slip dress or a sundress is drawn as wide as the old skirt near its hem (a straight slip dress
 * stood in a fog of backdrop where the old skirt flared, econ). A pencil skirt, a bodycon or an
 * a-line dress keeps its cut.
 */
const INCIDENTAL_CUT_STYLES = new Set(['slip', 'shift', 'sundress', 'shirt', 't-shirt', 'sweater']);

/** Gap (analysis px) between two runs of the old garment along a row from which they are two trouser legs. */
const LEG_GAP_PX = 3;

/** Runs of the person's current lower (or one-piece) garment along row y, gaps under LEG_GAP_PX bridged. */
function legRuns(person: PersonAnalysis, y: number): number {
  const { labels, width, height } = person.parsing;
  if (y < 0 || y >= height) return 0;
  let runs = 0;
  let last = -Infinity;
  for (let x = 0; x < width; x++) {
    const v = labels[y * width + x];
    if (v !== PartLabel.LowerGarment && !(person.wearsOnePiece && v === PartLabel.UpperGarment)) continue;
    if (x - last > LEG_GAP_PX) runs++;
    last = x;
  }
  return runs;
}

/** The person's current upper garment, full resolution: what outerwear is laid over. */
function labelMaskFull(person: PersonAnalysis, label: PartLabel, width: number, height: number): Mask {
  return labelsMaskFull(person, new Set([label]), width, height);
}

/** The person's own parts, which may stand in front of a garment (hair, face, neck, skin, hands, legs, feet). */
const PERSON_LABELS: ReadonlySet<number> = new Set([
  PartLabel.Hair, PartLabel.Face, PartLabel.Neck, PartLabel.TorsoSkin, PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand, PartLabel.Leg, PartLabel.Foot,
]);

/** Where the parsing gives any of `labels`, at full resolution (bilinear from the analysis size). */
function labelsMaskFull(person: PersonAnalysis, labels: ReadonlySet<number>, width: number, height: number): Mask {
  const { width: w, height: h } = person.personMask;
  const mask = { width: w, height: h, data: new Uint8Array(w * h) };
  const parsed = person.parsing.labels;
  for (let i = 0; i < parsed.length; i++) if (labels.has(parsed[i])) mask.data[i] = 255;
  return w === width && h === height ? mask : resizeMask(mask, width, height);
}

/**
 * guidance_scale on a rendered pass (see blend.ts): the photo's own fine detail of the old garment
 * multiplied onto the new one (kept detail), then the new appearance laid over the pass's input
 * at the guidance opacity, inside the repaint mask only.
 */
function applyGuidance(result: EngineResult, before: Raster, original: Raster, guidance: number): void {
  const k = guidanceKeptDetail(guidance);
  const opacity = guidanceOpacity(guidance);
  const { image, repaintMask } = result;
  const newGarment = result.diagnostics?.newGarment;
  const oldGarment = result.diagnostics?.oldGarment;
  if (k > 0 && newGarment && oldGarment) {
    // The new garment inside the repaint mask, detailed in place (keepPhotoDetailWhere).
    // (keepPhotoDetailWhere asks only whether a pixel is covered at all.)
    keepPhotoDetailWhere(image, intersectMask(newGarment, repaintMask), original, oldGarment, k);
  }
  if (opacity < 1) {
    for (let i = 0; i < repaintMask.data.length; i++) {
      if (repaintMask.data[i] === 0) continue;
      for (let c = 0; c < 3; c++) {
        const p = i * 3 + c;
        image.data[p] = Math.round(before.data[p] + opacity * (image.data[p] - before.data[p]));
      }
    }
  }
}

/** Coverage (0..255) from which a pixel of a pass's newGarment mask counts as the new garment. */
const NEW_GARMENT_SOLID = 128;

/**
 * Where the person's old top may show round outerwear: pixels the new garment encloses along
 * their row (garment both left and right of them: the V between lapels, the gap between a short
 * jacket's hem and its hanging sleeves), or below the new garment's lowest pixel in their column
 * when that pixel is itself enclosed along its row (below a short jacket's hem, not below a
 * sleeve's outer edge). What lies outside (an old short sleeve standing out beside the new
 * sleeve, an old collar beyond the new shoulder) is not under the new garment, so it is not kept.
 */
export function underNewGarment(newGarment: Mask): Mask {
  const { width, height, data } = newGarment;
  const first = new Int32Array(height).fill(width);
  const last = new Int32Array(height).fill(-1);
  const lowest = new Int32Array(width).fill(-1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] < NEW_GARMENT_SOLID) continue;
      if (x < first[y]) first[y] = x;
      last[y] = x;
      lowest[x] = y;
    }
  }
  const enclosed = (x: number, y: number): boolean => first[y] < x && x < last[y];
  const out: Mask = { width, height, data: new Uint8Array(width * height) };
  for (let x = 0; x < width; x++) {
    const hemEnclosed = lowest[x] >= 0 && enclosed(x, lowest[x]);
    for (let y = 0; y < height; y++) if (enclosed(x, y) || (hemEnclosed && y > lowest[x])) out.data[y * width + x] = 255;
  }
  return out;
}

/**
 * Layering on a rendered pass: where the person's current garment with `label` was and the new
 * garment is not, the pass's input shows again. Outerwear keeps the top only where it lies under
 * the new garment (`underOnly`, see underNewGarment); overalls keep the whole top round their bib
 * and straps; a long top (a coat, a tunic) keeps the current bottom below and beside its hem.
 */
function keepCurrentUnderPass(result: EngineResult, before: Raster, person: PersonAnalysis, label: PartLabel, underOnly = false, halo?: BodyFrame): void {
  const newGarment = result.diagnostics?.newGarment;
  if (!newGarment) return;
  const { image, repaintMask } = result;
  const top = halo ? keptTopWithHalo(result, person, halo) : labelMaskFull(person, label, image.width, image.height);
  const under = underOnly ? underNewGarment(newGarment) : undefined;
  const kept = new Uint8Array(top.data.length);
  for (let i = 0; i < top.data.length; i++) {
    const keep = Math.min(top.data[i], 255 - newGarment.data[i], under ? under.data[i] : 255);
    if (keep === 0 || repaintMask.data[i] === 0) continue;
    kept[i] = 1;
    for (let c = 0; c < 3; c++) {
      const p = i * 3 + c;
      image.data[p] = Math.round((before.data[p] * keep + image.data[p] * (255 - keep)) / 255);
    }
  }
  // The garment's fading rim over the skin painted beneath it, where the top comes back beside it.
  recolourRimBeside(image, newGarment, (i) => kept[i] === 1, repaintMask, (KEPT_TOP_RIM_PX * image.width) / person.parsing.width);
}

/**
 * How deep (analysis pixels) the classic engine's garment layer fades inside the coverage it
 * reports, over what it painted beneath: measured 3-4 px of skin-tinted garment inside the new
 * garment's mask along lhm's overalls straps (72,61,66 to 127,102,110 on a navy sweater).
 */
const KEPT_TOP_RIM_PX = 4;

/**
 * How far (shoulder widths) round the person's labelled top a kept top reaches into what the
 * classic engine repainted as old garment: its outline's halo (a sleeve's edge against the
 * backdrop, a few px the parsing leaves out). Kept to the labels alone, a sleeveless garment worn
 * over a shirt had a thin line of painted skin all along the kept sleeves' outline (imag).
 */
const KEPT_TOP_HALO_S = 0.04;

/**
 * The person's current top as kept under a sleeveless garment (wornOverSleevedTop), full
 * resolution: its labels grown by KEPT_TOP_HALO_S, within what the pass repainted as old garment,
 * never over the current bottom.
 */
function keptTopWithHalo(result: EngineResult, person: PersonAnalysis, body: BodyFrame): Mask {
  const { width, height } = result.image;
  const lower = labelMaskFull(person, PartLabel.LowerGarment, person.parsing.width, person.parsing.height);
  const grown = dilateMask(labelMaskFull(person, PartLabel.UpperGarment, person.parsing.width, person.parsing.height), Math.max(1, KEPT_TOP_HALO_S * body.shoulderWidth));
  for (let i = 0; i < grown.data.length; i++) if (lower.data[i] !== 0) grown.data[i] = 0;
  const full = grown.width === width && grown.height === height ? grown : resizeMask(grown, width, height);
  const old = result.diagnostics?.oldGarment;
  return old ? intersectMask(full, old) : full;
}

/**
 * Steepest outward slope (px of width per px of height, each side) a full-body garment's outline
 * may take below the hips. A flared skirt's sides are drawn at about 0.42 shoulder widths per
 * shoulder width of length (product-shot/geometry.ts); the classic engine's warp adds a little.
 */
export const MAX_SKIRT_FLARE = 0.6;
/**
 * What the try-on may add to the drawn garment's own flare (ShotLandmarks.flare, px per px: the
 * placement is a similarity, so the slope carries over) before the outline is trimmed. At
 * MAX_SKIRT_FLARE for every garment, a straight wrap dress or trench coat still spread out from
 * the hands into a trapezoid twice its width at the hem.
 */
export const FLARE_MARGIN = 0.15;

/** The outward slope a pass's garment may take below the hips: its own flare plus FLARE_MARGIN, at most MAX_SKIRT_FLARE. */
export function allowedFlare(shotFlare: number | undefined): number {
  return shotFlare === undefined ? MAX_SKIRT_FLARE : Math.min(MAX_SKIRT_FLARE, shotFlare + FLARE_MARGIN);
}

/**
 * Below row `fromY`, trims a full-body garment's outline where it steps outwards faster than
 * `maxFlare` (px a row) from the row above: the pixels beyond that envelope get the pass's input back
 * and leave `newGarment`. The classic engine cuts a long garment's skirt at the line of the arms
 * as far down as the hands reach and lets it out to its full width below them, so a coat, shirt
 * dress or jumpsuit over trousers ended in a box wider than the garment above it (lhm, imag).
 * Pixels over the person's old garments (`oldGarments`) are not trimmed: the input there is the
 * old outfit, which must not come back beside the new garment.
 */
export function trimOutwardSteps(image: Raster, newGarment: Mask, before: Raster, oldGarments: Mask, fromY: number, maxFlare = MAX_SKIRT_FLARE): void {
  const { width, height } = newGarment;
  let left = -1;
  let right = -1;
  for (let y = Math.max(0, Math.round(fromY)); y < height; y++) {
    let l = width;
    let r = -1;
    for (let x = 0; x < width; x++) {
      if (newGarment.data[y * width + x] < NEW_GARMENT_SOLID) continue;
      if (x < l) l = x;
      r = x;
    }
    if (r < 0) continue;
    // The envelope follows the outline inwards at once and lets it out at maxFlare a row.
    left = left < 0 ? l : Math.max(l, left - maxFlare);
    right = right < 0 ? r : Math.min(r, right + maxFlare);
    for (let x = 0; x < width; x++) {
      if (x >= Math.floor(left) && x <= Math.ceil(right)) continue;
      const i = y * width + x;
      if (newGarment.data[i] === 0 || oldGarments.data[i] !== 0) continue;
      newGarment.data[i] = 0;
      image.data.set(before.data.subarray(i * 3, i * 3 + 3), i * 3);
    }
  }
}

/**
 * Widest gap (shoulder widths) through a new garment that is closed with the garment
 * (closeGarmentGaps): the classic engine's slits over the old garment measure 3-15 px at econ's
 * 768 px width (0.02-0.12 S); an arm hanging between a dress's sides is no gap (it is not old
 * garment), nor is the space between two straps (about 0.5 S).
 */
const GARMENT_GAP_MAX_S = 0.14;
/**
 * Widest slit (shoulder widths) closed whatever lies under it: the render's slits along the old
 * skirt's outline are 1-4 px at econ's 768 px width (up to 0.03 S) over what the parsing calls
 * backdrop; a real gap between an arm and the body is wider than 0.05 S (about 2 cm).
 */
const GARMENT_SLIT_S = 0.05;

/**
 * Garments whose body is one closed piece, so a slit through it over the old garment is the
 * render's, not the garment's: tops (not outerwear, whose V and open front show the kept top),
 * skirts and dresses; not trousers, jumpsuits or overalls (the old garment between their legs or
 * round their straps is another matter).
 */
function closesGaps(spec: GarmentSpec): boolean {
  return !isOuterwear(spec) && (spec.form === 'top' || spec.form === 'skirt' || spec.form === 'dress');
}

/** closeGarmentGaps on a pass's result over the person's old garments (their labels), inside the repaint mask. */
function closeGapsOverOld(result: EngineResult, person: PersonAnalysis, body: BodyFrame): void {
  const newGarment = result.diagnostics?.newGarment;
  if (!newGarment) return;
  const { width, height } = result.image;
  // The old garments by their labels and as the render found them (its region reaches over their
  // outline, where the slits run).
  const old = unionInto(unionInto(labelMaskFull(person, PartLabel.UpperGarment, width, height), labelMaskFull(person, PartLabel.LowerGarment, width, height)), result.diagnostics?.oldGarment) as Mask;
  const own = labelsMaskFull(person, PERSON_LABELS, width, height);
  const scale = width / person.parsing.width;
  const over = (i: number): GapGround => (own.data[i] >= 128 ? 'person' : old.data[i] >= 128 ? 'old' : 'other');
  const S = body.shoulderWidth * scale;
  closeGarmentGaps(result.image, newGarment, over, result.repaintMask, GARMENT_GAP_MAX_S * S, GARMENT_SLIT_S * S, KEPT_TOP_RIM_PX * scale);
}

interface PassInput {
  model: Raster;
  person: PersonAnalysis;
  body: BodyFrame;
  rng: Random;
  request: PromptRequest;
  timings: Timings;
  /** The request's arms-in-front mask, worked out on first use (only passes drawn on the body use it). */
  armsInFront: () => Mask;
}

interface PassOutput {
  result: EngineResult;
  spec: GarmentSpec;
  palette: TexturePalette;
  albedo: Raster;
  productShot?: Raster;
}

/**
 * What each pass's render builds: the garment masks always (the blend and the next pass need
 * them), the pixel shares only when the request asks for diagnostics (a transparent input).
 */
function passDiagnostics(request: PromptRequest): DiagnosticsLevel {
  return request.diagnostics ? 'all' : 'garments';
}

/** A recolour, or a garment the classic engine cannot place here: drawn on the body and composited. */
function drawnOnBodyPass(spec: GarmentSpec, input: PassInput): PassOutput {
  const { request, timings } = input;
  const built = timed(timings, 'prompt.layer', () =>
    buildPromptLayer(spec, input.person, input.body, input.rng, request.guidanceScale, request.steps, input.armsInFront()),
  );
  const result = composeIntoPhoto({
    model: input.model,
    person: input.person,
    body: input.body,
    layer: built.layer,
    category: built.spec.category,
    timings,
    opacity: guidanceOpacity(request.guidanceScale),
    // The drawn outline is the prompt engine's (edge relaxation by num_inference_steps).
    exactOutline: true,
    diagnostics: passDiagnostics(request),
  });
  return { result, spec: built.spec, palette: built.palette, albedo: built.albedo };
}

/** A new garment: its product shot, put on by the classic engine's try-on. */
async function productShotPass(spec: GarmentSpec, input: PassInput): Promise<PassOutput> {
  const { request, timings, person } = input;
  // A coat or tunic hangs over the skirt or trousers to its own length: the classic engine draws
  // an upper_body garment only down to the current top's reach (a knee-length trench came out
  // hip-length), so it is put on as a full-body piece and the current bottom kept below its hem.
  const longTop = isLongTop(spec);
  const dress = async (drawn: GarmentSpec) => {
    // The same fork each time: a dress or skirt drawn again (fitToCover) keeps its colours and print.
    const shot = timed(timings, 'prompt.product_shot', () => drawProductShot(drawn, input.rng.fork('product-shot'), person.skin.rgb));
    const result = await tryOnAnalysedPerson(
      // The shot's own coverage is its cut-out: the classic analysis need not find it (no wearer
      // check, no colour segmentation: 0.12-0.17 s of every new garment).
      { model: input.model, garment: shot.photo, garmentCutOut: shot.cutOut, category: longTop ? 'dresses' : drawn.category, garmentDesc: describeShot(drawn) },
      person,
      input.body,
      timings,
      passDiagnostics(request),
    );
    return { shot, result };
  };
  let { shot, result } = await dress(spec);
  const refit = result.diagnostics?.newGarment ? fitToCover(spec, result.diagnostics.newGarment, person.parsing.height) : null;
  if (refit) {
    spec = refit;
    ({ shot, result } = await dress(spec));
  }
  timed(timings, 'prompt.blend', () => {
    if (result.diagnostics?.newGarment && closesGaps(spec)) closeGapsOverOld(result, person, input.body);
    if (isOuterwear(spec)) keepCurrentUnderPass(result, input.model, person, PartLabel.UpperGarment, true);
    // Overalls are worn over a top: the person's own top stays round the bib and straps.
    if (spec.form === 'overalls') keepCurrentUnderPass(result, input.model, person, PartLabel.UpperGarment);
    // So does a sleeveless garment's over a sleeved top (wornOverSleevedTop), with its outline's
    // halo; a strapped one's shot straps are taken off first, so the top comes back where they lay.
    else if (wornOverSleevedTop(spec, person)) {
      if (result.diagnostics?.newGarment && spec.neckline === 'straps') takeOffShotStraps(result.image, result.diagnostics.newGarment, person, input.body, true);
      keepCurrentUnderPass(result, input.model, person, PartLabel.UpperGarment, false, input.body);
    }
    if (longTop) keepCurrentUnderPass(result, input.model, person, PartLabel.LowerGarment);
    const newGarment = result.diagnostics?.newGarment;
    if (newGarment && (longTop || spec.category === 'dresses')) {
      const { width, height } = result.image;
      const old = unionInto(labelMaskFull(person, PartLabel.UpperGarment, width, height), labelMaskFull(person, PartLabel.LowerGarment, width, height)) as Mask;
      const hipY = ((input.body.hip.l.y + input.body.hip.r.y) / 2) * (height / input.body.height);
      trimOutwardSteps(result.image, newGarment, input.model, old, hipY, allowedFlare(shot.marks.flare));
    }
    // A turtleneck's roll stands up the neck, which the classic engine never covers (roll-collar.ts).
    if (newGarment && wearsRollCollar(spec)) {
      drawRollCollar(result.image, newGarment, result.repaintMask, person, input.body, { ribbed: RIBBED_MATERIALS.has(spec.material ?? '') });
    }
    // Outerwear's stand collar (bomber, puffer, parka) is cut there too: drawn as a short band,
    // ribbed unless quilted, zipped at the front.
    if (newGarment && wearsStandCollar(spec)) {
      drawRollCollar(result.image, newGarment, result.repaintMask, person, input.body, { ribbed: spec.material !== 'quilted', stand: true });
    }
    // A hoodie's hood lies round the neck, where the try-on puts neck and chest (hood.ts).
    if (newGarment && spec.type === 'hoodie') drawHood(result.image, newGarment, result.repaintMask, person, input.body);
    applyGuidance(result, input.model, request.model, request.guidanceScale);
    if (newGarment) relaxResultSeam(result.image, newGarment, request.model, result.repaintMask, Math.max(1, Math.round(request.steps)));
    // A camisole's straps land where the classic engine bares the shoulders (straps.ts). Drawn
    // after the seam relaxation, whose band is as wide as a strap and would dissolve it; their own
    // edge is anti-aliased, and guidance's opacity applies to them as to the rest of the garment.
    if (newGarment && spec.neckline === 'straps' && spec.form !== 'overalls') {
      drawStraps(result.image, newGarment, result.repaintMask, person, input.body, guidanceOpacity(request.guidanceScale));
    }
    if (newGarment && spec.neckline === 'off_shoulder' && spec.sleeve === 'none') takeOffShotStraps(result.image, newGarment, person, input.body);
  });
  return { result, spec, palette: shot.palette, albedo: shot.albedo, productShot: shot.photo };
}

/** runPromptEdit with what was drawn, for the eval and tests. */
export async function runPromptEditDetailed(request: PromptRequest): Promise<PromptEditDetails> {
  const timings: Timings = {};
  // Parsed first: a prompt that names nothing applicable is refused before any analysis.
  timed(timings, 'prompt.parse', () => parsePrompt(request.prompt));
  const { person, body } = await analysePersonTimed(request.model, timings);
  return editAnalysedPerson(request, person, body, timings);
}

/** Everything after person analysis; separate so tests can drive it with a drawn, known person. */
export async function editAnalysedPerson(request: PromptRequest, person: PersonAnalysis, body: BodyFrame, timings: Timings = {}): Promise<PromptEditDetails> {
  const parsed = parsePrompt(request.prompt);
  const random = createRandom(request.seed);
  const passes = [...parsed.garments].sort((a, b) => PASS_ORDER[a.category] - PASS_ORDER[b.category]);
  // Arms and body do not move between passes: one arms-in-front mask for the request, and only
  // when a pass drawn on the body asks for it (a product shot's pass never does: the classic
  // try-on finds its own occluders), which saved its 20 ms on every new garment.
  let arms: Mask | undefined;
  const armsInFront = (): Mask => (arms ??= timed(timings, 'prompt.arms', () => armsInFrontMask(person, body)));

  let model = request.model;
  let analysis = person;
  let repaint: Mask | undefined;
  let oldGarment: Mask | undefined;
  let newGarment: Mask | undefined;
  // What each pixel is made of across the passes (alpha kept for transparent inputs, imaging/alpha.ts).
  let shares: RenderShares | undefined;
  const drawn: PromptEditDetails['garments'] = [];
  for (const requested of passes) {
    const spec = lengthCoveringCurrent(necklineCoveringCurrent(sleevesCoveringCurrent(resolveSpec(requested, analysis), analysis), analysis), analysis, body);
    const input: PassInput = { model, person: analysis, body, rng: random.fork(`garment:${requested.category}`), request, timings, armsInFront };
    let pass: PassOutput;
    if (spec.mode === 'recolor') pass = drawnOnBodyPass(spec, input);
    else {
      try {
        pass = await productShotPass(spec, input);
      } catch (error) {
        // The classic engine refuses what it cannot place (a lower-body garment on a photo that
        // shows no hips): the garment is drawn on the extrapolated body instead.
        if (!(error instanceof EngineInputError)) throw error;
        pass = drawnOnBodyPass(spec, input);
      }
    }
    const { result } = pass;
    drawn.push({ spec: pass.spec, palette: pass.palette, albedo: pass.albedo, newGarment: result.diagnostics?.newGarment, productShot: pass.productShot });
    repaint = unionInto(repaint, result.repaintMask);
    oldGarment = unionInto(oldGarment, result.diagnostics?.oldGarment);
    newGarment = unionInto(newGarment, result.diagnostics?.newGarment);
    const passShares = { backgroundFill: result.diagnostics?.backgroundFill, photoKept: result.diagnostics?.photoKept };
    shares = shares === undefined ? passShares : stackShares(shares, passShares);
    // The next pass renders onto this result, seen at analysis resolution.
    model = result.image;
    const { width, height } = analysis.image;
    analysis = { ...analysis, image: model.width === width && model.height === height ? model : resizeRaster(model, width, height) };
  }
  // parsePrompt never returns an empty list, so there was at least one pass.
  const repaintMask = repaint as Mask;
  return {
    result: { image: model, repaintMask, timings, ...(request.diagnostics ? { diagnostics: { oldGarment, newGarment, ...shares } } : {}) },
    garments: drawn,
  };
}

/** API 2 (Engine.editByPrompt): throws ApiError 10004 when the prompt names nothing applicable. */
export async function runPromptEdit(request: PromptRequest): Promise<EngineResult> {
  return (await runPromptEditDetailed(request)).result;
}
