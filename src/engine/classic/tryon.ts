/**
 * The classic try-on pipeline: understand the person, understand the garment, place the garment on
 * the body, and render it into the photo.
 *
 *   person analysis ─┐
 *                    ├─ body frame ─ placement ─ warp pieces ─ garment layer
 *   garment analysis ┘                                            │
 *   region to repaint = (old garment ∪ new garment) − face, hair, hands, untouched garments
 *   render: fill what the old garment leaves bare (skin / background), borrow the photo's shading,
 *           composite the layer, then merge into the full-resolution photo only inside the region.
 *
 * Every pixel outside the returned repaint mask is the input's own pixel, bit for bit.
 */
import { createMask, createRaster, type FloatMap, type Mask, type Raster } from '../../imaging/raster.ts';
import { labImage, SRGB_TO_LINEAR } from '../../imaging/colour.ts';
import { EngineInputError, type EngineResult, type TryOnRequest } from '../types.ts';
import { distanceToSegment, measureBody, type BodyFrame } from './body/index.ts';
import { armAbsentForPanel, armAbsentMasks } from './body/bare-arm.ts';
import { analyseGarment } from './garment/index.ts';
import { MAX_SLEEVE_RATIO } from './garment/upper.ts';
import { alphaMask, binarise, clipOutsidePolygon, clipWarpMap, closeGapsAlongRows, closeNarrowGaps, dropLayerFragments, growAcrossRowsTo, growLayerInto, labelMask, maskWhere, occlude, SOLID_ALPHA, trimGrownOutline } from './layers.ts';
import { analysePerson, hipsVisible } from './person/index.ts';
import { analysePersonOnce } from './person-cache.ts';
import { skinLikeLab } from './person/skin.ts';
import { handHiddenAt, wholeHands } from './person/hands.ts';
import { armArc, fallbackPlacement, legsBent, placeGarment, restsOnShoulders, type Placement, type PlacementHints } from './placement/index.ts';
import { compositeOver, drawsLayerAtOutput, layerOver, matchNoise, mergeIntoPhoto, smoothOutline } from './render/composite.ts';
import { backdropEdges, backdropTexture, blendSeamsWithSeenSkin, fillBackground, fillSkin, STRUCTURED_BACKDROP_EDGES } from './render/fill.ts';
import { finalShares, renderShares, type PixelShares } from './render/shares.ts';
import { inpaintPatches, transferDetail } from './synthesis/inpaint.ts';
import { continueSeenArms } from './render/arm-continuation.ts';
import { dilateMask, featherMask, intersectMask, labelComponents, resizeMask, squaredDistanceToSet, strandedByBackdrop, subtractMask, unionMask } from './render/masks.ts';
import { neighbours4 } from './person/grid.ts';
import { applyShading, castShadowBelow, darken, shadingByDetail, shadingContrast, silhouetteShading } from './render/shading.ts';
import { armsAtHem, bareSkinModel, bodySkinTone, BODY_SKIN_DETAIL_LABELS, skinTextureSource, capsuleSegments, limbCoordinates, limbSkinTone, litFaceTone, type LimbCoordinates, roundLimbs, seenForearms, seenSkinSaturation, seenSkinTone, shadeUnderGarment, sideLightFromFace } from './render/bare-skin.ts';
import { bodyGeometry } from './person/geometry.ts';
import { bottomOutOfSight, hipsBesideTrousers, legSkinBesideTrousers, shoesParsedAsBottom, trousersUnderTop } from './render/kept-trousers.ts';
import { bottomUnderTopHem, hemStripReach, skinInsideTop, topAboveBottom } from './render/kept-top.ts';
import { oldGarmentRegion } from './render/garment-region.ts';
import { PartLabel, type GarmentAnalysis, type PersonAnalysis, type Point } from './types.ts';
import { tpsWarpMap } from './warp/backward-map.ts';
import { sampleRgba } from './warp/sample.ts';
import { fitTps } from './warp/tps.ts';

export type Timings = Record<string, number>;

export function timed<T>(timings: Timings, name: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    timings[name] = (timings[name] ?? 0) + (performance.now() - start);
  }
}

export async function timedAsync<T>(timings: Timings, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = (timings[name] ?? 0) + (performance.now() - start);
  }
}

/**
 * Least alpha (0-255) of a layer pixel under which the old garment is not refilled: at 250 at
 * most 2 % of what lies under it shows through; at the solid threshold (200) up to 22 %, and the old
 * garment under the layer's soft outline stayed as a line of its colour along the new one's edge.
 */
const OPAQUE_ALPHA = 250;

/** Parsing labels that the garment of each category replaces. */
const OLD_LABELS = {
  upper_body: [PartLabel.UpperGarment],
  lower_body: [PartLabel.LowerGarment],
  dresses: [PartLabel.UpperGarment, PartLabel.LowerGarment],
} as const;

/** Labels never repainted, per category (ENGINE-NOTES: face, hair, hands, shoes; the other garment). */
const PROTECTED_LABELS = {
  // The kept bottom is not protected from a top: the top hangs over it (hangOverLowerGarment).
  upper_body: [PartLabel.Face, PartLabel.Hair, PartLabel.Hand, PartLabel.Foot, PartLabel.Accessory],
  lower_body: [PartLabel.Face, PartLabel.Hair, PartLabel.Hand, PartLabel.UpperGarment, PartLabel.Foot, PartLabel.Accessory, PartLabel.UpperArm, PartLabel.LowerArm],
  dresses: [PartLabel.Face, PartLabel.Hair, PartLabel.Hand, PartLabel.Foot, PartLabel.Accessory],
} as const;

/**
 * Arms are in front of a garment's body panel (hanging at the sides or crossing the torso); sleeves
 * are drawn over the arms they dress. Trousers and skirts are behind the hands only.
 */
export function armsInFrontMask(person: PersonAnalysis, body: BodyFrame, absent = armAbsentForPanel(body, person.parsing.labels, person.personMask, armsInFrontFromY(body))): Mask {
  // Above the armpits the arm root is under the garment's armhole (the sleeve covers it), so only
  // the arm below the armpit line can be in front of the body panel.
  const armpitY = armsInFrontFromY(body);
  // Where a bare arm's cross-section shows the torso beside the arm, the panel is in front.
  const { width } = person.personMask;
  // A bare arm's skin the capsule misses is in front too (BodyFrame.onBareArm).
  return maskWhere(person.personMask, (x, y) => y > armpitY && absent.data[y * width + x] === 0 && (body.inArm(x, y, 1) || body.onBareArm(x, y)));
}

/** The row below which an arm can be in front of a body panel (see armsInFrontMask). */
function armsInFrontFromY(body: BodyFrame): number {
  return Math.min(body.armpit.l.y, body.armpit.r.y) + body.torsoLength * 0.05;
}

/**
 * x of a limb's axis (root → middle → end joint) at row y, or null when the limb does not span
 * that row; with `holdBelow`, below the limb's lowest joint the x of that joint.
 */
function limbAxisX(joints: readonly Point[], y: number, holdBelow: boolean): number | null {
  for (let k = 0; k < joints.length - 1; k++) {
    const a = joints[k];
    const b = joints[k + 1];
    const lo = Math.min(a.y, b.y);
    const hi = Math.max(a.y, b.y);
    if (y < lo || y > hi || hi - lo < 1) continue;
    return a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y);
  }
  if (!holdBelow) return null;
  const lowest = joints.reduce((best, p) => (p.y > best.y ? p : best));
  return y > lowest.y ? lowest.x : null;
}

/**
 * Off the person and further out than an arm hanging beside the body: a body panel cannot show
 * there (the arm is between it and the camera, or the panel would stand off the body as a flap).
 * The envelope clip measures distance from the whole silhouette, arms included, so it lets a wide
 * panel reach past the arms; this takes it back to them, from the armpits down. With `belowArms`
 * (a top), from the shoulder joints down and on below the arm's lowest joint, outside it: a boxy
 * top's panel stopped at the elbow's or the wrist's row had been cut off by a horizontal line and
 * hung on below it, beside the body.
 */
export function beyondArmsMask(person: PersonAnalysis, body: BodyFrame, belowArms = false): Mask {
  // From the armpits only, a boxy top's shoulders stood off the person above a notch at their row.
  const fromY = belowArms ? Math.min(body.arm.l.joints[0].y, body.arm.r.joints[0].y) : Math.min(body.armpit.l.y, body.armpit.r.y);
  const axes = [
    { joints: body.arm.l.joints, outward: -1 },
    { joints: body.arm.r.joints, outward: 1 },
  ];
  const { width, height, data } = person.personMask;
  const out = createMask(width, height);
  for (let y = Math.max(0, Math.ceil(fromY)); y < height; y++) {
    const limits = axes.map(({ joints, outward }) => ({ ax: limbAxisX(joints, y, belowArms), outward }));
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (data[i] >= 128) continue;
      for (const { ax, outward } of limits) {
        if (ax !== null && (x - ax) * outward > 0) {
          out.data[i] = 255;
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Largest detail (8-bit levels) of the visible skin copied onto bared skin: skin's grain at the
 * working resolution is a few levels; strands of hair over a neck parsed as skin (long hair over a
 * bared chest) are tens, and were copied as stripes down the chest.
 */
const MAX_SKIN_DETAIL = 15;
/**
 * How strongly a bared backdrop is synthesised from its own rows (8-bit levels per patch side of
 * height between a patch and its source, see SynthesisSettings.rowPrior): a skirt removed from a
 * wall over a floor was filled with the wall's patches down over the floor, a pale cone where the
 * skirting board stopped short.
 */
const BACKDROP_ROW_PRIOR = 4;
/**
 * Largest piece of the person cut off from the body by the backdrop fill that goes with the fill,
 * as a share of the body's piece: remnants of a coat's tail are under 1 %; a hand or a foot cut
 * off by a fill run wide would be a few per cent, and stays (it is no remnant).
 */
const STRANDED_MAX_SHARE = 0.01;
/** Backdrop noise (8-bit levels, see backdropTexture) from which a bared backdrop is patch-synthesised. */
const TEXTURED_BACKDROP_NOISE = 4;

/** Everything that is not the person (person mask below half) as a mask. */
function offPerson(personMask: Mask): Mask {
  const out = createMask(personMask.width, personMask.height);
  for (let i = 0; i < out.data.length; i++) out.data[i] = personMask.data[i] < 128 ? 255 : 0;
  return out;
}

/** The chest's skin: the tone of a bared chest far from the skin it borders (see composeIntoPhoto). */
const CHEST_SKIN_LABELS = [PartLabel.TorsoSkin] as const;
/** The neck's skin: the tone of a bared chest when the photo shows no chest (see composeIntoPhoto). */
const NECK_SKIN_LABELS = [PartLabel.Neck] as const;
/**
 * 1/e distance over which painted skin takes the light of the seen skin it meets, as a share of the
 * shoulder width. At 0.05 only a rim took it: a chest bared between a lit neck and lit arms stayed
 * the model's greyer, darker tone a few pixels in, one flat slab set in the real skin round it
 * (studio 15); at 0.2 its light comes from the skin round it and fades to the model's over the
 * chest's middle.
 */
const SEAM_REACH = 0.2;
/** Width of the old collar's edge repainted above the neck's base, as a share of the image width. */
const COLLAR_EDGE = 0.005;
/** Width of the old hem's shadow on the limb beside it that is repainted with the limb, as a share of the image width. */
const HEM_SHADOW = 0.006;
/** Fall-off distance (1/e) of the new garment's shadow below its edges, as a share of the shoulder width. */
const CAST_SHADOW_DECAY = 0.02;
/** Share of the light the new garment's shadow takes right under its edge. */
const CAST_SHADOW_DEPTH = 0.35;
/** A limb's skin labels (a shadow of the old garment's hem falls on them). */
const LIMB_SKIN_LABELS = [PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Leg] as const;
/** Half-widths of the neck, from its middle, within which shoulder skin is never covered by a grown sleeved top. */
const NECK_CLEAR = 1.4;
/** Half-widths of the neck's base (BodyFrame.neck), from its middle, that are the neck the new garment never covers. */
const NECK_COLUMN = 1.15;
/** How far the neck's base rises at the column's sides (see NECK_COLUMN) above its middle, in neck half-widths. */
const NECK_SIDE_RISE = 0.6;
/** Pixels of a silhouette's soft edge (part skin, part backdrop) beyond the person's mask. */
const SILHOUETTE_RIM_PX = 2;
/** Highest the old collar's edge is looked for above the neck's base, in neck half-widths (above the sides' rise, see NECK_SIDE_RISE). */
const COLLAR_EDGE_RISE = 0.9;
/** How far below the shoulder joints a sleeved top is grown over the shoulder's skin, as a share of the shoulder width. */
const SHOULDER_CAP = 0.1;
/** Bare skin visible in the photo: the tone source for skin that the new garment uncovers. */
const SKIN_LABELS = [PartLabel.Neck, PartLabel.TorsoSkin, PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand, PartLabel.Leg] as const;

/**
 * Where a piece can land: the bounding box of its targets with a margin (a spline extrapolates
 * affinely past its control points, so far pixels would only sample the garment photo's backdrop).
 */
function pieceRegion(targets: Point[], width: number, height: number): { x: number; y: number; width: number; height: number } {
  const xs = targets.map((p) => p.x);
  const ys = targets.map((p) => p.y);
  const margin = 0.15 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const x0 = Math.max(0, Math.floor(Math.min(...xs) - margin));
  const y0 = Math.max(0, Math.floor(Math.min(...ys) - margin));
  const x1 = Math.min(width, Math.ceil(Math.max(...xs) + margin));
  const y1 = Math.min(height, Math.ceil(Math.max(...ys) + margin));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/** What a body panel is drawn behind: the arms in front of it and the band beyond them (none for bottoms). */
interface PanelOccluders {
  armsInFront: Mask | null;
  beyondArms: Mask | null;
  /** Inside an arm's capsule but shown by the photo not to be the arm: a sleeve is drawn behind the panel there. */
  armAbsent: Mask | null;
}

function panelOccluders(person: PersonAnalysis, body: BodyFrame, category: TryOnRequest['category']): PanelOccluders {
  if (category === 'lower_body') return { armsInFront: null, beyondArms: null, armAbsent: null };
  // The panel is held back by a bare arm's own pixels only (armAbsentForPanel); a sleeve behind it by wider bands.
  const absent = armAbsentMasks(body, person.parsing.labels, person.personMask, armsInFrontFromY(body));
  return { armsInFront: armsInFrontMask(person, body, absent.panel), beyondArms: beyondArmsMask(person, body, category === 'upper_body'), armAbsent: absent.sleeve };
}

/** Draws every warp piece of the placement into one RGBA layer at analysis resolution. */
function renderGarmentLayer(garmentCutout: Raster, placement: Placement, person: PersonAnalysis, body: BodyFrame, occluders: PanelOccluders): Raster {
  const { width, height } = person.image;
  const layer = createRaster(width, height, 4);
  const { armsInFront, beyondArms, armAbsent } = occluders;
  for (const piece of placement.pieces) {
    const map = tpsWarpMap(fitTps(piece.to, piece.from, 0.5), width, height, pieceRegion(piece.to, width, height));
    clipWarpMap(map, piece.source);
    const pieceLayer = sampleRgba(garmentCutout, map);
    if (piece.outline) clipOutsidePolygon(pieceLayer, piece.outline.polygon, piece.outline.margin);
    if (!piece.overArms && armsInFront) occlude(pieceLayer, armsInFront);
    if (!piece.overArms && beyondArms) occlude(pieceLayer, beyondArms);
    // A sleeve on an arm beside or behind the torso hangs behind the panel drawn there.
    if (piece.overArms && armAbsent) occlude(pieceLayer, intersectMask(armAbsent, binarise(alphaMask(layer), 128)));
    if (piece.dresses) keepSleeveOnArm(pieceLayer, person.personMask, body.arm[piece.dresses.arm].radius);
    layerOver(layer, pieceLayer);
  }
  return layer;
}

/**
 * A product shot shows the garment upright, and a worn one on a wearer standing about straight:
 * a shoulder line steeper than this means a shoulder was found on something else (a hand, a held
 * object, a strap's end), and placing by it would turn the whole garment over.
 */
const MAX_SHOULDER_TILT_DEGREES = 30;

/** Angle of the garment's shoulder line from the horizontal (0 for bottoms). */
function shoulderTiltDegrees(garment: GarmentAnalysis): number {
  const found = garment.upper ?? garment.dress;
  if (!found) return 0;
  const dx = Math.abs(found.shoulderRight.x - found.shoulderLeft.x);
  const dy = Math.abs(found.shoulderRight.y - found.shoulderLeft.y);
  return (Math.atan2(dy, dx) * 180) / Math.PI;
}

/** Share of the columns between the hips that must show the lower garment for its waistband to be trusted. */
const WAISTBAND_MIN_SHARE = 0.3;

/** The image columns between the hip points (inclusive, inside the image). */
function hipColumns(body: BodyFrame, width: number): [number, number] {
  return [
    Math.max(0, Math.round(Math.min(body.hip.l.x, body.hip.r.x))),
    Math.min(width - 1, Math.round(Math.max(body.hip.l.x, body.hip.r.x))),
  ];
}

/**
 * Top edge (y) of the lower garment the person wears, between the hips and below the armpits, or
 * null when too few columns there show it to trust.
 */
function lowerGarmentTop(person: PersonAnalysis, body: BodyFrame): number | null {
  const { width, height } = person.image;
  const labels = person.parsing.labels;
  const [x0, x1] = hipColumns(body, width);
  const from = Math.max(0, Math.round(Math.max(body.armpit.l.y, body.armpit.r.y)));
  const tops: number[] = [];
  for (let x = x0; x <= x1; x++) {
    for (let y = from; y < height; y++) {
      if (labels[y * width + x] !== PartLabel.LowerGarment) continue;
      tops.push(y);
      break;
    }
  }
  if (tops.length < WAISTBAND_MIN_SHARE * (x1 - x0 + 1)) return null;
  tops.sort((a, b) => a - b);
  // A low percentile: hands and forearms in front of the waistband push some columns down.
  return tops[Math.floor(tops.length * 0.25)];
}

/**
 * The person with the old bottom's fabric between the kept top's hem and the parsing's split row
 * labelled as the bottom (see bottomUnderTopHem), across the torso's width at the hips, and the
 * shoes' pieces parsed as the bottom labelled as feet (see shoesParsedAsBottom).
 */
function withBottomUpToTopHem(person: PersonAnalysis, body: BodyFrame): PersonAnalysis {
  const { image } = person;
  const hipY = Math.round(Math.max(body.hip.l.y, body.hip.r.y));
  const [l, r] = body.torsoSpan(hipY);
  const fromY = Math.max(0, Math.round(Math.max(body.armpit.l.y, body.armpit.r.y)));
  const columns: [number, number] = [Math.max(0, Math.floor(l)), Math.min(image.width - 1, Math.ceil(r))];
  if (columns[1] < columns[0] || fromY >= image.height) return person;
  const lab = labImage(image, { x0: 0, y0: fromY, x1: image.width, y1: image.height });
  const strip = bottomUnderTopHem(person.parsing.labels, lab, image.width, columns, fromY, hemStripReach(body.torsoLength));
  // (And the shoes' pieces the parsing took for the bottom are the shoes.)
  const ankleY = Math.min(body.leg.l.joints[2].y, body.leg.r.joints[2].y);
  const labels = shoesParsedAsBottom(strip ?? person.parsing.labels, lab, image.width, Math.max(fromY, Math.round(ankleY)));
  const relabelled = labels ?? strip;
  return relabelled ? { ...person, parsing: { ...person.parsing, labels: relabelled } } : person;
}

/** Share of the band above the waistband that may show bare skin for the midriff to count as hidden. */
const HIDDEN_MIDRIFF_MAX_SKIN = 0.05;
/** Height of the band above the waistband where bare midriff would show, as a share of the torso length. */
const MIDRIFF_BAND = 0.15;

/**
 * Did the old clothes hide the midriff just above the kept bottom's waistband? Only bare skin the
 * photo shows there can be continued convincingly; where it shows none, the new garment meets
 * the waistband instead.
 */
function midriffHidden(person: PersonAnalysis, body: BodyFrame, waistband: number): boolean {
  const { width } = person.image;
  const labels = person.parsing.labels;
  const [x0, x1] = hipColumns(body, width);
  const y0 = Math.max(0, Math.round(waistband - body.torsoLength * MIDRIFF_BAND));
  let total = 0;
  let skin = 0;
  for (let y = y0; y < waistband; y++) {
    for (let x = x0; x <= x1; x++) {
      total++;
      if (labels[y * width + x] === PartLabel.TorsoSkin) skin++;
    }
  }
  return total > 0 && skin <= HIDDEN_MIDRIFF_MAX_SKIN * total;
}

/**
 * Where the photo's clothes say the new garment must reach (see PlacementHints), from the kept or
 * replaced bottom's waistband (lowerGarmentTop).
 */
function placementHints(person: PersonAnalysis, body: BodyFrame, category: TryOnRequest['category'], waistband: number | null): PlacementHints {
  if (category === 'dresses' || waistband === null) return {};
  if (category === 'lower_body') return { oldWaistbandY: waistband };
  return midriffHidden(person, body, waistband) ? { hemFloorY: waistband } : {};
}

/**
 * A top replaces only the top and is worn over the kept trousers or skirt, down to its own hem
 * (untucked, as shops show tops). Cutting it at the bottom's waistband instead left the old top
 * showing below wherever the parsing put that waistband too high (a navy sweater over black
 * jeans reads as one garment) and wherever the old top was longer. Below the waistband the body
 * panel stays within the body's extent, not beside the legs, where it would hang as a cape.
 * Sleeves stay: they are on the arms.
 */
function hangOverLowerGarment(layer: Raster, person: PersonAnalysis, body: BodyFrame, waistband: number | null): void {
  const { width, height } = layer;
  if (waistband === null) return;
  const armGrow = Math.max(body.arm.l.radius, body.arm.r.radius) * 0.3;
  const silhouette = person.personMask.data;
  // Per row, the body's extent around the hips: from its first to its last person pixel within
  // reach of the centre line. Inside it the top hangs straight across, over holes in the person
  // mask (white jeans on a white sweep) and over the gap between the legs where its hem falls
  // below the crotch; only what lies beside the body is cut.
  const reach = Math.abs(body.hip.r.x - body.hip.l.x) * 0.5 * HIP_SPAN_REACH;
  for (let y = waistband; y < height; y++) {
    const cx = body.centreX(Math.min(y, body.hip.l.y));
    const from = Math.max(0, Math.floor(cx - reach));
    const to = Math.min(width - 1, Math.ceil(cx + reach));
    let first = width;
    let last = -1;
    for (let x = from; x <= to; x++) {
      if (silhouette[y * width + x] < 128) continue;
      if (x < first) first = x;
      last = x;
    }
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const p = i * 4 + 3;
      if (layer.data[p] === 0 || body.inArm(x, y, armGrow) || (x >= first && x <= last)) continue;
      // Beside the body: keep only the silhouette's own soft edge.
      layer.data[p] = Math.round((layer.data[p] * silhouette[i]) / 255);
    }
  }
}

/** How far from the centre line, in hip half-widths, the body's extent is looked for below the waistband. */
const HIP_SPAN_REACH = 1.6;

/**
 * Smallest island of the garment layer drawn, as a share of its largest piece: a short sleeve cut
 * off the panel by an arm in front is ~4-10 % of it; shards beside the hands are less.
 */
const MIN_FRAGMENT_SHARE = 0.02;

/**
 * The pixels of `target` with a pixel of `solid` (≥ 128) at most `reach` rows straight above or
 * below them in their column: the bands of the old garment along a new bottom's hem and waistband,
 * not those beside its sides.
 */
export function inLayerColumns(target: Mask, solid: Mask, reach: number): Mask {
  const { width, height } = target;
  const out = createMask(width, height);
  for (let x = 0; x < width; x++) {
    // Rows since the last solid pixel going down, then going up; a pixel is kept within reach of either.
    let since = Infinity;
    for (let y = 0; y < height; y++) {
      const i = y * width + x;
      since = solid.data[i] >= 128 ? 0 : since + 1;
      if (target.data[i] >= 128 && since <= reach) out.data[i] = 255;
    }
    since = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      const i = y * width + x;
      since = solid.data[i] >= 128 ? 0 : since + 1;
      if (target.data[i] >= 128 && since <= reach) out.data[i] = 255;
    }
  }
  return out;
}

/** How much of the photo's shading the new garment takes (partial: see composeIntoPhoto). */
const SHADING_STRENGTH = 0.55;
/** Finest shading detail borrowed from the photo, as a share of the image width (Gaussian sigma). */
const SHADING_DETAIL = 0.012;
/** Widest band of the old garment between the new one's outline and the outside that the new garment grows over (share of the width). */
const SLIVER_COVER = 0.03;
/** Widest band of the old bottom at the hips beside new trousers that they grow over, as a share of the shoulder width (a curvy build's hips past a flat lay's cut). */
const HIPS_GROWTH = 0.12;
/** Width of the old outline's halo off the person that is refilled as backdrop, as a share of the image width. */
const OUTLINE_HALO = 0.006;
/** The halo's least width (px): a JPEG's ringing and a mask's error alone span a few pixels. */
const OUTLINE_HALO_MIN_PX = 4;
/**
 * How far (shoulder widths) the old garment's outline may lie off the person mask (a white sleeve's
 * edge on a pale backdrop, which the mask leaves out), over pixels that stand out from the backdrop.
 */
const OFF_PERSON_OUTLINE = 0.15;
/** How far (px) the old garment's outline is taken past its region: its soft edge's last pixels. */
const OLD_OUTLINE_PX = 2;
/** Finest shading detail borrowed from a printed or textured old garment (share of the width, Gaussian sigma). */
const PRINTED_SHADING_DETAIL = 0.02;
/** Depth of the body's roundness in the garment's light (see silhouetteShading): the share of light lost at the silhouette. */
const FORM_DEPTH = 0.3;
/** How far in from the silhouette the body's roundness darkens the garment, as a share of the shoulder width. */
const FORM_REACH = 0.15;
/** Shading contrast (RMS, see shadingContrast) of plain fabric's folds. */
const PLAIN_FOLD_CONTRAST = 0.08;

/**
 * Farthest a top or a dress stands off the person at the shoulders' top, as a share of the
 * shoulder width, opening to the torso's reach below the armpits (see clipToEnvelope): it rests on
 * the shoulders there. Further out, a flat lay's square
 * shoulder corner or a sleeve cap placed past a sloping or turned shoulder stood off the body as
 * a box (wide 4, 0, 1); below the armpits loose sleeves and hems may stand further off.
 */
const SHOULDER_ENVELOPE_REACH = 0.06;
/** Over how many armhole depths (shoulders' top to armpits) below the shoulders' top that reach opens to the torso's. */
const SHOULDER_REACH_OPENING = 2;
/** How much wider than the arm (a share of its radius) a raised arm's sleeve may stand above the chin ceiling (see clipToEnvelope). */
const RAISED_SLEEVE_EASE = 0.5;

/** How far (px) a raised arm's sleeve may stand past the arm's capsule above the chin ceiling. */
function raisedSleeveEase(body: BodyFrame): number {
  return Math.max(body.arm.l.radius, body.arm.r.radius) * RAISED_SLEEVE_EASE;
}

/**
 * Largest share of a raised arm's old-garment piece above the chin ceiling that may look like skin:
 * more, it is the arm's own skin parsed as the top (a bare arm behind the head, wide 9, 36, 84),
 * which repainted stood as a blurred patch on the arm.
 */
const MAX_RAISED_SLEEVE_SKIN_SHARE = 0.3;

/**
 * The old garment's sleeve on a raised arm above the chin ceiling (oldGarmentRegion keeps nothing
 * above it otherwise): its labelled pixels, on the person, within the arm's capsule with the ease
 * a new sleeve has there (see clipToEnvelope), in 8-connected pieces that do not look like skin.
 * Cut off at the ceiling, the old sleeve stayed on the forearm above a new short sleeve (wide 71's
 * white shirt sleeve, 63's cuff). Null when there is none.
 */
export function raisedSleeves(person: PersonAnalysis, body: BodyFrame, category: TryOnRequest['category']): Mask | null {
  const { width, height } = person.image;
  const labels = person.parsing.labels;
  const old = new Set<number>(OLD_LABELS[category]);
  const ease = raisedSleeveEase(body);
  const candidate = createMask(width, height);
  let any = false;
  for (let y = 0; y < Math.min(height, chinCeiling(body)); y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!old.has(labels[i]) || person.personMask.data[i] < 128 || !body.inArm(x, y, ease)) continue;
      candidate.data[i] = 255;
      any = true;
    }
  }
  if (!any) return null;
  const { labels: ids, regions } = labelComponents(candidate);
  const pieces: number[][] = regions.map(() => []);
  for (let i = 0; i < ids.length; i++) if (ids[i] !== 0) pieces[ids[i] - 1].push(i);
  const out = createMask(width, height);
  any = false;
  for (const piece of pieces) {
    if (skinShare(person.image, piece) > MAX_RAISED_SLEEVE_SKIN_SHARE) continue;
    for (const i of piece) out.data[i] = 255;
    any = true;
  }
  return any ? out : null;
}

/** Nothing worn on the upper body rises above the chin: a turtleneck's collar reaches a little above the neck base. */
export function chinCeiling(body: BodyFrame): number {
  return Math.floor(body.neck.centre.y - body.shoulderWidth * 0.12);
}

/** Rows below the neck's base over which a bared torso's tone goes from the neck's to the lit chest's (see litFaceTone), as a share of the shoulder width. */
const CHEST_TONE_BLEND = 0.15;
/** Half the width of the columns about the neck in which the old collar above the chin ceiling is taken away, as a share of the shoulder width. */
const OLD_COLLAR_HALF = 0.3;
/** Smallest old collar piece, as a share of the shoulder width squared (the development photos' collars: 0.002-0.01). */
const MIN_COLLAR_AREA = 0.0015;
/** Narrowest old collar piece (its pixels per row it spans), as a share of the shoulder width: a collar's point is a finger or more wide. */
const MIN_COLLAR_WIDTH = 0.04;
/** Largest share of an old collar's pixels that may look like skin (see looksLikeSkin). */
const MAX_COLLAR_SKIN_SHARE = 0.3;

/** The mean number of `pixels` (row-major indices into an image `width` wide) per row they span. */
function meanRowWidth(pixels: readonly number[], width: number): number {
  const rows = new Set<number>();
  for (const i of pixels) rows.add(Math.floor(i / width));
  return rows.size ? pixels.length / rows.size : 0;
}

/** The share of `pixels` (row-major indices into `image`) whose colour looks like skin. */
function skinShare(image: Raster, pixels: readonly number[]): number {
  return pixels.length ? skinLikeLab(image, pixels).length / 3 / pixels.length : 0;
}

/**
 * The old garment's collar above the chin ceiling (oldGarmentRegion stops there): its labelled
 * pixels within OLD_COLLAR_HALF of the neck's middle and below the chin that join the old garment
 * below it. Left, a shirt's collar stood round the neck above the new neckline,
 * cut off straight at the ceiling. (Only where the photo shows the neck: a hood, a scarf or a
 * turtleneck hiding it is kept as the photo shows it, see photoAboveLayerAtNeck.)
 */
export function oldCollarAboveCeiling(person: PersonAnalysis, body: BodyFrame, category: TryOnRequest['category']): Mask {
  const { width, height } = person.image;
  const labels = person.parsing.labels;
  const out = createMask(width, height);
  const ceiling = Math.min(height - 1, chinCeiling(body));
  const half = OLD_COLLAR_HALF * body.shoulderWidth;
  const x0 = Math.max(0, Math.floor(body.neck.centre.x - half));
  const x1 = Math.min(width - 1, Math.ceil(body.neck.centre.x + half));
  // The chin: the face's lowest row over the neck's width (none seen, e.g. hair from behind: no collar).
  const neckHalf = neckHalfWidth(body);
  let chin = -1;
  for (let x = Math.max(0, Math.floor(body.neck.centre.x - neckHalf)); x <= Math.min(width - 1, Math.ceil(body.neck.centre.x + neckHalf)); x++) {
    for (let y = ceiling; y > chin; y--) {
      if (labels[y * width + x] === PartLabel.Face) {
        chin = y;
        break;
      }
    }
  }
  const top = chin + 1;
  if (chin < 0 || ceiling <= top || x1 < x0) return out;
  const old = new Set<number>(OLD_LABELS[category]);
  const isOld = (i: number): boolean => old.has(labels[i]) && person.personMask.data[i] >= 128;
  // Each piece grows up from the old garment on the ceiling's row, through its labelled pixels. A
  // piece that runs out of the columns or on above the chin is no collar (hair parsed as the old
  // garment, a hood, a shoulder raised by a tilted pose): repainted, it stood as a block with
  // straight edges. (A collar meets the face at the jaw: the face's label, not the garment's.)
  const seen = new Uint8Array(width * height);
  const minArea = MIN_COLLAR_AREA * body.shoulderWidth * body.shoulderWidth;
  const minWidth = MIN_COLLAR_WIDTH * body.shoulderWidth;
  for (let sx = x0; sx <= x1; sx++) {
    const seed = ceiling * width + sx;
    if (seen[seed] || !isOld(seed)) continue;
    const piece: number[] = [];
    const stack = [seed];
    seen[seed] = 1;
    let bounded = true;
    while (stack.length) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i - x) / width;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1]] as const) {
        if (ny >= ceiling) continue;
        const j = ny * width + nx;
        if (nx < 0 || nx >= width || ny < 0 || seen[j] || !isOld(j)) continue;
        if (ny < top || nx < x0 || nx > x1) {
          bounded = false;
          continue;
        }
        seen[j] = 1;
        piece.push(j);
        stack.push(j);
      }
      // The ceiling's row itself carries the piece sideways (a collar's two points join below it).
      if (y === ceiling) {
        for (const nx of [x - 1, x + 1]) {
          const j = ceiling * width + nx;
          if (nx >= x0 && nx <= x1 && !seen[j] && isOld(j)) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    // And a collar is fabric: a piece mostly the colour of skin is the neck or a jaw parsed as the
    // old garment (a turned head's), which repainted stood as a slab over the chin.
    // Nor is a speck (a beard's lower edge parsed as a dark top), which left a notch in the jaw, or
    // a sliver (the neck's shaded edge parsed as a strap), which left a dark line along the neck.
    if (!bounded || piece.length < minArea || meanRowWidth(piece, width) < minWidth || skinShare(person.image, piece) > MAX_COLLAR_SKIN_SHARE) continue;
    for (const j of piece) out.data[j] = 255;
  }
  return out;
}

/**
 * A worn garment stays close to the body: a loose top or wide sleeve stands off the silhouette by
 * a fraction of the shoulder width, a flared skirt a little more, and at the shoulders it rests on
 * them (SHOULDER_ENVELOPE_REACH). Anything the warp put further out comes from a landmark failure
 * (a sleeve read as a flap) and is cut off, with a soft edge.
 */
export function clipToEnvelope(layer: Raster, person: PersonAnalysis, body: BodyFrame, category: TryOnRequest['category']): void {
  const { width, height } = layer;
  const reachAbove = body.shoulderWidth * 0.22;
  const reachBelow = body.shoulderWidth * (category === 'upper_body' ? 0.22 : 0.4);
  const soft = Math.max(2, body.shoulderWidth * 0.03);
  const ceiling = category === 'lower_body' ? 0 : chinCeiling(body);
  // A raised arm's sleeve goes up with the arm, above the chin (a hand on the head): the ceiling
  // spares the arms' capsules. (An arm hanging down never reaches it.)
  const sleeveGrow = raisedSleeveEase(body);
  const onArm = (p: number): boolean => {
    const i = (p - 3) / 4;
    return body.inArm(i % width, Math.floor(i / width), sleeveGrow);
  };
  for (let p = 3; p < Math.max(0, Math.min(height, ceiling)) * width * 4; p += 4) if (layer.data[p] && !onArm(p)) layer.data[p] = 0;
  // Fade in below the ceiling rather than cutting a straight line across a high collar.
  for (let y = Math.max(0, ceiling); y < Math.min(height, ceiling + soft); y++) {
    const keep = (y - ceiling + 1) / (soft + 1);
    for (let p = y * width * 4 + 3; p < (y + 1) * width * 4; p += 4) if (layer.data[p] && !onArm(p)) layer.data[p] = Math.round(layer.data[p] * keep);
  }
  // From the shoulders' top the reach opens from SHOULDER_ENVELOPE_REACH to the torso's over
  // SHOULDER_REACH_OPENING armholes' depths: stepped at the armpits' row, it cut a notch into a
  // sleeve standing off there; opened by the armpits, it let a raised arm's sleeves stand off.
  const shouldersY = Math.min(body.shoulder.l.y, body.shoulder.r.y);
  const openedY = category === 'lower_body' ? -1 : shouldersY + SHOULDER_REACH_OPENING * Math.max(1, Math.max(body.armpit.l.y, body.armpit.r.y) - shouldersY);
  const reachAtShoulders = body.shoulderWidth * SHOULDER_ENVELOPE_REACH;
  const reachAt = (y: number): number =>
    y < openedY
      ? reachAtShoulders + (reachAbove - reachAtShoulders) * Math.max(0, (y - shouldersY) / (openedY - shouldersY))
      : y < body.hip.l.y ? reachAbove : reachBelow;
  fadeOffPerson(layer, person.personMask, Math.max(0, ceiling), Math.max(reachAbove, reachBelow), reachAt, soft);
}

/**
 * Fades out the layer's pixels (rows from `fromY` down) farther than `reachAt(row)` px from the
 * person's silhouette, to nothing over `soft` px; `maxReach` bounds every row's reach.
 */
function fadeOffPerson(layer: Raster, personMask: Mask, fromY: number, maxReach: number, reachAt: (y: number) => number, soft: number): void {
  const { width, height } = layer;
  // Distances only matter up to reach + soft from the layer: the transform runs on the layer's
  // box grown by that much (a person pixel outside it is too far from every layer pixel anyway).
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = fromY; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (layer.data[(y * width + x) * 4 + 3] === 0) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  if (maxY < 0) return;
  const pad = Math.ceil(maxReach + soft) + 1;
  const x0 = Math.max(0, minX - pad);
  const y0 = Math.max(0, minY - pad);
  const cw = Math.min(width - 1, maxX + pad) - x0 + 1;
  const ch = Math.min(height - 1, maxY + pad) - y0 + 1;
  const inPerson = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) inPerson[y * cw + x] = personMask.data[(y0 + y) * width + x0 + x] >= 128 ? 1 : 0;
  }
  const distance2 = squaredDistanceToSet(inPerson, cw, ch);
  for (let y = minY; y <= maxY; y++) {
    const reach = reachAt(y);
    for (let x = minX; x <= maxX; x++) {
      const p = (y * width + x) * 4 + 3;
      if (layer.data[p] === 0) continue;
      const over = Math.sqrt(distance2[(y - y0) * cw + x - x0]) - reach;
      if (over <= 0) continue;
      layer.data[p] = over >= soft ? 0 : Math.round(layer.data[p] * (1 - over / soft));
    }
  }
}

/**
 * Farthest a sleeve stands off the person's silhouette, as a share of its arm's measured radius:
 * the widest sleeve placement draws (sleevePiece's cuff, 1.8 radii from the arm's axis) less the
 * arm's own radius.
 */
const SLEEVE_STAND_OFF = 0.8;
/** Width of the soft edge keepSleeveOnArm leaves, as a share of the arm's radius (at least 1.5 px). */
const SLEEVE_STAND_OFF_SOFT = 0.15;

/**
 * A sleeve stays on its arm: what of it the warp put farther than SLEEVE_STAND_OFF arm radii off
 * the person is faded out. A sleeve is laid along the pose's arm axis; where that axis is off the
 * arm the photo shows (the far arm of a turned torso, half hidden behind it, its joints found
 * inside the torso's outline), the sleeve stood beside the arm over the backdrop, its cap a square
 * corner above the shoulder (wide 4). The torso's envelope (clipToEnvelope) is a loose top's, a
 * fifth of the shoulders' width off the body: a sleeve an arm's width off the arm passed it.
 * Drawn on the sleeve's own layer, so a panel's loose side beside it is not cut.
 */
export function keepSleeveOnArm(sleeveLayer: Raster, personMask: Mask, armRadius: number): void {
  const reach = SLEEVE_STAND_OFF * armRadius;
  fadeOffPerson(sleeveLayer, personMask, 0, reach, () => reach, Math.max(1.5, SLEEVE_STAND_OFF_SOFT * armRadius));
}

/**
 * Farthest a garment stands above the shoulders' and arms' top outline, as a share of the shoulder
 * width: the fabric's thickness and a little ease. A flat lay's shoulder line is straight and its
 * drop-shoulder or cap corners stick out past the sloping shoulders; worn, that fabric falls
 * onto the shoulder and down the arm.
 */
const DRAPE_TOLERANCE = 0.02;
/** How far below a garment pixel the person's outline is looked for, as a share of the shoulder width. */
const DRAPE_REACH = 0.3;
/** Width of the soft edge drapeOverShoulders leaves, as a share of the shoulder width (at least 1.5 px). */
const DRAPE_SOFT_EDGE = 0.01;

/**
 * Cuts what the warp left standing above the person's shoulders and upper arms: layer pixels off
 * the person, above the armpits, with the person straight below them within DRAPE_REACH. Those
 * are the "horns" of a straight flat-lay shoulder line on sloping shoulders and a sleeve cap
 * risen above the arm. Fabric beside an arm or the torso with no person below it in its column
 * (a loose sleeve, a wide body) stays. (Known limit: where a deltoid bulges out below a sleeve
 * that stands off the arm, the columns over the bulge are cut and the sleeve's outer edge
 * beyond them stays, a thin slit between; cutting whole rows outward instead left stair steps.)
 */
export function drapeOverShoulders(layer: Raster, person: PersonAnalysis, body: BodyFrame): void {
  const { width, height } = layer;
  const lastRow = Math.min(height - 1, Math.round(Math.max(body.armpit.l.y, body.armpit.r.y)));
  const tolerance = body.shoulderWidth * DRAPE_TOLERANCE;
  const reach = body.shoulderWidth * DRAPE_REACH;
  const soft = Math.max(1.5, body.shoulderWidth * DRAPE_SOFT_EDGE);
  const personMask = person.personMask.data;
  const searchEnd = Math.min(height - 1, Math.ceil(lastRow + reach));
  for (let x = 0; x < width; x++) {
    // Walking up the column, the nearest person row at or below the current one.
    let personBelow = -1;
    for (let y = searchEnd; y >= 0; y--) {
      const i = y * width + x;
      if (personMask[i] >= 128) {
        personBelow = y;
        continue;
      }
      if (y > lastRow || personBelow < 0) continue;
      const p = i * 4 + 3;
      if (layer.data[p] === 0) continue;
      const gap = personBelow - y;
      if (gap > reach) continue;
      const over = gap - tolerance;
      if (over <= 0) continue;
      layer.data[p] = over >= soft ? 0 : Math.round(layer.data[p] * (1 - over / soft));
    }
  }
}

/** How far from its arm's axis a sleeve covers the arm the photo shows, as a multiple of the arm's measured radius: its silhouette, not the backdrop or the chest beside it. */
const SLEEVE_WRAP_REACH = 1.3;
/** Largest share of the arm within a sleeve's stretch the warped sleeve may leave uncovered for it to be wrapped round the arm (see wrapSleevesRoundArms). */
const SLEEVE_WRAP_MAX_BARE = 0.35;
/** Widest band (multiple of the arm's radius) a sleeve is grown by to go round its arm: the strip of arm a sleeve leaves beside it, not a length of forearm past a cuff that stops short of its line. */
const SLEEVE_WRAP_BAND = 0.6;
/** Arm left bare before a sleeve's cuff line when it is wrapped round the arm, as a share of the arm's radius: the cuff's own edge stays as drawn. */
const SLEEVE_WRAP_CUFF_MARGIN = 0.5;

/**
 * A sleeve goes round its arm: the arm's skin the photo shows within the sleeve's stretch (armhole to
 * cuff, within SLEEVE_WRAP_REACH of the arm's axis) that the warped sleeve leaves uncovered is
 * covered by the sleeve grown across it. A sleeve laid along the arm's axis from the joints left a
 * strip of the arm (the deltoid's curve, an arm wider than measured) standing outside it, which
 * reads as a sleeve pasted beside the arm. Only a sleeve that is on its arm (SLEEVE_WRAP_MAX_BARE).
 */
export function wrapSleevesRoundArms(layer: Raster, placement: Placement, person: PersonAnalysis, body: BodyFrame): void {
  const { width, height } = layer;
  for (const piece of placement.pieces) {
    if (!piece.dresses) continue;
    const arm = body.arm[piece.dresses.arm];
    const lastArc = piece.dresses.toArc - arm.radius * SLEEVE_WRAP_CUFF_MARGIN;
    if (lastArc <= piece.dresses.fromArc) continue;
    const target = createMask(width, height);
    let armPixels = 0;
    let bare = 0;
    // The arm's skin the photo shows, only: an old sleeve wider than the new one is repainted as
    // the arm and the backdrop, and a sleeve grown over it stood out as a square tab.
    forEachSeenArmPixel(arm, arm.radius * SLEEVE_WRAP_REACH, person, (i, arc) => {
      if (arc < piece.dresses!.fromArc || arc > lastArc) return;
      armPixels++;
      if (layer.data[i * 4 + 3] >= SOLID_ALPHA) return;
      target.data[i] = 255;
      bare++;
    });
    // A sleeve that misses most of its arm (a raised arm it hangs beside) is not wrapped: grown
    // across the whole arm it came out as a smear of fabric up to the head.
    if (bare > 0 && bare <= SLEEVE_WRAP_MAX_BARE * armPixels) growLayerInto(layer, target, Math.ceil(arm.radius * SLEEVE_WRAP_BAND), { enclosed: true });
  }
}

/**
 * Calls `visit` with the index and the arc length along the arm (from the shoulder joint, see
 * armArc) of each pixel of the arm's skin the photo shows (UpperArm and LowerArm labels on the
 * person) within `reach` px of the arm's bones.
 */
function forEachSeenArmPixel(arm: BodyFrame['arm']['l'], reach: number, person: PersonAnalysis, visit: (i: number, arc: number) => void): void {
  const { width, height } = person.image;
  const personMask = person.personMask.data;
  const labels = person.parsing.labels;
  const [joint, elbow, wrist] = arm.joints;
  const x0 = Math.max(0, Math.floor(Math.min(joint.x, elbow.x, wrist.x) - reach));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(joint.x, elbow.x, wrist.x) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(joint.y, elbow.y, wrist.y) - reach));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(joint.y, elbow.y, wrist.y) + reach));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (personMask[i] < 128 || (labels[i] !== PartLabel.UpperArm && labels[i] !== PartLabel.LowerArm)) continue;
      const p = { x, y };
      if (Math.min(distanceToSegment(p, joint, elbow), distanceToSegment(p, elbow, wrist)) > reach) continue;
      visit(i, armArc(p, joint, elbow, wrist));
    }
  }
}

/** How far from its arm's axis the arm's skin below a sleeve's cuff is kept from the garment, as a multiple of the arm's measured radius (the labels say where the arm is; this only keeps the search near it). */
const ARM_BELOW_CUFF_REACH = 2;
/** Arm past a sleeve's cuff line that the cuff may still cover (its flare, a turned-up hem), as a share of the arm's radius. */
const ARM_BELOW_CUFF_MARGIN = 0.5;

/**
 * The arm's skin the photo shows past the cuff of the sleeve that dresses it (further along the arm
 * than the sleeve's cuff line plus ARM_BELOW_CUFF_MARGIN): no part of the new garment is grown over
 * it. A short sleeve leaves the forearm and the elbow in sight, in front of the body panel; the
 * old garment's outline, grown over a dark arm beside a dark tee, and the closing of narrow gaps
 * beside the panel had drawn a wide tee's panel over the whole arm hanging beside it. Undefined
 * when no sleeve of the placement dresses an arm (a sleeveless garment, a failsafe placement).
 */
export function armsBelowCuffs(placement: Placement, person: PersonAnalysis, body: BodyFrame): Mask | undefined {
  const { width, height } = person.image;
  let out: Mask | undefined;
  for (const piece of placement.pieces) {
    if (!piece.dresses) continue;
    const arm = body.arm[piece.dresses.arm];
    const cuffArc = piece.dresses.toArc + arm.radius * ARM_BELOW_CUFF_MARGIN;
    const mask = out ?? createMask(width, height);
    forEachSeenArmPixel(arm, arm.radius * ARM_BELOW_CUFF_REACH, person, (i, arc) => {
      if (arc > cuffArc) mask.data[i] = 255;
    });
    out = mask;
  }
  return out;
}

/**
 * Share of the body the garment should certainly cover (torso rows from the armpits to the hips
 * for tops and dresses, the hip band for bottoms, within the torso span) that the layer covers.
 */
function torsoCoverage(layer: Raster, body: BodyFrame, category: TryOnRequest['category']): number {
  const y0 = Math.round(category === 'lower_body' ? body.hip.l.y - body.torsoLength * 0.1 : body.armpit.l.y);
  const y1 = Math.round(category === 'lower_body' ? body.hip.l.y + body.torsoLength * 0.1 : body.hip.l.y - body.torsoLength * 0.15);
  let total = 0;
  let covered = 0;
  for (let y = Math.max(0, y0); y < Math.min(layer.height, y1); y += 2) {
    const [l, r] = body.torsoSpan(y);
    const inset = (r - l) * 0.15;
    for (let x = Math.max(0, Math.round(l + inset)); x < Math.min(layer.width, Math.round(r - inset)); x += 2) {
      total++;
      if (layer.data[(y * layer.width + x) * 4 + 3] >= 128) covered++;
    }
  }
  return total === 0 ? 1 : covered / total;
}

/** Analyses the person once; shared by try-on and prompt edits. */
export async function analysePersonTimed(model: Raster, timings: Timings): Promise<{ person: PersonAnalysis; body: BodyFrame }> {
  const person = await timedAsync(timings, 'person', () => analysePerson(model));
  for (const [k, v] of Object.entries(person.timings)) timings[`person.${k}`] = v;
  const body = timed(timings, 'body', () => measureBody(person));
  return { person, body };
}

export async function runClassicTryOn(request: TryOnRequest): Promise<EngineResult> {
  const timings: Timings = {};
  // The photo analysed last is not analysed again (person-cache.ts); `person` is then the lookup's time.
  const start = performance.now();
  const { person, body, fresh } = await analysePersonOnce(request.model, (model) => analysePersonTimed(model, timings));
  if (!fresh) timings.person = performance.now() - start;
  return tryOnAnalysedPerson(request, person, body, timings);
}

/**
 * Everything after person analysis; separate so tests can drive it with a drawn, known person.
 * `diagnostics` defaults to what the request asks for ('all' or 'none').
 */
export async function tryOnAnalysedPerson(
  request: TryOnRequest,
  person: PersonAnalysis,
  body: BodyFrame,
  timings: Timings = {},
  diagnostics: DiagnosticsLevel = request.diagnostics ? 'all' : 'none',
): Promise<EngineResult> {
  if (request.category === 'lower_body' && !hipsVisible(person.pose)) {
    throw new EngineInputError("a lower-body garment needs the person's hips and legs in the photo, and this one does not show them");
  }
  const garment = await timedAsync(timings, 'garment', () =>
    analyseGarment(request.garment, request.category, request.garmentDesc, request.garmentCutOut),
  );
  for (const [k, v] of Object.entries(garment.timings)) timings[`garment.${k}`] = v;
  // The inside of the back seen through the neckline is never drawn on the person. Where the
  // photo shows the neck it is repainted as the neck and chest; where it does not (a beard, a
  // scarf, a hood, a turtleneck, hair), the photo is kept there as it is: a scarf or a hood stays
  // in the new neckline, where painting a fill gave a brown slab and drawing the inside showed
  // the garment's label on the wearer.
  const cutout = garment.neckOpening ? withoutNeckOpening(garment.cutout, garment.neckOpening) : garment.cutout;
  const neckHidden = request.category !== 'lower_body' && !showsNeck(person, body);
  const keepOpening = garment.neckOpening && neckHidden ? garment.neckOpening : undefined;
  // A new bottom replaces the old one up to the kept top's hem, not up to the row the parsing split them at.
  // (Trousers and shorts: a skirt's placement is its own.)
  if (request.category === 'lower_body' && (garment.lowerKind === 'trousers' || garment.lowerKind === 'shorts')) person = withBottomUpToTopHem(person, body);
  const waistband = request.category === 'dresses' ? null : lowerGarmentTop(person, body);
  let placement = timed(timings, 'placement', () => placeGarment(garment, body, request.category, placementHints(person, body, request.category, waistband)));
  // The same occluders for every layer drawn below (the placement, its fallback, the opening's place).
  const occluders = panelOccluders(person, body, request.category);
  let layer = timed(timings, 'warp', () => renderGarmentLayer(cutout, placement, person, body, occluders));
  // A sleeve longer than any sleeve: the landmarks are broken (sleeves merged with the body
  // panel), so the failsafe placement is safer.
  const landmarksBroken = garment.sleeveLengthRatio > MAX_SLEEVE_RATIO || shoulderTiltDegrees(garment) > MAX_SHOULDER_TILT_DEGREES;
  if (landmarksBroken || torsoCoverage(layer, body, request.category) < 0.5) {
    placement = fallbackPlacement(garment, body, request.category);
    layer = timed(timings, 'warp', () => renderGarmentLayer(cutout, placement, person, body, occluders));
  }
  const opening = garment.neckOpening;
  const openingPlaced = opening ? timed(timings, 'warp', () => openingOnBody(opening, placement, person, body, occluders)) : undefined;
  let keepPhoto = keepOpening ? openingPlaced : undefined;
  timed(timings, 'warp', () => {
    clipToEnvelope(layer, person, body, request.category);
    if (request.category !== 'lower_body') drapeOverShoulders(layer, person, body);
    if (request.category !== 'lower_body') wrapSleevesRoundArms(layer, placement, person, body);
    if (request.category === 'upper_body') hangOverLowerGarment(layer, person, body, waistband);
  });
  // Where the photo hides the neck, what it shows above the new garment beside the neck is kept
  // too, not only inside the new neckline: a scarf or a turtleneck's collar wider than the opening.
  if (neckHidden) keepPhoto = unionMask(keepPhoto ?? createMask(layer.width, layer.height), photoAboveLayerAtNeck(layer, person, body));
  const noGrowth = request.category !== 'lower_body' && garment.sleeve === 'none' ? sleevelessBareArms(person, body) : undefined;
  const armsInSight = request.category !== 'lower_body' ? armsBelowCuffs(placement, person, body) : undefined;
  // Trouser legs hang straight to their hem; a skirt's or a dress's hem (a flare, lace, a slit)
  // keeps its own shape.
  const straightHem = request.category === 'lower_body' && (garment.lowerKind === 'trousers' || garment.lowerKind === 'shorts');
  const topContinues = request.category === 'lower_body' && waistband !== null && midriffHidden(person, body, waistband);
  const oldCollar = request.category === 'lower_body' || neckHidden ? undefined : oldCollarAboveCeiling(person, body, request.category);
  return composeIntoPhoto({ model: request.model, person, body, layer, category: request.category, timings, diagnostics, noGrowth, armsInSight, keepPhoto, oldCollar, neckOpening: openingPlaced, straightHem, topContinues, coverShoulders: request.category !== 'lower_body' && garment.sleeve !== 'none' && restsOnShoulders(garment), wornOver: garment.wornOver });
}

/** Where the garment's neck opening lands on the person: the opening drawn through the placement as an opaque layer. */
function openingOnBody(opening: Mask, placement: Placement, person: PersonAnalysis, body: BodyFrame, occluders: PanelOccluders): Mask {
  const raster = createRaster(opening.width, opening.height, 4);
  for (let p = 0; p < opening.data.length; p++) raster.data[p * 4 + 3] = opening.data[p] ? 255 : 0;
  return binarise(alphaMask(renderGarmentLayer(raster, placement, person, body, occluders)), 128);
}

/** Least neck the photo must show above its base (as a share of the shoulder width squared) for a garment's neck opening to be repainted as neck and chest (else the photo is kept there): a hood, a turtleneck or a beard shows less. */
const MIN_VISIBLE_NECK = 0.01;

/** Rows just above the neck's base in which the neck may show across its base (see NECK_AT_BASE_SHARE), as a share of the shoulder width. */
const NECK_BASE_BAND = 0.03;
/**
 * Least share of the neck's column (between the neck points, see neckHalfWidth) over those rows
 * that is the neck's label for the neck to show at its base, whatever shows above: a seen neck
 * fills most of the column there (its shaded sides are often parsed as something else); a
 * turtleneck, a hood or a scarf standing round it leaves none of it, hair falling over it a
 * quarter or less.
 */
const NECK_AT_BASE_SHARE = 0.4;

/**
 * Does the photo show the wearer's neck: enough of it above its base (see MIN_VISIBLE_NECK), or
 * across its base, where the new neckline lies (see NECK_AT_BASE_SHARE)? Under a full beard only
 * the neck's foot shows; taken for a hidden neck, the shirt collar standing round it was kept
 * above the new tee as a turtleneck is (wide 87, 88).
 */
export function showsNeck(person: PersonAnalysis, body: BodyFrame): boolean {
  const neck = neckAboveItsBase(person, body).data;
  let area = 0;
  for (let i = 0; i < neck.length; i++) if (neck[i]) area++;
  if (area >= MIN_VISIBLE_NECK * body.shoulderWidth * body.shoulderWidth) return true;
  const { width } = person.image;
  const half = neckHalfWidth(body);
  const x0 = Math.max(0, Math.floor(body.neck.centre.x - half));
  const x1 = Math.min(width - 1, Math.ceil(body.neck.centre.x + half));
  const y1 = Math.floor(body.neck.centre.y);
  const y0 = Math.max(0, Math.ceil(body.neck.centre.y - NECK_BASE_BAND * body.shoulderWidth));
  let atBase = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (neck[y * width + x]) atBase++;
  const column = (x1 - x0 + 1) * (y1 - y0 + 1);
  return x1 >= x0 && y1 >= y0 && atBase >= NECK_AT_BASE_SHARE * column;
}

/** Half the width of the columns about the neck in which a hidden neck's cover is kept above the new garment, as a share of the shoulder width. */
const HIDDEN_NECK_HALF = 0.25;
/** Labels of the skin a hidden neck's kept cover leaves out. */
const SEEN_SKIN_AT_NECK = new Set<number>([PartLabel.Face, PartLabel.Neck, PartLabel.TorsoSkin]);
/** How far above the chin ceiling that cover is kept from, as a share of the shoulder width. */
const HIDDEN_NECK_RISE = 0.05;

/**
 * The old garment the photo shows above the new garment's layer near the neck: per column within
 * HIDDEN_NECK_HALF of the neck's middle, from the chin ceiling down to the layer's first solid pixel
 * (at most to the armpits), the person's pixels that are not seen skin. Where the neck is hidden (a scarf, a turtleneck,
 * headphones), that is what covers it; repainted as skin it came out as a flat band of flesh
 * across the scarf, with a straight top at the chin ceiling.
 */
export function photoAboveLayerAtNeck(layer: Raster, person: PersonAnalysis, body: BodyFrame): Mask {
  const { width, height } = layer;
  const out = createMask(width, height);
  const labels = person.parsing.labels;
  const half = HIDDEN_NECK_HALF * body.shoulderWidth;
  const x0 = Math.max(0, Math.floor(body.neck.centre.x - half));
  const x1 = Math.min(width - 1, Math.ceil(body.neck.centre.x + half));
  // From a little above the chin ceiling: the old garment's outline is grown a few pixels past
  // its region, and above the ceiling that left a line of skin across the scarf.
  const top = Math.max(0, Math.floor(chinCeiling(body) - HIDDEN_NECK_RISE * body.shoulderWidth));
  const bottom = Math.min(height - 1, Math.round(Math.max(body.armpit.l.y, body.armpit.r.y)));
  for (let x = x0; x <= x1; x++) {
    for (let y = top; y <= bottom; y++) {
      const i = y * width + x;
      if (layer.data[i * 4 + 3] >= 128) break;
      // Not the skin the photo shows there: kept beside skin that is repainted, it stood as a
      // patch of another light down the neck; skin is the neck's own business (neckKeptAboveItsBase).
      if (person.personMask.data[i] >= 128 && !SEEN_SKIN_AT_NECK.has(labels[i])) out.data[i] = 255;
    }
  }
  return out;
}

/** The garment cut-out with its neck opening made transparent. */
function withoutNeckOpening(cutout: Raster, opening: Mask): Raster {
  const data = cutout.data.slice();
  for (let p = 0; p < opening.data.length; p++) if (opening.data[p]) data[p * 4 + 3] = 0;
  return { ...cutout, data };
}

/** How far below the ankle joint (share of the torso length) a hem covers what the parsing calls foot. */
const HEM_OVER_FOOT = 0.03;

/**
 * In place: takes the feet's part above the ankle (plus HEM_OVER_FOOT) out of a protected mask.
 * The parsing's foot region starts above the ankle joint, but a trouser hem or a long skirt hangs
 * in front of the ankle and the heel. Protected, that part cut notches out of a full-length hem
 * around each ankle (wide trousers on bare legs in heels). Standing or walking only: a bent leg's
 * foot can lie beside the other leg at any height.
 */
export function uncoverAnklesUnderHem(protectedMask: Mask, labels: Uint8Array, body: BodyFrame): void {
  if (legsBent(body)) return;
  const { width, height } = protectedMask;
  const ankles = [body.leg.l.joints[2], body.leg.r.joints[2]];
  const reach = HEM_OVER_FOOT * body.torsoLength;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== PartLabel.Foot) continue;
      const ankle = Math.abs(x - ankles[0].x) <= Math.abs(x - ankles[1].x) ? ankles[0] : ankles[1];
      if (y < ankle.y + reach) protectedMask.data[i] = 0;
    }
  }
}

/** Least overlap of a foot with the garment for its hem to be cut above it, as a share of the torso's length squared. */
const MIN_FOOT_OVERLAP = 1e-4;
/** Rows right above a foot (above all the parsing calls foot) read for what the photo shows there: the ankle or the old trousers. */
const ANKLE_ROWS = 4;
/** Largest share of those rows the old lower garment may cover for the hem to be cut above the foot. */
const MAX_COVERED_ANKLE = 0.5;
/** How far down from knee to ankle (share) a foot's top must lie for the hem to be cut there: higher, it is a raised or crossed foot. */
const FOOT_BELOW_KNEE = 0.5;

/**
 * In place: a hem that reaches over a foot the photo keeps in front (`protectedMask`, the parsing's
 * Foot) ends straight across at the foot's top instead. Occluded, the foot cut a shoe-shaped notch
 * out of the hem, a step in it on each side (wide trousers over heels): fabric hangs straight down
 * and the shoe shows below its hem. What is cut is the garment below the foot's top that joins the
 * foot's overlap, on the foot's side of the middle between the ankles (the other leg keeps its own
 * length). Standing or walking only, only a foot at the bottom of its leg, and only where the
 * photo shows the ankle above the foot (see below).
 */
export function cutHemAboveFeet(layer: Raster, labels: Uint8Array, protectedMask: Mask, body: BodyFrame): void {
  if (legsBent(body)) return;
  const { width, height } = protectedMask;
  const alpha = (i: number): number => layer.data[i * 4 + 3];
  const overlap = maskWhere(protectedMask, (x, y) => {
    const i = y * width + x;
    return labels[i] === PartLabel.Foot && alpha(i) > 0;
  });
  const { labels: components, regions } = labelComponents(overlap, 1);
  const ankles = [body.leg.l.joints[2], body.leg.r.joints[2]];
  const knees = [body.leg.l.joints[1], body.leg.r.joints[1]];
  const middle = (ankles[0].x + ankles[1].x) / 2;
  const minSize = MIN_FOOT_OVERLAP * body.torsoLength * body.torsoLength;
  const stack: number[] = [];
  const seen = new Uint8Array(width * height);
  const next = new Int32Array(4);
  for (let k = 0; k < regions.length; k++) {
    const region = regions[k];
    if (region.size < minSize) continue;
    // Bounds are exclusive at x1, y1.
    const cx = (region.x0 + region.x1 - 1) / 2;
    const leg = Math.abs(cx - ankles[0].x) <= Math.abs(cx - ankles[1].x) ? 0 : 1;
    const top = region.y0;
    if (top < knees[leg].y + FOOT_BELOW_KNEE * (ankles[leg].y - knees[leg].y)) continue;
    // Only where the photo shows the ankle above the shoe (bare legs, cropped trousers): cut
    // there, the hem bares what the photo shows. Where the old trousers ran down to the shoe, the
    // new ones do too (cut, they bared a painted ankle, a flat slab above the shoe).
    // Per column, what lies right above the foot (the parsing's foot runs up past the ankle).
    let covered = 0;
    let columns = 0;
    for (let x = region.x0; x < region.x1; x++) {
      let y = top - 1;
      while (y >= 0 && labels[y * width + x] === PartLabel.Foot) y--;
      let rows = 0;
      for (let r = y; r >= 0 && r > y - ANKLE_ROWS; r--, rows++) if (labels[r * width + x] === PartLabel.LowerGarment) covered++;
      columns += rows;
    }
    if (covered > MAX_COVERED_ANKLE * columns) continue;
    // The side of the middle the foot is on; feet together (one overlap across it) take both.
    const left = region.x0 <= middle ? 0 : Math.floor(middle);
    const right = region.x1 - 1 >= middle ? width : Math.ceil(middle);
    for (let y = region.y0; y < region.y1; y++) {
      for (let x = region.x0; x < region.x1; x++) {
        const i = y * width + x;
        if (components[i] === k + 1 && !seen[i]) {
          seen[i] = 1;
          stack.push(i);
        }
      }
    }
    while (stack.length > 0) {
      const i = stack.pop()!;
      layer.data[i * 4 + 3] = 0;
      for (let n = neighbours4(i, width, height, next, top), m = 0; m < n; m++) {
        const j = next[m];
        const x = j % width;
        if (seen[j] || x < left || x >= right || alpha(j) === 0) continue;
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
}

/**
 * The neck the photo shows above its base. A flat lay shows the inside of its back through the
 * front neckline (the same fabric, often with the label); placed on the person, that inside lands
 * on the neck. Worn, the neck is in front of it: the neck stays the person's.
 */
export function neckAboveItsBase(person: PersonAnalysis, body: BodyFrame): Mask {
  const { labels, width } = person.parsing;
  return maskWhere(person.personMask, (x, y) => y <= body.neck.centre.y && labels[y * width + x] === PartLabel.Neck);
}

/** Half the width of the neck's base (BodyFrame.neck), px. */
function neckHalfWidth(body: BodyFrame): number {
  return Math.abs(body.neck.r.x - body.neck.l.x) / 2;
}

/**
 * The neck a new top or dress never covers: the neck above its base (neckAboveItsBase), whose base
 * curves up from its middle towards the sides of a column about the neck's width, as a collar
 * around the neck does (level, it cut a square notch into a crew neck), and beside that column
 * stays at the sides' height. The parsing's neck runs out along the shoulders' slope to a tank
 * top's straps: below that height it is the shoulders' top, which a sleeved top covers (kept as
 * neck, it stood as a wedge of skin between the new collar and the sleeve); above it, a chin or a
 * turned head's neck parsed as neck stays.
 */
export function neckKeptAboveItsBase(person: PersonAnalysis, body: BodyFrame): Mask {
  const { labels, width } = person.parsing;
  const half = neckHalfWidth(body);
  const reach = Math.max(1, NECK_COLUMN * half);
  return maskWhere(person.personMask, (x, y) => {
    const across = Math.min(1, Math.abs(x - body.neck.centre.x) / reach);
    return y <= body.neck.centre.y - NECK_SIDE_RISE * half * across * across && labels[y * width + x] === PartLabel.Neck;
  });
}

/**
 * Where a sleeveless garment never reaches: outward of the body's shoulder points (where its
 * straps land) and the arms. The old sleeve's band there is the bare shoulder and arm, not a
 * sliver of the new garment to grow over (which smeared the strap's colour over the shoulder).
 */
export function sleevelessBareArms(person: PersonAnalysis, body: BodyFrame): Mask {
  const armGrow = Math.max(body.arm.l.radius, body.arm.r.radius) * 0.3;
  const left = Math.min(body.shoulder.l.x, body.shoulder.r.x);
  const right = Math.max(body.shoulder.l.x, body.shoulder.r.x);
  const below = Math.max(body.armpit.l.y, body.armpit.r.y);
  return maskWhere(person.personMask, (x, y) => (y < below && (x < left || x > right)) || body.inArm(x, y, armGrow));
}

/** Steepest tilt from the vertical, in degrees, of an arm's bone along which the arm hangs beside the torso (arms akimbo stand out 30 degrees and more). */
const HANGING_TILT_DEGREES = 25;

/**
 * The pixels of `arms` whose nearest bone (upper arm or forearm, by the pose) hangs within
 * HANGING_TILT_DEGREES of the vertical (a forearm, only below an upper arm that does): an arm
 * beside the torso, not a forearm held across it (a gap between the garment and a forearm raised
 * to the chest is no side seam's place) or an arm akimbo.
 */
export function hangingArms(arms: Mask, body: BodyFrame): Mask {
  const bones: Array<[Point, Point]> = [];
  for (const limb of [body.arm.l, body.arm.r]) {
    const [shoulder, elbow, wrist] = limb.joints;
    bones.push([shoulder, elbow], [elbow, wrist]);
  }
  const steep = bones.map(([a, b]) => Math.abs(b.y - a.y) >= Math.cos((HANGING_TILT_DEGREES * Math.PI) / 180) * Math.hypot(b.x - a.x, b.y - a.y));
  // A forearm hangs beside the torso only below an upper arm that does: one coming back in to
  // the hip from an elbow held out (arms akimbo) is steep too, and the band beside it stood off
  // the body as a block at the elbow.
  for (let k = 1; k < steep.length; k += 2) steep[k] = steep[k] && steep[k - 1];
  return maskWhere(arms, (x, y) => {
    let nearest = 0;
    let best = Infinity;
    for (let k = 0; k < bones.length; k++) {
      const d = distanceToSegment({ x, y }, bones[k][0], bones[k][1]);
      if (d < best) {
        best = d;
        nearest = k;
      }
    }
    return steep[nearest];
  });
}

/**
 * How much of the old garment's light at the body's scale bared skin takes (see borrowLight), at
 * most: all of it. The new garment takes only part of the photo's finer light (SHADING_STRENGTH),
 * whose folds are the old garment's, not its own; skin has no folds of its own, and the body-scale
 * light (the shade beside an arm, under a collar) is the body's. At half of it the painted chest
 * and arms of wide 94 and 73 changed by a few levels, no more.
 */
const SKIN_LIGHT_STRENGTH = 1;

/**
 * In place: multiplies `shading` on the bared skin (`skin` non-zero) by the photo's light on the
 * old garment (`light`, 1 where flat), at `strength` scaled down by the light's contrast over the
 * old garment (`oldGarment`) past plain fabric's folds (PLAIN_FOLD_CONTRAST): the light of a
 * printed or textured top is mostly its print, which must not show on the skin.
 */
export function borrowLight(shading: FloatMap, skin: Mask, light: FloatMap, oldGarment: Mask, strength: number): void {
  const k = strength * Math.min(1, PLAIN_FOLD_CONTRAST / Math.max(shadingContrast(light, oldGarment), 1e-6));
  for (let i = 0; i < shading.data.length; i++) if (skin.data[i] !== 0) shading.data[i] *= 1 + k * (light.data[i] - 1);
}

/** Darkening of painted neck skin right under the jaw (share of its light): the head shades the neck. */
const JAW_SHADOW_DEPTH = 0.35;
/** How far the jaw's shadow reaches down the neck (1/e distance), as a share of the shoulder width. */
const JAW_SHADOW_REACH = 0.05;

/**
 * In place: darkens `shading` on painted neck and torso skin (`painted` 1) that hangs from the
 * head, by JAW_SHADOW_DEPTH · exp(−d / reach) with d the rows down from the top of the painted run
 * in its column, where the pixel above that run is the face or the hair (a beard), or a sliver of
 * seen neck no longer than the reach below them (d counted from the head). A neck painted
 * where a turtleneck or a scarf was stood lit as evenly as the chest, a flat pale column up to the
 * jaw; the head shades it. (Skin painted below a neck the photo shows starts below that neck, not
 * at the head, and keeps its light.)
 */
export function shadeBelowJaw(shading: Float32Array, painted: Uint8Array, labels: Uint8Array, width: number, height: number, reach: number): void {
  const r = Math.max(1, reach);
  // Far enough down, the shadow is under a thousandth of the light: the run is followed no further.
  const depth = Math.ceil(7 * r);
  for (let x = 0; x < width; x++) {
    for (let y = 1; y < height; y++) {
      const i = y * width + x;
      if (!painted[i] || painted[i - width]) continue;
      // Through a sliver of neck the photo shows between the jaw and the old collar.
      let gap = 1;
      while (gap <= r && y - gap >= 0 && labels[i - gap * width] === PartLabel.Neck) gap++;
      if (y - gap < 0) continue;
      const above = labels[i - gap * width];
      if (above !== PartLabel.Face && above !== PartLabel.Hair) continue;
      for (let k = 0; k < depth && y + k < height && painted[i + k * width]; k++) {
        shading[i + k * width] *= 1 - JAW_SHADOW_DEPTH * Math.exp(-(k + gap - 1) / r);
      }
    }
  }
}

/**
 * The person and everything beyond its outline on each row, leaving out the backdrop the photo
 * shows between two parts of it on the same row (between an arm and the body, between the legs).
 */
function notBetweenLimbs(onPerson: Mask): Mask {
  const { width: w, height: h, data } = onPerson;
  const out = createMask(w, h);
  out.data.fill(255);
  for (let y = 0, row = 0; y < h; y++, row += w) {
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (data[row + x] < 128) continue;
      if (first < 0) first = x;
      last = x;
    }
    for (let x = first + 1; x < last; x++) if (data[row + x] < 128) out.data[row + x] = 0;
  }
  return out;
}

/**
 * Which of EngineResult.diagnostics a render builds; each costs full-resolution passes. 'garments':
 * the old and new garment masks (what a prompt pass composes its blend on); 'all': those, the
 * person, the chin row and the pixel shares (the eval, a transparent input's alpha).
 */
export type DiagnosticsLevel = 'none' | 'garments' | 'all';

export interface ComposeInput {
  /** The full-resolution person photo (RGB). */
  model: Raster;
  person: PersonAnalysis;
  body: BodyFrame;
  /**
   * The new garment as an RGBA layer at analysis resolution, already occluded by the arms where
   * they are in front of it; alpha is its coverage.
   */
  layer: Raster;
  /** Decides which old garment is replaced and what is protected. */
  category: TryOnRequest['category'];
  timings: Timings;
  /**
   * True when the layer's outline is exactly what must be shown (prompt edits draw it, with their
   * own edge relaxation): no growing into the old garment's thin bands.
   */
  exactOutline?: boolean;
  /**
   * 0..1, default 1: how much of the photo's own garment colour stays under the new layer
   * (1 = full replacement). Prompt edits use it for guidance_scale.
   */
  opacity?: number;
  /** Default 'none'. */
  diagnostics?: DiagnosticsLevel;
  /** Trouser legs: a hem reaching over a shoe the photo keeps ends straight across above it (see cutHemAboveFeet). */
  straightHem?: boolean;
  /** Where the layer is never grown over the old garment's thin bands (see sleevelessBareArms). */
  noGrowth?: Mask;
  /**
   * The arms' skin the photo shows below the new sleeves' cuffs (see armsBelowCuffs): never part of
   * the old garment's outline, and never grown over.
   */
  armsInSight?: Mask;
  /** The garment has sleeves and rests on the shoulders (not off-shoulder): its shoulders are grown over a thin band of shoulder skin the photo shows beyond them. */
  coverShoulders?: boolean;
  /**
   * A bottom under a kept top that hid the midriff: what the new bottom bares of the torso is the
   * top continuing, synthesised from it (see topAboveBottom), not skin.
   */
  topContinues?: boolean;
  /** Where the photo is kept as it is (a garment's neck opening on a wearer whose neck does not show). */
  keepPhoto?: Mask;
  /** The old collar above the chin ceiling (see oldCollarAboveCeiling): part of the old garment, repainted. */
  oldCollar?: Mask;
  /**
   * The garment's neck opening as placed on the body: its neckline is an edge of the garment's
   * own, never grown over the old garment's collar (see composeIntoPhoto).
   */
  neckOpening?: Mask;
  /**
   * The layer is worn over the person's own top (a sweater vest, see wornOverAnotherTop): nothing of
   * the old garment is taken away, so nothing is bared or filled and the layer is not grown over
   * it; the photo shows round the layer and through its neckline.
   */
  wornOver?: boolean;
}

/**
 * Widest gap of the new garment, as a half-width share of the shoulder width, that is closed: a
 * sleeve a little narrower than the arm, or set a few pixels off it, leaves a strip of the arm
 * between sleeve and body panel (the arm is in front of the panel, which is cut away there).
 */
const NARROW_GAP = 0.02;
/**
 * Widest gap between the new trouser legs over the old bottom that is closed, as a half-width
 * share of the leg's radius: the narrow tip of the gap below the crotch, where legs hidden by the
 * old bottom touch. Wider, the gap is the legs standing apart (a stride under a long skirt).
 */
const TOUCHING_LEGS_GAP = 0.3;
/** Radius of the majority filter that trims what stands out of the outline the layer was grown to, as a share of the shoulder width (see trimGrownOutline). */
const GROWN_OUTLINE_SMOOTHING = 0.03;
/** The widest gap along a row between a new sleeve and the new panel that is closed (on the person or past its outline), as a share of the shoulder width (see closeGapsAlongRows). */
const SLEEVE_PANEL_GAP = 0.16;
/** Nearest such a gap comes to the body's middle, as a share of the shoulder width: nearer, it is a neckline's opening. */
const SLEEVE_PANEL_GAP_OFF_CENTRE = 0.3;
/** The widest band between the new garment's side and an arm beside it that the garment is grown across, as a share of the shoulder width. */
const ARM_SIDE_GAP = 0.12;
/** Rows either side of a row whose bands decide with it (see growAcrossRowsTo), as a share of the shoulder width. */
const ARM_SIDE_STEADY = 0.03;
/** How far below the armpits that band starts, as a share of the shoulder width (a tank's armhole runs lower than the armpit). */
const ARM_SIDE_DROP = 0.1;
/** Shortest such band grown, as a share of the shoulder width (see growAcrossRowsTo). */
const ARM_SIDE_MIN_LENGTH = 0.25;
/** The arm's parts, hand included, as the photo shows them. */
const ARM_LABELS = [PartLabel.UpperArm, PartLabel.LowerArm, PartLabel.Hand] as const;

/**
 * The shared rendering path (try-on and prompt edits): occlusion, fill of what the old garment
 * leaves bare, shading borrowed from the photo, compositing, and the merge into the
 * full-resolution photo inside the repaint region only.
 */
export function composeIntoPhoto(input: ComposeInput): EngineResult {
  const { person, body, layer, category, timings } = input;
  const { width, height } = person.image;
  const labels = person.parsing.labels;
  const opacity = input.opacity ?? 1;
  const noGrowth = input.noGrowth && input.armsInSight ? unionMask(input.noGrowth, input.armsInSight) : (input.noGrowth ?? input.armsInSight);

  const renderStart = performance.now();
  const masks = timed(timings, 'render.masks', () => {
    // (The hands whole: their label leaves out the creases between fingers and their soft edge,
    // and along its outline reaches over what lies beside the hand; wholeHands decides there.)
    const byLabel = unionMask(labelMask(labels, width, height, PROTECTED_LABELS[category].filter((l) => l !== PartLabel.Hand)), wholeHands(labels, person.image, body.shoulderWidth));
    // (A bottom keeps the top whole, the pieces of it parsed as skin included.)
    const labelled = category === 'lower_body' ? unionMask(byLabel, skinInsideTop(labels, width)) : byLabel;
    if (category !== 'upper_body' && !input.exactOutline) uncoverAnklesUnderHem(labelled, labels, body);
    // A drawn outline (prompt edits) is shown as drawn; a garment photo's neckline is not.
    const neckAbove = category !== 'lower_body' && !input.exactOutline ? neckKeptAboveItsBase(person, body) : null;
    const protectedNeck = neckAbove ? unionMask(labelled, neckAbove) : labelled;
    const protectedMask = input.keepPhoto ? unionMask(protectedNeck, input.keepPhoto) : protectedNeck;
    if (input.straightHem) cutHemAboveFeet(layer, labels, protectedMask, body);
    occlude(layer, protectedMask);
    if (!input.exactOutline) dropLayerFragments(layer, MIN_FRAGMENT_SHARE);
    // The old garment's soft edge is a few pixels wider than its labels, and its outline is
    // wider still where the labels stop short of it.
    const oldLabelled = labelMask(labels, width, height, OLD_LABELS[category]);
    const sleevesAbove = category === 'lower_body' ? null : raisedSleeves(person, body, category);
    const belowCeiling = oldGarmentRegion(oldLabelled, person.image, {
      ceilingY: category === 'lower_body' ? 0 : chinCeiling(body),
      // (A raised arm's old sleeve, above the chin, as the new sleeve may stand there: see raisedSleeves.)
      raisedArm: sleevesAbove ? (x, y) => sleevesAbove.data[y * width + x] !== 0 : undefined,
      person: person.personMask,
      offPersonReach: Math.round(OFF_PERSON_OUTLINE * body.shoulderWidth),
      guard: labelled,
    });
    const oldRegion = input.oldCollar ? unionMask(belowCeiling, subtractMask(input.oldCollar, protectedMask)) : belowCeiling;
    // The old collar's edge: the neck's labels stop a pixel or two short of it, and kept as the
    // neck it drew a light or dark line along the neck's base over the painted skin. Those few
    // pixels are repainted with the neck's skin below them; the neck above stays as it is.
    // (Near the base only: a speck parsed as the old garment on a chin is no collar.)
    const collarTop = body.neck.centre.y - COLLAR_EDGE_RISE * neckHalfWidth(body);
    const collarEdge = neckAbove
      ? intersectMask(maskWhere(neckAbove, (_x, y) => y >= collarTop), dilateMask(oldLabelled, Math.max(1, Math.round(width * COLLAR_EDGE))))
      : null;
    // Off the person the old garment's outline also left its halo (a retouched product photo's
    // light rim, the soft edge the mask stops short of): refilled as backdrop, it no longer traces
    // the old silhouette as a faint line beside the new one.
    const onPerson = binarise(person.personMask, 128);
    const halo = subtractMask(dilateMask(oldRegion, Math.max(OUTLINE_HALO_MIN_PX, Math.round(width * OUTLINE_HALO))), onPerson);
    // (What is kept as the photo stays kept, collar edge or not.)
    const neckKept = collarEdge ? subtractMask(protectedNeck, collarEdge) : protectedNeck;
    const keptForOutline = input.keepPhoto ? unionMask(neckKept, input.keepPhoto) : neckKept;
    // (Nor the arms in sight below the new sleeves: an old garment grown over a dark arm beside it.)
    const keptOrArms = input.armsInSight ? unionMask(keptForOutline, input.armsInSight) : keptForOutline;
    const oldOutline = subtractMask(dilateMask(collarEdge ? unionMask(oldRegion, collarEdge) : oldRegion, OLD_OUTLINE_PX), keptOrArms);
    const oldAndHalo = unionMask(oldOutline, subtractMask(halo, protectedMask));
    // A thin band of the old garment along the new one's outline (a puffed shoulder above a set-in
    // seam, a hem a finger longer) is covered by the new garment rather than filled: a fill there
    // reads as a flesh-coloured or backdrop-coloured sliver.
    if (!input.exactOutline && !input.wornOver) {
      // Not into the halo: the old outline's own band stays what decides a sliver.
      const steps = Math.max(2, Math.round(width * SLIVER_COVER));
      let target = noGrowth ? subtractMask(oldOutline, noGrowth) : oldOutline;
      // Nor off the person (its outline's width past it aside): the old garment's edge there (a
      // white sleeve the person mask left out on a pale backdrop) is refilled as backdrop; covered
      // by the new garment instead, it stood off the body as a flap.
      target = intersectMask(target, dilateMask(onPerson, OLD_OUTLINE_PX));
      // Not over an old collar above the new neckline: the band between the two is neither thin
      // nor even, and grown in part it stood on the neckline as blocks of fabric.
      if (input.neckOpening) target = subtractMask(target, dilateMask(input.neckOpening, steps));
      // Nor over the old collar's edge on the neck: that is repainted as the neck, never covered.
      if (collarEdge) target = subtractMask(target, collarEdge);
      const solidBeforeGrowth = binarise(alphaMask(layer), SOLID_ALPHA);
      // A bottom's sides follow the legs: beside them the old garment is the old cut (a skirt's
      // flare, wider trouser legs), and grown there it stood off the legs as ragged flaps.
      const besideLayer = target;
      if (category === 'lower_body') target = inLayerColumns(target, solidBeforeGrowth, steps);
      // Trousers and shorts cover the legs' skin beside them down to their hem (see legSkinBesideTrousers).
      if (input.straightHem) target = unionMask(target, legSkinBesideTrousers(labels, protectedMask, solidBeforeGrowth, steps));
      growLayerInto(layer, target, steps);
      // And the hips to the old bottom's sides, up to the body's hips (see hipsBesideTrousers).
      if (input.straightHem) {
        const hipSteps = Math.max(steps, Math.round(HIPS_GROWTH * body.shoulderWidth));
        growLayerInto(layer, hipsBesideTrousers(besideLayer, solidBeforeGrowth, body, hipSteps), hipSteps);
      }
      // A sleeved top's shoulder and sleeve cap cover the shoulder to its outline: where the old
      // top bared it (a tank top, a camisole), the new one's cap, placed on the shoulder joints,
      // stopped short of the skin's edge and left a wedge of shoulder standing above the sleeve.
      if (input.coverShoulders) {
        const neckClear = NECK_CLEAR * neckHalfWidth(body);
        // The shoulders' top only: lower down, an arm in front of the sleeve cuts it, and grown
        // around the arm the sleeve was left with notches of skin.
        const below = Math.max(body.shoulder.l.y, body.shoulder.r.y) + SHOULDER_CAP * body.shoulderWidth;
        const nearNeck = (x: number): boolean => Math.abs(x - body.neck.centre.x) <= neckClear;
        const shoulderSkin = maskWhere(person.personMask, (x, y) => {
          if (y >= below || nearNeck(x)) return false;
          const label = labels[y * width + x];
          return label === PartLabel.TorsoSkin || label === PartLabel.UpperArm || label === PartLabel.Neck;
        });
        // With the shoulder's soft silhouette (its outermost pixels are part backdrop): left out,
        // it stayed as a pale line of skin along the new shoulder's edge.
        const silhouette = maskWhere(dilateMask(shoulderSkin, SILHOUETTE_RIM_PX), (x, y) => y < below && !nearNeck(x));
        // Only a band between the new shoulder and the backdrop is grown: the rest of the person
        // stops the band without being its far side (skin beside the new neckline is the
        // neckline's shape, not a band to cover; grown, it left the neckline a ragged bite).
        growLayerInto(layer, subtractMask(silhouette, protectedMask), steps, { neutral: onPerson });
      }
      // A narrow gap on the person (between a sleeve and the panel) is closed, never over what is
      // kept as the photo shows it, nor a sleeveless garment's armholes. (Only gaps beside an arm:
      // rated worse, a hole in a sleeve stayed.)
      if (category !== 'lower_body') {
        const radius = Math.max(2, Math.round(body.shoulderWidth * NARROW_GAP));
        // Not the garment's own openings: its neckline's tip, a keyhole.
        let kept = noGrowth ? unionMask(protectedMask, noGrowth) : protectedMask;
        if (input.neckOpening) kept = unionMask(kept, dilateMask(input.neckOpening, radius));
        closeNarrowGaps(layer, radius, onPerson, kept);
        // Wider gaps between a sleeve and the panel, at the torso's sides: on the person, or past
        // its outline (a loose sleeve hangs off a hidden arm), never over backdrop the photo shows
        // between its arm and body.
        const shoulderY = Math.min(body.shoulder.l.y, body.shoulder.r.y);
        const sides = { x: (y: number) => body.centreX(y), distance: body.shoulderWidth * SLEEVE_PANEL_GAP_OFF_CENTRE };
        closeGapsAlongRows(layer, subtractMask(notBetweenLimbs(onPerson), kept), body.shoulderWidth * SLEEVE_PANEL_GAP, shoulderY, sides);
      } else if (input.straightHem) {
        // Between trouser legs, a narrow gap where the photo shows the old bottom (neither the
        // backdrop between the legs nor their skin) hides legs that touch there: under a dress or
        // a skirt, or in trousers whose legs meet. The new legs meet too; filled, the gap's tip
        // below the crotch was a sliver of the old garment's colour or of backdrop (wide 111, 23).
        const legRadius = Math.min(body.leg.l.radius, body.leg.r.radius);
        closeNarrowGaps(layer, Math.max(2, Math.round(legRadius * TOUCHING_LEGS_GAP)), intersectMask(oldLabelled, onPerson), protectedMask);
      }
      trimGrownOutline(layer, solidBeforeGrowth, Math.max(1, body.shoulderWidth * GROWN_OUTLINE_SMOOTHING));
    }
    // A cut-out's outline, warped and cut by binary masks, steps and frays; a garment's edge is
    // smooth and soft. (Before the masks below read the alpha: what the garment covers is what
    // it covers once smoothed. Never over what is kept, nor over the arms left bare or in sight
    // below the cuffs: they stay the photo's.)
    if (!input.exactOutline) smoothOutline(layer, noGrowth ? unionMask(protectedMask, noGrowth) : protectedMask);
    // The layer is drawn as it stands from here on: its alpha is read once for the thresholds below.
    const alpha = alphaMask(layer);
    const newGarment = binarise(alpha, 8);
    const covered = binarise(alpha, 200);
    // The old garment's hem and edge shade the limb right beside them (a sleeve's shadow across the
    // forearm, a cuff's): where the old garment is taken away, that band is repainted with the
    // limb's skin too, or it stayed as a dark line across the arm where the old hem had been.
    // (On the person: the old garment's halo off it borders the limb's outline, not a hem.)
    // Worn over the old garment, only what the new one covers of it is replaced (its light is still
    // what the new one borrows).
    const oldGarment = input.wornOver ? intersectMask(oldAndHalo, covered) : oldAndHalo;
    const bareCore = intersectMask(binarise(subtractMask(oldGarment, covered), 128), onPerson);
    const hemShadow = subtractMask(
      intersectMask(labelMask(labels, width, height, LIMB_SKIN_LABELS), dilateMask(bareCore, Math.max(2, Math.round(width * HEM_SHADOW)))),
      unionMask(protectedMask, unionMask(covered, bareCore)),
    );
    // (The old garment itself stays as it is: its light is what the new one borrows, and the eval
    // and the prompt engine's blend read it.)
    const oldWithShadow = unionMask(oldGarment, hemShadow);
    // The new garment's own shadow right below its lower edges, on the person where the garment
    // does not cover them (a top's hem over kept trousers, a sleeve's cuff over the forearm):
    // without it the garment lay on the photo like a sticker. (A bottom is under the kept top,
    // which shades it already.) Where the fill turns out to be backdrop the shadow is taken back
    // when it is drawn; those pixels are repainted anyway.
    const shadow = category !== 'lower_body' && !input.exactOutline
      ? castShadowBelow(
          binarise(alpha, 128).data,
          // (Any non-zero pixel receives the shadow.)
          subtractMask(subtractMask(onPerson, protectedMask), newGarment).data,
          width,
          height,
          Math.max(1, body.shoulderWidth * CAST_SHADOW_DECAY),
          CAST_SHADOW_DEPTH,
        )
      : null;
    const shadowed = shadow ? maskWhere(onPerson, (x, y) => shadow.data[y * width + x] > 0) : null;
    const region = unionMask(oldWithShadow, shadowed ? unionMask(newGarment, shadowed) : newGarment);
    // Under the new garment's soft outline the old garment showed through (specks of an old blue
    // plaid along a white strap's edge, wide 103): what the layer does not wholly hide is refilled
    // too, so that its edge blends into what would be there. (Worn over the old garment, that edge
    // lies on the old garment, which stays.)
    const bare = subtractMask(oldWithShadow, input.wornOver ? covered : binarise(alpha, OPAQUE_ALPHA));
    return { oldGarment, newGarment, region, bare, shadow };
  });

  const canvas = createRaster(width, height, 3);
  canvas.data.set(person.image.data);
  // The visible skin with detail: the source of the bared skin's grain, and of the layer's (read only).
  const skinDetailLabelled = labelMask(labels, width, height, BODY_SKIN_DETAIL_LABELS);
  // Returns the two fill masks, for the pixel shares (diagnostics.backgroundFill / photoKept).
  // The old garment's light (see render.shading), measured once: the new garment borrows it, and so
  // does the skin the old garment leaves bare, at the body's scale.
  const shadingAt = shadingByDetail(person.image, masks.oldGarment, Math.max(8, width / 40), { min: 0.72, max: 1.2, printStrokeRadius: width * SHADING_DETAIL });
  let bodyScale: FloatMap | null = null;
  const bodyScaleLight = (): FloatMap => (bodyScale ??= shadingAt(Math.max(2, width * PRINTED_SHADING_DETAIL)));
  const fills = timed(timings, 'render.fill', () => {
    const { bare } = masks;
    // Skin only on the person: where the old garment stood out past the body is backdrop.
    const head = bodyGeometry(person.pose).head;
    const sideLight = head ? sideLightFromFace(person.image, labels, PartLabel.Face, head.centre.x) : 0;
    // Arm skin the photo shows (not what the old garment leaves bare); limb skin adds the legs.
    const shownArm = (i: number): boolean => (labels[i] === PartLabel.LowerArm || labels[i] === PartLabel.UpperArm) && bare.data[i] < 128;
    const armSkin = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && shownArm(y * width + x);
    const shownLeg = (i: number): boolean => labels[i] === PartLabel.Leg && bare.data[i] < 128;
    const legSkin = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && shownLeg(y * width + x);
    const limbSkin = (i: number): boolean => shownArm(i) || shownLeg(i);
    const hems = armsAtHem(body, armSkin);
    const skinModel = bareSkinModel(
      body, intersectMask(bare, person.personMask), undefined, sideLight, seenForearms(body, armSkin), { image: person.image, isLimbSkin: limbSkin },
      hems, person.personMask,
    );
    // The torso's side behind an arm that hangs beside it: where the new garment is narrower
    // than the old one, the old garment's band between its side and the arm (the arm as the photo
    // shows it or as it is painted) was filled as a flat strip of skin or a pale strip of backdrop
    // (the body's true side there is unknown); the garment wraps round the torso and the arm
    // hides its side seam, so the band is the garment. (Below the armpits only, and a little
    // lower still: above, a sleeveless garment's armhole bares the side, and grown out past its
    // trim it stood there as a tab.) The layer is drawn over these pixels' fill below.
    if (category !== 'lower_body' && !input.exactOutline) {
      const capsules = skinModel.arms.map(capsuleSegments);
      const on: LimbCoordinates = { along: 0, across: 0, radius: 0 };
      const paintedArms = maskWhere(skinModel.zone, (x, y) => !skinModel.onTorso(y * width + x) && capsules.some((c) => limbCoordinates(x, y, c, on) && Math.abs(on.across) <= on.radius));
      const seenArms = subtractMask(labelMask(labels, width, height, ARM_LABELS), bare);
      const arms = hangingArms(unionMask(paintedArms, seenArms), body);
      const belowArmholes = Math.max(body.armpit.l.y, body.armpit.r.y) + ARM_SIDE_DROP * body.shoulderWidth;
      // (The old garment's halo off the person is part of the band: between the old sleeve and
      // the arm it was what stayed as a pale line.)
      const band = subtractMask(bare, arms);
      const steady = Math.round(body.shoulderWidth * ARM_SIDE_STEADY);
      const solidBeforeBand = binarise(alphaMask(layer), SOLID_ALPHA);
      growAcrossRowsTo(layer, arms, band, body.shoulderWidth * ARM_SIDE_GAP, belowArmholes, steady, Math.round(body.shoulderWidth * ARM_SIDE_MIN_LENGTH));
      // Rows grown whole or not at all end in steps where the arm's outline wavers.
      trimGrownOutline(layer, solidBeforeBand, Math.max(1, body.shoulderWidth * GROWN_OUTLINE_SMOOTHING));
    }
    const zoned = intersectMask(bare, skinModel.zone);
    // A bottom bares no arm whose hand is out of sight (person/hands.ts): inside the old bottom's
    // outline that arm is a hand in its pocket. Painted on from the cuff where the new bottom is
    // narrower, it stood beside the new trousers as a flesh slab (wide 106); that part is refilled
    // as the backdrop beside it. (An arm whose hand shows hangs beside the hip: its painted edge
    // there is the arm's own.)
    if (category === 'lower_body') {
      const pocketed = [body.arm.l, body.arm.r].map((arm) => handHiddenAt(person.pose, arm.joints[2]));
      clearWhere(zoned, (i) => {
        const arm = skinModel.armAt(i);
        return arm >= 0 && pocketed[arm];
      });
    }
    const bareSkin = zoned;
    // Background under everything that is not wholly skin, so that the skin's soft rim blends
    // into background rather than into the old garment.
    // (The limbs' skin the photo shows, in the repaint region beside the old garment (its outline's
    // margin, a hem's shadow), is skin where no bare limb is drawn too: kept as the photo shows it
    // there, never backdrop, which stood as a pale line between an arm and the new garment's side.)
    const seenLimbs = labelMask(labels, width, height, LIMB_SKIN_LABELS);
    // A photo that ends at the hips keeps the bottom's top as it shows it, on the person (see
    // bottomOutOfSight; the gap the skin zone leaves between the legs is the bottom too, not backdrop).
    const keptBottom = category === 'upper_body' ? bottomOutOfSight(intersectMask(bare, binarise(person.personMask, 128)), labels, bare, body) : null;
    const backdropOrBottom = subtractMask(subtractMask(bare, binarise(bareSkin, 255)), subtractMask(seenLimbs, bareSkin));
    const refilled = keptBottom ? subtractMask(backdropOrBottom, keptBottom) : backdropOrBottom;
    // What the backdrop fill cuts off from the body goes with it (see strandedByBackdrop).
    const stranded = strandedByBackdrop(person.personMask, refilled, STRANDED_MAX_SHARE);
    const bareBackground = stranded ? unionMask(refilled, stranded) : refilled;
    // (Repainted in the result as the rest of the repaint region is.)
    if (stranded) masks.region = unionMask(masks.region, stranded);
    // The backdrop is learnt only from the backdrop: off the person, and not the old garment
    // where it stands off the person (its halo, a flare the segmentation misses), which was copied
    // into the fill as the garment's colour and texture.
    const backdropSource = subtractMask(offPerson(person.personMask), masks.oldGarment);
    fillBackground(canvas, bareBackground, person.personMask, { source: backdropSource });
    // A smooth fill reads as a blur on grass, brick or a street: there the backdrop is
    // synthesised from its own patches (a studio sweep keeps the smooth fill, which follows its
    // gradient without seams).
    if (backdropTexture(canvas, bareBackground, person.personMask) >= TEXTURED_BACKDROP_NOISE || backdropEdges(canvas, bareBackground, person.personMask) >= STRUCTURED_BACKDROP_EDGES) {
      inpaintPatches(canvas, bareBackground, backdropSource, { seed: 7, rowPrior: BACKDROP_ROW_PRIOR, sharp: true });
    }
    // A new top shorter than a coat over trousers bares the trousers' top, not the thighs.
    const trousers = category === 'upper_body' ? trousersUnderTop(bareSkin, labels, bare, body) : null;
    // A new bottom lower than the old one, under a top that ran down to it, bares the top's end.
    const seenTop = input.topContinues ? subtractMask(labelMask(labels, width, height, [PartLabel.UpperGarment]), bare) : null;
    const top = seenTop ? topAboveBottom(bareSkin, seenTop, body) : null;
    const synthesised = trousers ?? top;
    const notSkin = synthesised && keptBottom ? unionMask(synthesised, keptBottom) : (synthesised ?? keptBottom);
    const skinOnly = notSkin ? subtractMask(bareSkin, notSkin) : bareSkin;
    // The photo's light on the old garment at the body's scale (no print, no fine folds: see
    // render.shading) lights the skin it leaves bare too: the shadow where an arm hangs against the
    // body, the side of the chest turned from the light, the fall-off under the old collar. The
    // model of the body above lights each part as an ideal solid, and arm, side and chest were one
    // evenly lit slab (wide 94, 73, 19). Only as much of it as of plain fabric's folds (a printed
    // or textured old garment's light is mostly its print), and before the copied arms' light is
    // read: the skin copied up an arm brings its own.
    // (No bared skin, nothing to light: the body-scale light is then not made unless the new
    // garment needs it below.)
    if (anySet(skinOnly.data)) borrowLight(skinModel.shading, skinOnly, bodyScaleLight(), masks.oldGarment, SKIN_LIGHT_STRENGTH);
    // The light before the new garment's contact shadow, for the arm continued below.
    const unshaded = skinModel.shading.data.slice();
    shadeUnderGarment(skinModel.shading, skinOnly, masks.newGarment, body);
    // The bared chest and shoulders are a rounded solid too: their light falls off towards the
    // body's outline as it will stand (where the old garment stood past the body is backdrop now),
    // over the shoulders' top as at the sides. The torso model above is lit across its width only,
    // and a bared pair of shoulders was one flat slab up to a square top edge.
    const torso = skinWhere(skinOnly, skinModel.onTorso);
    const torsoForm = silhouetteShading(outlineAfterEdit(person.personMask, bareBackground), width, height, body.shoulderWidth * FORM_REACH, FORM_DEPTH, torso);
    multiplyWhere(skinModel.shading.data, torsoForm.data, torso);
    // The bared arms and legs are rounded too, each to its own outline.
    const limbs = skinWhere(skinOnly, (i) => !torso[i]);
    roundLimbs(skinModel.shading, limbs, subtractMask(seenLimbs, bare), body);
    shadeBelowJaw(skinModel.shading.data, torso, labels, width, height, body.shoulderWidth * JAW_SHADOW_REACH);
    const visibleSkin = subtractMask(labelMask(labels, width, height, SKIN_LABELS), bare);
    // Far from the skin it borders, bared skin takes its own part's tone: a limb's as its seen skin
    // shows it, the chest's as the chest the photo shows above a lower neckline (the body's median
    // is mostly arms and legs, often in shade: a chest bared below the old neckline went darker
    // than the chest right above it).
    // (Else the neck's, the nearest skin a bared chest continues: the body's median, mostly arms in
    // shade, painted a low neckline's chest darker and redder than the neck above it.)
    // Unseen, the chest is lit as the face is (see litFaceTone), from below the neck's base: the
    // neck keeps the neck's tone (lit as the face, a neck bared under the jaw stood as a pale
    // patch beside the beard's shadow), blending into the chest's over CHEST_TONE_BLEND.
    const linear = (rgb: [number, number, number] | null): [number, number, number] | undefined =>
      rgb ? (rgb.map((v) => SRGB_TO_LINEAR[Math.round(v)]) as [number, number, number]) : undefined;
    const seenChest = linear(seenSkinTone(person, bare, CHEST_SKIN_LABELS));
    const neckLinear = linear(seenSkinTone(person, bare, NECK_SKIN_LABELS));
    const litChest = seenChest ? undefined : linear(litFaceTone(person));
    const blendRows = Math.max(1, CHEST_TONE_BLEND * body.shoulderWidth);
    // The blend depends on the row alone: one tone per row, made when first asked (the fill asks
    // for every bared pixel).
    const rowTones: ([number, number, number] | undefined)[] = [];
    const torsoTone = (i: number): readonly [number, number, number] | undefined => {
      if (seenChest) return seenChest;
      if (!litChest || !neckLinear) return litChest ?? neckLinear;
      const y = Math.floor(i / width);
      const t = Math.min(1, Math.max(0, (y - body.neck.centre.y) / blendRows));
      return (rowTones[y] ??= [0, 1, 2].map((c) => neckLinear[c] + (litChest[c] - neckLinear[c]) * t) as [number, number, number]);
    };
    // A limb the photo shows no skin of takes the body's, which may lie in shade (see limbSkinTone).
    const limbTone = linear(limbSkinTone(person, bare));
    fillSkin(canvas, skinOnly, bodySkinTone(person, bare), skinModel.shading, {
      visibleSkin,
      toneAt: (i) => skinModel.limbToneAt(i) ?? (skinModel.onTorso(i) ? torsoTone(i) : limbTone),
      // A limb leaves out a removed cuff's shadow on the hand; the chest goes on in the neck's shade.
      dropsShadowedBorder: (i) => !skinModel.onTorso(i),
      // Far from the skin it borders, painted skin is as saturated as the skin the photo shows.
      skinSaturation: seenSkinSaturation(person, bare) ?? undefined,
    });
    // The painted tone carries no skin texture: a flat, plastic slab. Its fine detail (pores,
    // grain, soft variation) is synthesised from the person's own visible skin (see
    // skinTextureSource).
    const skinSource = skinTextureSource(labels, width, height, bare);
    transferDetail(canvas, binarise(skinOnly, 128), skinSource, { seed: 11, maxSourceDetail: MAX_SKIN_DETAIL });
    // A bared arm whose skin the photo shows below the old sleeve continues that skin (its grain,
    // light and outline), in the new garment's contact shadow; one that shows none takes the
    // other arm's skin, or a bare shin's.
    const contactShadow = (i: number): number => skinModel.shading.data[i] / Math.max(1e-6, unshaded[i]);
    const legs = { legs: [body.leg.l, body.leg.r], isLegSkin: legSkin };
    continueSeenArms(canvas, person.image, skinOnly, skinModel.arms, skinModel.armAt, [hems.l, hems.r], armSkin, contactShadow, legs);
    // Painted skin meets the skin the photo shows without a step (the neck's base, an old hem).
    // (Only the skin that stays seen: not what the new garment covers.)
    blendSeamsWithSeenSkin(canvas, skinOnly, subtractMask(visibleSkin, masks.newGarment), { reachPx: Math.max(2, SEAM_REACH * body.shoulderWidth) });
    if (trousers) inpaintPatches(canvas, trousers, subtractMask(labelMask(labels, width, height, [PartLabel.LowerGarment]), bare), { seed: 13 });
    if (top && seenTop) inpaintPatches(canvas, top, seenTop, { seed: 17 });
    // Skin and the synthesised trousers or top are all drawn (opaque on a cut-out person).
    return { background: bareBackground, skin: bareSkin };
  });

  timed(timings, 'render.shading', () => {
    // Folds and soft shadows only: a narrow gain range and partial strength, because a
    // high-contrast print on the old garment (white letters on black) would otherwise show
    // through the new one as a ghost.
    // Detail finer than SHADING_DETAIL of the width is the old garment's print, weave or lettering
    // far more often than a fold: letters 8 px thick on a cream tank printed through a white tee
    // (a white garment shows the faintest ghost). The new garment's own wrinkles are not the old
    // one's anyway; the body's roundness and broad folds are what sits it in the photo.
    let shading = shadingAt(Math.max(2, width * SHADING_DETAIL));
    // A textured or printed old garment (acid wash, mesh, ribbing, a slogan) would print its
    // texture onto the new one: its light is taken at the body's scale only (broad folds and the
    // torso's roundness; a letter or a stitch is far finer), and only up to the contrast of plain
    // fabric's folds.
    let contrast = shadingContrast(shading, masks.oldGarment);
    if (contrast > PLAIN_FOLD_CONTRAST) {
      shading = bodyScaleLight();
      contrast = Math.max(contrast, shadingContrast(shading, masks.oldGarment));
    }
    applyShading(layer, shading, SHADING_STRENGTH * Math.min(1, PLAIN_FOLD_CONTRAST / Math.max(contrast, 1e-6)));
    // The body's roundness, which the fold-scale light above leaves out: the garment darkens
    // towards the silhouette of the body it is on (or of itself where it stands off the body).
    const silhouette = outlineAfterEdit(person.personMask, fills.background);
    const drawn = addLayerTo(silhouette, layer);
    applyShading(layer, silhouetteShading(silhouette, width, height, body.shoulderWidth * FORM_REACH, FORM_DEPTH, drawn), 1);
    // Grain as the photo's sensor shows it: on the old garment, or on the skin where the old
    // garment's own texture (tweed, knit, sequins) reads as more.
    matchNoise(layer, person.image, [masks.oldGarment, skinDetailLabelled], 1234);
  });
  // (Only at full opacity and for the garment's own outline: a partly transparent layer, or the
  // prompt engine's, whose soft seam is its own, keeps its alpha as it is.)
  const layerAtOutput = opacity === 1 && !input.exactOutline && drawsLayerAtOutput(width, input.model.width);
  timed(timings, 'render.layer', () => {
    if (opacity < 1) scaleAlpha(layer, opacity);
    // On a photo larger than the analysis the layer is drawn at the photo's size (mergeIntoPhoto).
    if (!layerAtOutput) compositeOver(canvas, layer);
    if (masks.shadow) {
      // Not on what is backdrop now (the old garment's overhang refilled): that lies far behind.
      zeroWhereAtLeast(masks.shadow.data, fills.background.data, 128);
      darken(canvas, masks.shadow);
    }
  });
  const level = input.diagnostics ?? 'none';
  const shares: PixelShares | null = level === 'all' ? timed(timings, 'render.shares', () => renderShares(fills.background, fills.skin, layer)) : null;
  timings.render = (timings.render ?? 0) + (performance.now() - renderStart);
  const result = { canvas, region: masks.region, oldGarment: masks.oldGarment, newGarment: masks.newGarment };

  return timed(timings, 'composite', () => {
    const full = input.model;
    const sameSize = full.width === width && full.height === height;
    const { image, repaintMask, region: regionFull } = mergeIntoPhoto(full, result.canvas, featherMask(result.region, 1), layerAtOutput ? layer : undefined);
    if (level === 'none') return { image, repaintMask, timings };
    const toFull = (mask: Mask): Mask => (sameSize ? mask : resizeMask(mask, full.width, full.height));
    const garments = { oldGarment: toFull(result.oldGarment), newGarment: toFull(result.newGarment) };
    if (!shares) return { image, repaintMask, timings, diagnostics: garments };
    return {
      image,
      repaintMask,
      timings,
      diagnostics: {
        ...garments,
        person: toFull(person.personMask),
        chinY: chinCeiling(body) / person.scale,
        ...finalShares(shares, regionFull),
      },
    };
  });
}

/*
 * The next three are loops of composeIntoPhoto's fill taken out into functions of their own: V8 runs
 * a loop in a function as long as that one unoptimised until its on-stack replacement (a compile
 * of the whole function) is ready, and in a warm profile they took ~20 ns a pixel there.
 */

/** 1 where `skin` is set and `where(i)` holds, else 0. */
function skinWhere(skin: Mask, where: (i: number) => boolean): Uint8Array {
  const out = new Uint8Array(skin.data.length);
  const data = skin.data;
  for (let i = 0; i < out.length; i++) if (data[i] !== 0 && where(i)) out[i] = 1;
  return out;
}

/** In place: 0 where `mask` is set and `where(i)` holds. */
function clearWhere(mask: Mask, where: (i: number) => boolean): void {
  const data = mask.data;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0 && where(i)) data[i] = 0;
}

/** In place: values[i] *= factors[i] where `where[i]` is set. */
function multiplyWhere(values: Float32Array, factors: Float32Array, where: Uint8Array): void {
  for (let i = 0; i < where.length; i++) if (where[i]) values[i] *= factors[i];
}

/** The person as the edit leaves them, 1 per pixel: the person mask less what was refilled as backdrop (an old garment's overhang). */
function outlineAfterEdit(personMask: Mask, backdropFill: Mask): Uint8Array {
  const out = new Uint8Array(personMask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = personMask.data[i] >= 128 && backdropFill.data[i] < 128 ? 1 : 0;
  return out;
}

/**
 * In place: `silhouette` 1 where the layer (RGBA) is at least half opaque; returns 1 where the
 * layer is drawn at all, else 0.
 */
function addLayerTo(silhouette: Uint8Array, layer: Raster): Uint8Array {
  const drawn = new Uint8Array(silhouette.length);
  for (let i = 0; i < silhouette.length; i++) {
    const alpha = layer.data[i * 4 + 3];
    if (alpha >= 128) silhouette[i] = 1;
    if (alpha > 0) drawn[i] = 1;
  }
  return drawn;
}

/** In place: values[i] = 0 wherever where[i] ≥ threshold. */
function zeroWhereAtLeast(values: Float32Array, where: Uint8Array, threshold: number): void {
  for (let i = 0; i < values.length; i++) if (where[i] >= threshold) values[i] = 0;
}

/** Whether any value is non-zero. */
function anySet(values: Uint8Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return true;
  return false;
}

function scaleAlpha(layer: Raster, factor: number): void {
  for (let p = 3; p < layer.data.length; p += 4) layer.data[p] = Math.round(layer.data[p] * factor);
}
