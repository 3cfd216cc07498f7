/**
 * Face and hair. The face is an ellipse fitted to nose, eyes and ears; the head region (skull and
 * hair volume) is a larger ellipse above it. Skin inside the face ellipse is Face, everything else
 * of the person in the head region is Hair. Long hair falling over the shoulders and chest is then
 * grown from that hair: connected person pixels that match the hair's colour better than the
 * garment's. Hair in front of a top must never be labelled as the top: the renderer keeps Hair.
 */
import { PartLabel } from '../types.ts';
import { colourDistance, colourModel, modelDistance, type ColourModel } from './colour-model.ts';
import { faceEllipse, type BodyGeometry } from './geometry.ts';
import { neighbours4 } from './grid.ts';
import { labelComponents } from '../garment/components.ts';

export interface HeadInput {
  lab: Float32Array;
  width: number;
  height: number;
  person: Uint8Array;
  isSkin: Uint8Array;
  body: BodyGeometry;
  labels: Uint8Array;
  /** Skin likelihood per pixel (0..1). */
  skinLikelihood: Float32Array;
}

/** Skin likelihood that lets a head pixel join the face it touches (features and shading). */
const FACE_SKIN = 0.15;

export interface HeadResult {
  /** Row of the chin (analysis px); skin below it is neck. */
  chinY: number;
  hair?: ColourModel;
}

function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy <= 1;
}

/** Labels Face and Hair in the head region; returns undefined when the head is not in frame. */
export function labelHead(input: HeadInput): HeadResult | undefined {
  const { width: w, height: h, person, isSkin, body, labels } = input;
  if (!body.head) return undefined;
  const { centre, width: hw } = body.head;
  const { rx, ry, cy: faceCy, chinY } = faceEllipse(body.head);
  const headCy = centre.y - hw * 0.2;
  const x0 = Math.max(0, Math.floor(centre.x - hw * 1.1));
  const x1 = Math.min(w - 1, Math.ceil(centre.x + hw * 1.1));
  const y1 = Math.min(h - 1, Math.ceil(chinY));
  for (let y = 0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * w + x;
      if (!person[i]) continue;
      const inHead =
        inEllipse(x, y, centre.x, headCy, hw * 0.8, hw * 0.95) || (y < centre.y - hw * 0.2 && Math.abs(x - centre.x) < hw * 1.05);
      if (!inHead) continue;
      if (inEllipse(x, y, centre.x, faceCy, rx * 0.85, ry * 0.85)) labels[i] = PartLabel.Face;
      else if (isSkin[i] && inEllipse(x, y, centre.x, faceCy, rx * 1.6, ry * 1.15)) labels[i] = PartLabel.Face;
      else labels[i] = PartLabel.Hair;
    }
  }
  // A turned face reaches sideways outside the fitted ellipse: grow the face through skin-hued
  // head pixels it touches (texture allowed: brows, shading), at eye level and below only, where
  // skin-hued hair (blonde, pink) rarely is.
  const growFrom = faceCy - hw * 0.3;
  // Face and Hair exist only in rows 0..y1 (labelled above; the growth only relabels Hair), so the
  // scans stop there. The grown set does not depend on the order the stack is worked in.
  const headEnd = (y1 + 1) * w;
  const stack = new Int32Array(Math.max(0, headEnd));
  let top = 0;
  for (let i = 0; i < headEnd; i++) if (labels[i] === PartLabel.Face) stack[top++] = i;
  const next = new Int32Array(4);
  while (top > 0) {
    const i = stack[--top];
    for (let k = 0, n = neighbours4(i, w, h, next); k < n; k++) {
      const j = next[k];
      if (labels[j] === PartLabel.Hair && input.skinLikelihood[j] > FACE_SKIN && j >= growFrom * w) {
        labels[j] = PartLabel.Face;
        stack[top++] = j;
      }
    }
  }
  const hairPixels: number[] = [];
  for (let i = 0; i < headEnd; i++) if (labels[i] === PartLabel.Hair) hairPixels.push(i);
  return { chinY, hair: colourModel(input.lab, hairPixels) };
}

/** Farthest a pixel's colour lies from the hair's (CIELAB, see colourDistance) for it to be taken as hair: the hair's own spread, lightness counting half. */
function hairColourLimit(hair: ColourModel): number {
  return Math.max(14, 2.5 * Math.hypot(hair.spread[1], hair.spread[2], hair.spread[0] * 0.5));
}

/**
 * Highest a collar is taken back from the head's hair: this share of the way from the face's
 * middle (the nose) down to the chin (the ear lobes' level; a collar stands up to the jaw).
 */
const COLLAR_RISE = 0.25;

/**
 * In place: labelHead calls everything of the person in the head region that is not face skin
 * Hair, down to the chin's row. Beside the jaw that is often the old top's collar, a hood's
 * edge or a jacket's lapel standing up round the neck, not hair: kept as hair (protected from
 * the repaint), it stood beside the neck above the new garment's neckline (a plaid collar, a
 * denim collar, a black shirt collar beside a beard). Here the head region's Hair below the
 * face's middle that is not the hair's colour (nor skin), and that reaches up from the region's
 * bottom row, goes back to the garments' labelling; the hair's colour model is taken again
 * without it. Hair beside the jaw (sideburns, a beard, locks) is the hair's colour and stays.
 */
function returnCollarFromHair(input: HeadInput, head: HeadResult): void {
  const { lab, width: w, height: h, isSkin, body, labels } = input;
  if (!body.head || !head.hair) return;
  const { cy: faceCy } = faceEllipse(body.head);
  const bottom = Math.min(h - 1, Math.ceil(head.chinY));
  const top = Math.max(0, Math.ceil(faceCy + COLLAR_RISE * (head.chinY - faceCy)));
  if (bottom < top) return;
  const limit = hairColourLimit(head.hair);
  const hair = head.hair;
  const notHair = (i: number): boolean => labels[i] === PartLabel.Hair && !isSkin[i] && colourDistance(lab, i * 3, hair) > limit;
  const stack: number[] = [];
  for (let x = 0; x < w; x++) {
    const i = bottom * w + x;
    if (notHair(i)) {
      labels[i] = PartLabel.Background;
      stack.push(i);
    }
  }
  if (stack.length === 0) return;
  const next = new Int32Array(4);
  while (stack.length) {
    const i = stack.pop()!;
    for (let k = 0, n = neighbours4(i, w, h, next, top); k < n; k++) {
      const j = next[k];
      if (j < (bottom + 1) * w && notHair(j)) {
        labels[j] = PartLabel.Background;
        stack.push(j);
      }
    }
  }
  const hairPixels: number[] = [];
  for (let i = 0; i < (bottom + 1) * w; i++) if (labels[i] === PartLabel.Hair) hairPixels.push(i);
  head.hair = colourModel(lab, hairPixels);
}

/**
 * Grows Hair from the head down through unlabelled person pixels of the hair's colour, down to
 * about the chest, staying near the head. `garment` is the upper garment's colour: where hair and
 * garment look alike the growth stops at the head (nothing can tell them apart by colour).
 */
export function growHair(input: HeadInput, head: HeadResult, garment: ColourModel | undefined): void {
  const { lab, width: w, height: h, person, isSkin, body, labels } = input;
  if (!body.head || !head.hair || head.hair.count < 30) return;
  returnCollarFromHair(input, head);
  if (!head.hair || head.hair.count < 30) return;
  if (garment && modelDistance(head.hair, garment) < 14) return;
  const hair = head.hair;
  const limit = hairColourLimit(hair);
  const maxY = Math.min(h - 1, body.shoulderMid.y + body.torsoLength * 0.9);
  const maxDx = body.head.width * 1.8;
  const cx = body.head.centre.x;
  const accept = (i: number, x: number, y: number) => {
    if (!person[i] || isSkin[i] || labels[i] !== PartLabel.Background) return false;
    if (y > maxY || Math.abs(x - cx) > maxDx) return false;
    const d = colourDistance(lab, i * 3, hair);
    return d < limit && (!garment || d < colourDistance(lab, i * 3, garment) * 0.8);
  };
  const stack: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.Hair) stack.push(i);
  const grown: number[] = [];
  const next = new Int32Array(4);
  while (stack.length) {
    const i = stack.pop()!;
    for (let k = 0, n = neighbours4(i, w, h, next); k < n; k++) {
      const j = next[k];
      const x = j % w;
      if (accept(j, x, (j - x) / w)) {
        labels[j] = PartLabel.Hair;
        stack.push(j);
        grown.push(j);
      }
    }
  }
  // Hair falling over the shoulders is a few locks, smaller than the head's own hair; a region
  // several times larger is a garment of the hair's colour (a black tee under dark curls, whose
  // colour model the print pulled away from the hair's): it stays the garment's.
  let below = 0;
  const chinRow = Math.ceil(head.chinY) * w;
  for (const i of grown) if (i >= chinRow) below++;

  const torsoArea = body.shoulderWidth * body.torsoLength;
  // Or many times the head's own hair while still a sizeable patch: short hair does not fall to
  // the chest; a check's dark lines or a dark striped shirt between a jacket's fronts grown into
  // from the collar do.
  const tooMuch = below > MAX_FALLING_HAIR_RATIO * head.hair.count && below > MAX_FALLING_HAIR_TORSO_SHARE * torsoArea;
  // Only with the whole head in the frame: a head cut by the photo's top edge shows little of its
  // hair, and long hair falling from it is still hair.
  let headCut = false;
  for (let i = 0; i < w && !headCut; i++) headCut = labels[i] === PartLabel.Hair;
  const farTooMuch = !headCut && below > FAR_TOO_MUCH_HAIR_RATIO * head.hair.count && below > FAR_TOO_MUCH_HAIR_TORSO_SHARE * torsoArea;
  if (tooMuch || farTooMuch) {
    for (const i of grown) labels[i] = PartLabel.Background;
    return;
  }
  dropHairThroughNeckBase(input, grown);
}

/**
 * Hair below the shoulders hangs from the head over them, in front or behind: a lock crosses the
 * shoulder line beside the neck's base, never through it. Grown hair below that line which the
 * hair above it reaches only through the neck's base is something else of the hair's colour (a
 * striped shirt between a jacket's fronts, grown into from the collar). Kept as hair, it was
 * protected from the repaint and stayed as a strip down the new top. Those pixels go back to the
 * garments' labelling. (Hair beside the neck, above the line, stays hair.)
 */
function dropHairThroughNeckBase(input: HeadInput, grown: readonly number[]): void {
  const { width: w, height: h, body, labels } = input;
  if (grown.length === 0) return;
  const sw = body.shoulderWidth;
  // The neck's base: a box on the shoulder line, the neck's width across.
  const x0 = body.shoulderMid.x - NECK_BASE_HALF_WIDTH * sw;
  const x1 = body.shoulderMid.x + NECK_BASE_HALF_WIDTH * sw;
  const y0 = Math.max(0, Math.floor(body.shoulderMid.y - NECK_BASE_HALF_HEIGHT * sw));
  const y1 = Math.ceil(body.shoulderMid.y + NECK_BASE_HALF_HEIGHT * sw);
  // The hair outside the neck's base, in pieces: a piece that rises above the base hangs from
  // the hair there; one that does not reaches it only through the base.
  const outside = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    if (labels[i] !== PartLabel.Hair) continue;
    const x = i % w;
    const y = (i - x) / w;
    outside[i] = y >= y0 && y <= y1 && x >= x0 && x <= x1 ? 0 : 1;
  }
  const pieces = labelComponents(outside, w, h);
  for (const i of grown) {
    const id = pieces.labels[i];
    if ((i - (i % w)) / w > y1 && (id === 0 || pieces.boxes[id][1] >= y0)) labels[i] = PartLabel.Background;
  }
}

/** Half-width of the neck's base on the shoulder line (shoulder widths): a little over the neck's own. */
const NECK_BASE_HALF_WIDTH = 0.2;
/** Half-height of the band about the shoulder line that a lock must cross beside the neck (shoulder widths). */
const NECK_BASE_HALF_HEIGHT = 0.05;

/** Most hair grown below the chin, as a multiple of the hair found on the head... */
const MAX_FALLING_HAIR_RATIO = 1.5;
/** ...and as a share of the torso's box (shoulder width x torso length). */
const MAX_FALLING_HAIR_TORSO_SHARE = 0.3;
/**
 * Hair below the chin this many times the head's hair is never hair (long hair falling to the
 * chest measures up to about 4) once it covers this share of the torso's box.
 */
const FAR_TOO_MUCH_HAIR_RATIO = 5;
const FAR_TOO_MUCH_HAIR_TORSO_SHARE = 0.05;
