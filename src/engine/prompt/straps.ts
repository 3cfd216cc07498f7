/**
 * A camisole's, slip dress's or sundress's shoulder straps on the person, after the classic try-on.
 *
 * The product shot draws its straps where the classic garment analysis reads shoulders (at the
 * shoulder points, product-shot/geometry.ts SLEEVELESS_SHOULDER_HALF, so the garment is placed at
 * the body's scale), and the try-on then bares everything outward of the shoulder points and fills
 * the shoulders with skin: the straps were lost and the garment read as a strapless box. They are
 * drawn here where a strap lies, about STRAP_AT of the shoulder width either side of the body's
 * centre: from the garment's top edge up to the top of the shoulder (BodyFrame.collarY), as thin
 * bands in the garment's rendered colour, rounded across, with a soft shadow beside them on the
 * skin. Hair and hands in front of the shoulders stay in front. The shot's own straps, which the
 * try-on laid along the arms' edges, are taken off first (eraseShotStraps).
 */
import { createMask, type Mask, type Raster } from '../../imaging/raster.ts';
import type { BodyFrame } from '../classic/body/index.ts';
import type { PersonAnalysis } from '../classic/types.ts';
import { inpaintPatches } from '../classic/synthesis/inpaint.ts';
import { garmentColour, IN_FRONT, paintOver } from './roll-collar.ts';

/** Where a strap meets the garment, from the body's centre line, as a share of the shoulder width (the shoulder points are at 0.5). */
export const STRAP_AT = 0.27;
/** Where it passes over the shoulder's top: a little further out (share of the shoulder width). */
const STRAP_TOP_AT = 0.3;
/** Strap width, as a share of the shoulder width (about 1 cm on a 40 cm pair of shoulders). */
const STRAP_WIDTH = 0.028;
/** Light at the strap's edges against its middle: a flat band turned a little round the shoulder. */
const EDGE_LIGHT = 0.8;
/** The strap's soft shadow on the skin beside it: width (share of the strap width) and darkening (share). */
const SHADOW_WIDTH = 0.8;
const SHADOW_SHADE = 0.14;
/** A row of the new garment narrower than this (share of the shoulder width) is straps, not the garment's body. */
const BODY_ROW_MIN = 0.5;
/** Patch side (px) of the fill where the shot's straps are taken off: small, as the strap's place is a few px wide. */
const STRAP_FILL_PATCH_PX = 5;
/** How far below the shoulder's top (share of the shoulder width) the garment's top edge is looked for. */
const SEARCH_DEPTH = 0.8;
/**
 * The shot's strap feet: the try-on pins the straps' tops to the shoulder points and pulls the
 * bodice's top corners out towards them, so the top edge ended in a tab standing out past the
 * garment's side with a stub of strap rising from it (an L at the neckline's end, every camisole,
 * slip dress and sundress). Down to STRAP_FOOT_DEPTH below the top edge (shares of the shoulder
 * width), what lies more than STRAP_FOOT_MARGIN outside the garment's sides at that depth is
 * taken off with the straps.
 */
const STRAP_FOOT_DEPTH = 0.12;
const STRAP_FOOT_MARGIN = 0.02;

/**
 * Draws the two straps onto `image` (full resolution) in place, adding them to `newGarment` and
 * `repaint`, laid over the photo at `opacity` (guidance's). Returns the number of straps drawn (0 when the garment's top edge or the shoulders
 * are not found, e.g. a strap column hidden by hair all the way).
 */
export function drawStraps(image: Raster, newGarment: Mask, repaint: Mask, person: PersonAnalysis, body: BodyFrame, opacity = 1): number {
  const { width, height } = image;
  const aw = person.parsing.width;
  const ah = person.parsing.height;
  const sx = width / aw;
  const sy = height / ah;
  const sw = Math.abs(body.shoulder.r.x - body.shoulder.l.x);
  if (sw <= 0) return 0;
  const half = (STRAP_WIDTH * sw * sx) / 2;
  const labels = person.parsing.labels;
  const at = (x: number, y: number): number => Math.min(ah - 1, Math.max(0, Math.floor(y / sy))) * aw + Math.min(aw - 1, Math.max(0, Math.floor(x / sx)));
  eraseShotStraps(image, newGarment, person, body, sx, sy, true);
  let drawn = 0;
  for (const side of [-1, 1]) {
    // Analysis px: where the strap passes over the shoulder's top.
    const neckY = body.neck.centre.y;
    const shoulder = side < 0 ? body.shoulder.l : body.shoulder.r;
    const centreX = body.centreX(neckY);
    const outward = Math.sign(shoulder.x - centreX) || side;
    const topX = centreX + outward * STRAP_TOP_AT * sw;
    const t = (STRAP_TOP_AT * sw) / Math.max(1, Math.abs(shoulder.x - centreX));
    const topY = body.collarY(topX) ?? neckY + (shoulder.y - neckY) * Math.min(1, t);
    // Full-resolution px from here on. The garment's top edge in the strap's column.
    const bx = (centreX + outward * STRAP_AT * sw) * sx;
    const col = Math.round(bx);
    if (col < 0 || col >= width) continue;
    let by = -1;
    const yEnd = Math.min(height - 1, Math.round((topY + SEARCH_DEPTH * sw) * sy));
    for (let y = Math.max(0, Math.round(topY * sy)); y <= yEnd; y++) {
      if (newGarment.data[y * width + col] >= 128) {
        by = y;
        break;
      }
    }
    if (by < 0) continue;
    const tx = topX * sx;
    const ty = topY * sy;
    if (by - ty < 2 * half) continue;
    const colour = garmentColour(image, newGarment, Math.round(bx - 4 * half), Math.round(bx + 4 * half), by + 2, Math.round(by + 2 + 6 * half));
    if (!colour) continue;
    // The strap is the segment (tx, ty)-(bx, by), drawn with a one-pixel anti-aliased edge.
    const dx = bx - tx;
    const dy = by - ty;
    const len = Math.hypot(dx, dy);
    const reach = half * (1 + SHADOW_WIDTH) + 1;
    const x0 = Math.max(0, Math.floor(Math.min(tx, bx) - reach));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(tx, bx) + reach));
    const y0 = Math.max(0, Math.floor(ty));
    const y1 = Math.min(height - 1, by + 1);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        if (IN_FRONT.has(labels[at(x, y)]) || person.personMask.data[at(x, y)] < 128) continue;
        // Distance across the strap (signed, outward positive) and along it (0 at the top).
        const px = x + 0.5 - tx;
        const py = y + 0.5 - ty;
        const along = (px * dx + py * dy) / len;
        if (along < 0 || along > len) continue;
        const across = ((px * dy - py * dx) / len) * -outward;
        const cover = opacity * Math.min(1, Math.max(0, half + 0.5 - Math.abs(across)));
        if (cover <= 0) {
          // Outside the strap, on its outer side: its soft shadow on the skin.
          if (across <= 0 || newGarment.data[i] >= 128) continue;
          const s = (across - half) / (SHADOW_WIDTH * half);
          if (s >= 1) continue;
          const shade = 1 - opacity * SHADOW_SHADE * (1 - s);
          for (let c = 0; c < 3; c++) image.data[i * 3 + c] = Math.round(image.data[i * 3 + c] * shade);
          repaint.data[i] = Math.max(repaint.data[i], 255);
          continue;
        }
        const u = Math.min(1, Math.abs(across) / Math.max(0.5, half));
        const light = EDGE_LIGHT + (1 - EDGE_LIGHT) * Math.sqrt(1 - u * u);
        paintOver(image, newGarment, repaint, i, colour, light, cover);
      }
    }
    drawn++;
  }
  return drawn;
}

/**
 * The shot's straps taken off the try-on's result (eraseShotStraps), none drawn: an off-shoulder
 * garment's pinning straps; with `feet`, a strapped garment's straps and their feet, before its
 * own are drawn (drawStraps then finds none left to take off).
 */
export function takeOffShotStraps(image: Raster, newGarment: Mask, person: PersonAnalysis, body: BodyFrame, feet = false): void {
  eraseShotStraps(image, newGarment, person, body, image.width / person.parsing.width, image.height / person.parsing.height, feet);
}

/**
 * Removes the shot's own straps from the try-on's result: above the garment's body (rows where
 * the new garment is nowhere wider than BODY_ROW_MIN of the shoulder width), down from the
 * shoulders, what is new garment is a strap the classic engine laid at the shoulder points,
 * along the arms' edges. Each such pixel takes the colour of the nearest pixel of its row that
 * is not new garment, towards the body's centre first (the bared chest or shoulder beside it),
 * and leaves the new garment.
 */
function eraseShotStraps(image: Raster, newGarment: Mask, person: PersonAnalysis, body: BodyFrame, sx: number, sy: number, feet: boolean): void {
  const { width, height } = image;
  const hole = createMask(width, height);
  let erased = 0;
  const sw = Math.abs(body.shoulder.r.x - body.shoulder.l.x) * sx;
  const cx = body.centreX(body.neck.centre.y) * sx;
  const top = Math.max(0, Math.floor((Math.min(body.shoulder.l.y, body.shoulder.r.y, body.neck.centre.y) * sy) - 0.2 * sw));
  const bottom = Math.min(height - 1, Math.ceil((Math.max(body.armpit.l.y, body.armpit.r.y) * sy) + 0.2 * sw));
  const x0 = Math.max(0, Math.floor(cx - sw));
  const x1 = Math.min(width - 1, Math.ceil(cx + sw));
  const solid = (i: number): boolean => newGarment.data[i] >= 128;
  /** The widest run of the new garment along row y: its first and last column, and its length. */
  const widestRun = (y: number): { l: number; r: number; n: number } => {
    let best = { l: -1, r: -1, n: 0 };
    let run = 0;
    for (let x = x0; x <= x1; x++) {
      run = solid(y * width + x) ? run + 1 : 0;
      if (run > best.n) best = { l: x - run + 1, r: x, n: run };
    }
    return best;
  };
  let bodyRow = -1;
  for (let y = top; y <= bottom; y++) {
    // The garment's body starts here: nothing below is a strap.
    if (widestRun(y).n >= BODY_ROW_MIN * sw) {
      bodyRow = y;
      break;
    }
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (newGarment.data[i] === 0) continue;
      const inward = x < cx ? 1 : -1;
      let from = -1;
      for (let d = 1; d <= sw / 2 && from < 0; d++) {
        for (const xx of [x + inward * d, x - inward * d]) {
          if (xx < 0 || xx >= width || newGarment.data[y * width + xx] !== 0) continue;
          from = y * width + xx;
          break;
        }
      }
      if (from < 0) continue;
      image.data.copyWithin(i * 3, from * 3, from * 3 + 3);
      newGarment.data[i] = 0;
      hole.data[i] = 255;
      erased++;
    }
  }
  if (feet && bodyRow >= 0) {
    // The straps' feet and the corners pulled out to them (STRAP_FOOT_DEPTH).
    const refRow = Math.min(height - 1, bodyRow + Math.round(STRAP_FOOT_DEPTH * sw));
    const sides = widestRun(refRow);
    const margin = STRAP_FOOT_MARGIN * sw;
    if (sides.n >= BODY_ROW_MIN * sw) {
      for (let y = bodyRow; y < refRow; y++) {
        for (let x = x0; x <= x1; x++) {
          const i = y * width + x;
          if (newGarment.data[i] === 0 || (x >= sides.l - margin && x <= sides.r + margin)) continue;
          newGarment.data[i] = 0;
          hole.data[i] = 255;
          erased++;
        }
      }
    }
  }
  if (erased === 0) return;
  // The row-nearest colours are only a start: copied row by row they streak across the strap's
  // place (faint horizontal lines along the arms, baumu). Patches of what is round it replace
  // them, the person's from the person (the arm, the bared shoulder) and the backdrop's from the
  // backdrop: drawn from both, the backdrop's white cut notches into the arm's edge (lhm).
  const aw = person.parsing.width;
  const ah = person.parsing.height;
  const onPerson = (i: number): boolean => person.personMask.data[Math.min(ah - 1, Math.floor(Math.floor(i / width) / sy)) * aw + Math.min(aw - 1, Math.floor((i % width) / sx))] >= 128;
  for (const side of [true, false]) {
    const part = createMask(width, height);
    const source = createMask(width, height);
    let holes = 0;
    for (let i = 0; i < source.data.length; i++) {
      if (onPerson(i) !== side) continue;
      if (hole.data[i]) {
        part.data[i] = 255;
        holes++;
      } else if (newGarment.data[i] === 0) source.data[i] = 255;
    }
    if (holes > 0) inpaintPatches(image, part, source, { patchSize: STRAP_FILL_PATCH_PX });
  }
}
