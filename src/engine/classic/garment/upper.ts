/**
 * Landmarks of tops and of the bodice of dresses, read from the garment mask's row profile.
 *
 * The body panel is followed upwards from its lower part, one side at a time. The armpit is where
 * that side stops being a plain side seam: a sleeve joins it (the row's run jumps or slopes
 * outwards), the armhole of a sleeveless top curves it inwards, or the panel ends (the cup of a
 * camisole below its strap). Everything beyond the armpit's column that hangs off the armhole is
 * the sleeve, spread out flat or hanging down beside the body.
 *
 * Long sleeves hanging down beside a top's body (a common product-shot layout) are recognised
 * first, from the lower rows: a gap of backdrop beside the body, cuffs hanging below its hem, or
 * cuffs resting on it above the hem. The body's side seam then comes from there, the armpit from
 * the gap's top or, where the sleeve touches the body, an armhole's depth below the shoulder; the
 * hem corners are the panel's own, not the cuffs'.
 */
import type { DressLandmarks, Point, SleeveLandmarks, UpperLandmarks } from '../types.ts';
import { labelComponents } from './components.ts';
import { distance, midpoint, runAt, type MaskProfile, type Run } from './profile.ts';
import { hypot2 } from '../person/grid.ts';

type Side = -1 | 1;

interface SideTrace {
  /** Where the side seam ends going up (a sleeve joins, the armhole turns, the panel ends). */
  armpit: Point;
  /** Whether it ended because something joined from outside (a sleeve, or a ruffle). */
  joined: boolean;
  /** The join is a hanging sleeve's cuff touching the body, low down: the real armpit is hidden. */
  hidden?: boolean;
  /** The side's outline from the start row upwards, one point per row. */
  points: Point[];
}

/** Outward extent of a run's end on `side`, measured from the axis. */
function extent(run: Run, side: Side, cx: number): number {
  return side < 0 ? cx - run[0] : run[1] - cx;
}

function edgeX(run: Run, side: Side): number {
  return side < 0 ? run[0] : run[1];
}

/**
 * The run on row y that continues `previous` on `side`: overlapping it, with the most overlap and
 * the end nearest to its end (slivers of a lace trim overlap little; of a neckline's two halves,
 * the one on `side` keeps the end).
 */
function continueRun(profile: MaskProfile, y: number, previous: Run, side: Side): Run | undefined {
  let best: Run | undefined;
  let bestScore = -Infinity;
  for (const run of profile.runs[y] ?? []) {
    const overlap = Math.min(run[1], previous[1]) - Math.max(run[0], previous[0]) + 1;
    if (overlap < -1) continue;
    const score = overlap - 4 * Math.abs(edgeX(run, side) - edgeX(previous, side));
    if (score > bestScore) {
      bestScore = score;
      best = run;
    }
  }
  return best;
}

/** The body panel's run on row y: the one containing the axis, else the nearest to it. */
export function bodyRun(profile: MaskProfile, y: number): Run | undefined {
  const exact = runAt(profile, y, profile.cx);
  if (exact) return exact;
  let best: Run | undefined;
  let bestDistance = Infinity;
  for (const run of profile.runs[y] ?? []) {
    const d = run[0] > profile.cx ? run[0] - profile.cx : profile.cx - run[1];
    if (d < bestDistance) {
      bestDistance = d;
      best = run;
    }
  }
  return best;
}

/** Median width of the body panel's runs over a band of rows. */
function bodyWidth(profile: MaskProfile, fromY: number, toY: number): number {
  const widths: number[] = [];
  for (let y = Math.round(fromY); y <= Math.round(toY); y++) {
    const run = bodyRun(profile, y);
    if (run) widths.push(run[1] - run[0] + 1);
  }
  widths.sort((a, b) => a - b);
  return widths.length ? widths[widths.length >> 1] : profile.bbox.x1 - profile.bbox.x0 + 1;
}

const SLOPE_ROWS = 4;
/** Armhole depth (shoulder to armpit) over the body panel's width, for armpits hidden by a hanging sleeve. */
const HIDDEN_ARMHOLE_DEPTH = 0.45;
/** How much narrower than the bust above (px) a side must get to count as a waist. */
const WAIST_INSET = 4;
/** An armpit closer to the axis than this share of the body's width is a mis-trace (the neck). */
const MIN_ARMPIT_OFFSET = 0.3;
/** Deepest armhole (shoulder to armpit) over the body panel's width that a visible gap's top may mark. */
const MAX_ARMHOLE_DEPTH = 0.8;
/** How far (share of the body's width) a hem may flare past the side seam of a hanging sleeve. */
const HEM_FLARE = 0.08;
/**
 * Least area of a sleeve seen on one side only of a garment cut off its wearer, as a share of the
 * body panel's width squared: the development garments' sleeves measure 0.1-0.2 (cap sleeves
 * 0.14), the remnants of an arm or an armhole's edge 0.02-0.07.
 */
const LONE_SLEEVE_MIN_AREA = 0.09;

function traceSide(
  profile: MaskProfile, side: Side, startY: number, armholeAboveY: number, hangingBelowY: number, panelWidth: number, ignoreJoins = false,
): SideTrace {
  const { cx } = profile;
  const jump = Math.max(3, 0.03 * panelWidth);
  let run = bodyRun(profile, startY);
  if (!run) return { armpit: { x: cx, y: startY }, joined: false, points: [] };
  const history: Array<{ y: number; run: Run }> = [{ y: startY, run }];
  const points = (): Point[] => history.map((h) => ({ x: edgeX(h.run, side), y: h.y }));
  // The side's extent where a thin gap (a crease or a fold's shadow the cut-out took out) split a
  // sliver of the panel's side off, while the trace follows the panel inside it.
  let splitExtent: number | undefined;
  // Starting inside such a split: the sliver is the nearest run beyond the panel's, narrower than
  // any sleeve and as close (a hanging sleeve's gap was recognised before the trace).
  const flankLimit = MIN_FLANK_WIDTH * panelWidth;
  for (const r of profile.runs[startY] ?? []) {
    const gap = side * (edgeX(r, -side as Side) - edgeX(run, side));
    if (gap > 0 && gap < flankLimit && r[1] - r[0] + 1 < flankLimit) splitExtent = Math.max(splitExtent ?? 0, extent(r, side, cx));
  }
  // The row up to which the slope tests skip the step where such a sliver rejoined.
  let quietAboveY = Infinity;
  for (let y = startY - 1; y >= profile.bbox.y0; y--) {
    const next = continueRun(profile, y, run, side);
    if (!next) break;
    const e = extent(next, side, cx);
    const below = history[history.length - 1];
    const belowExtent = extent(below.run, side, cx);
    if (belowExtent - e > jump && splitExtent === undefined) {
      // Stepping in with a run beyond, reaching out to where the side was: the side split.
      const sliver = (profile.runs[y] ?? []).some((r) => r !== next && side * (edgeX(r, side) - edgeX(next, side)) > 0 && extent(r, side, cx) >= belowExtent - jump);
      if (sliver) splitExtent = belowExtent;
    }
    if (splitExtent !== undefined && e - belowExtent <= jump) {
      // Still split: the part beyond must stay a sliver, narrower than any sleeve; a sleeve lying
      // beside the body behind a thin gap widens, and where it rejoins it is a join.
      const beyond = (profile.runs[y] ?? []).filter((r) => side * (edgeX(r, side) - edgeX(next, side)) > 0);
      const nearest = beyond.sort((a, b) => side * (a[0] - b[0]))[0];
      if (!nearest || nearest[1] - nearest[0] + 1 >= flankLimit) splitExtent = undefined;
    }
    if (!ignoreJoins && e - belowExtent > jump && splitExtent !== undefined && e <= splitExtent + jump) {
      // The sliver rejoins, back on the side's own line: no sleeve joined here.
      splitExtent = undefined;
      quietAboveY = y - SLOPE_ROWS;
      history.push({ y, run: next });
      run = next;
      continue;
    }
    if (!ignoreJoins && e - belowExtent > jump) {
      // The sleeve merged on this row; the side seam's own x is read a few rows lower, clear of
      // the antialiased junction.
      const clear = history[Math.max(0, history.length - 4)];
      // Merging this low is the cuff of a sleeve hanging against the body: the armpit above it is
      // hidden inside the silhouette (the caller places it from the shoulder).
      const hidden = y > hangingBelowY;
      return { armpit: { x: edgeX(clear.run, side), y: y + 1 }, joined: true, hidden, points: points() };
    }
    if (history.length >= SLOPE_ROWS && y < quietAboveY) {
      const ref = history[history.length - SLOPE_ROWS];
      const change = e - extent(ref.run, side, cx);
      // A side leaning outwards at 45° or more going up, in the upper half: a sleeve raised above
      // the horizontal (lower down it is a flared hem or peplum narrowing towards the waist).
      if (!ignoreJoins && change >= SLOPE_ROWS + 0.5 && y <= hangingBelowY) return { armpit: { x: edgeX(ref.run, side), y: ref.y }, joined: true, points: points() };
      // Curving inwards at 45° or more in the upper part: well into the armhole of a sleeveless top.
      if (-change >= SLOPE_ROWS + 0.5 && y < armholeAboveY) break;
    }
    history.push({ y, run: next });
    run = next;
  }
  const last = history[history.length - 1];
  return { armpit: { x: edgeX(last.run, side), y: last.y }, joined: false, points: points() };
}

/** Shortest run of rows (share of the garment's height) a gap beside the body must span to count. */
const MIN_GAP_ROWS = 0.06;
/** Rows (share of the garment's height) that cuffs must hang below the body's hem to count. */
const MIN_BELOW_HEM_ROWS = 0.03;
/** A sleeve's inner edge is at least this share of the garment's width from the axis (not a split hem). */
const MIN_FLANK_OFFSET = 0.12;
/** A hanging sleeve is at least this share of the body panel's width wide (not a tie or a loose thread). */
const MIN_FLANK_WIDTH = 0.1;

/** A long sleeve hanging down beside the body panel, as read from the rows beside and below the body. */
interface HangingSide {
  /** The body panel's side seam next to the sleeve. */
  sideX: number;
  /** Where the sleeve leaves the body: the top of the gap between them, or where they merge. */
  joinY: number;
  /** The sleeve touches the body up to the armhole: the armpit is hidden inside the silhouette. */
  hidden: boolean;
  /** The cuff hangs below the body's hem: the rows below it on this side are all sleeve. */
  belowHem: boolean;
  /** Read from the notch between a cuff and the hem below it (see `cuffNotch`): the row where the body's side below the cuff starts. */
  notchY?: number;
}

/** Lowest row whose run through the axis is wide enough to be the body panel (its hem at the axis). */
function bodyHemAtAxis(profile: MaskProfile): number {
  const { bbox, cx } = profile;
  const minBody = 0.25 * (bbox.x1 - bbox.x0 + 1);
  for (let y = bbox.y1; y > bbox.y0; y--) {
    const run = runAt(profile, y, cx);
    if (run && run[1] - run[0] + 1 >= minBody) return y;
  }
  return bbox.y1;
}

/** The run on row y nearest the axis that lies wholly on `side` of it, at least `minOffset` away. */
function flankRun(profile: MaskProfile, y: number, side: Side, minOffset: number): Run | undefined {
  let best: Run | undefined;
  for (const run of profile.runs[y] ?? []) {
    const inner = side < 0 ? profile.cx - run[1] : run[0] - profile.cx;
    if (inner < minOffset) continue;
    if (!best || inner < (side < 0 ? profile.cx - best[1] : best[0] - profile.cx)) best = run;
  }
  return best;
}

/** Cuffs resting on the body end at most this share of the garment's height above the bottom. */
const RESTING_CUFF_ZONE = 0.25;
/** Rows (share of the garment's height) of straight side seam required below a resting cuff. */
const RESTING_CUFF_SEAM = 0.03;

/**
 * A sleeve touching the body all the way down to a cuff that rests on the body just above the hem
 * (a thin gap between them, if any, closed by the cut-out): going up the body's straight side seam
 * from the hem, the outline steps out by at least a sleeve's width at the cuff. Only near the
 * bottom, and only off a straight seam: higher up a sleeve spread out sideways joins the same way,
 * and a ragged or flared hem makes steps of its own.
 */
function restingCuff(profile: MaskProfile, side: Side, bodyHemY: number): HangingSide | undefined {
  const { bbox, cx } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  const fromY = bbox.y0 + (1 - RESTING_CUFF_ZONE) * height;
  const seamRows = Math.max(4, Math.round(RESTING_CUFF_SEAM * height));
  let run = runAt(profile, bodyHemY, cx);
  if (!run) return undefined;
  const edges: number[] = [edgeX(run, side)];
  for (let y = bodyHemY - 1; y >= fromY; y--) {
    const next = continueRun(profile, y, run, side);
    if (!next) return undefined;
    const x = edgeX(next, side);
    if (side * (x - edges[edges.length - 1]) >= MIN_FLANK_WIDTH * (run[1] - run[0] + 1)) {
      if (edges.length < seamRows) return undefined;
      const seam = edges.slice(-seamRows);
      if (Math.max(...seam) - Math.min(...seam) > Math.max(2, 0.01 * (run[1] - run[0] + 1))) return undefined;
      // The seam's x a few rows below the junction, clear of its antialiasing.
      return { sideX: edges[edges.length - 4], joinY: y + 1, hidden: true, belowHem: false };
    }
    edges.push(x);
    run = next;
  }
  return undefined;
}

/** Rows (share of the garment's height) of straight, steep side seam a cuff notch needs below the cuff. */
const NOTCH_SEAM_ROWS = 0.015;

/**
 * A sleeve hanging against the body whose cuff ends a little above the body's hem: going up the
 * body's side from the hem, a short straight steep seam (the panel's side below the cuff), then the
 * outline runs outwards by at least a sleeve's width along an edge flatter than 45° (the cuff's
 * bottom edge, square or slanted). Only near the bottom: higher up a tee's sleeve spread out
 * sideways makes the same corner at its armpit, and a shirt-tail hem curves the other way (its
 * outline only gets steeper going up the side).
 */
function cuffNotch(profile: MaskProfile, side: Side, bodyHemY: number): HangingSide | undefined {
  const { bbox, cx } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  const fromY = bbox.y0 + (1 - RESTING_CUFF_ZONE) * height;
  const seamRows = Math.max(4, Math.round(NOTCH_SEAM_ROWS * height));
  const edges: Array<{ y: number; x: number; width: number }> = [];
  for (let y = bodyHemY; y >= fromY; y--) {
    const run = runAt(profile, y, cx);
    if (!run) return undefined;
    edges.push({ y, x: edgeX(run, side), width: run[1] - run[0] + 1 });
  }
  for (let i = 0; i + seamRows < edges.length; i++) {
    // A straight seam of seamRows rows from row i up.
    const seam = edges.slice(i, i + seamRows).map((e) => e.x);
    const tolerance = Math.max(2, 0.01 * edges[i].width);
    if (Math.max(...seam) - Math.min(...seam) > tolerance) continue;
    // Extend it up while it stays straight, then read the outline above it.
    let top = i + seamRows - 1;
    while (top + 1 < edges.length && Math.abs(edges[top + 1].x - edges[top].x) <= 1) top++;
    const seamX = edges[top].x;
    const need = MIN_FLANK_WIDTH * edges[i].width;
    for (let j = top + 1; j < edges.length; j++) {
      const out = side * (edges[j].x - seamX);
      const rise = j - top;
      // Steeper than 45° before reaching a sleeve's width out: a side, not a cuff's bottom edge.
      if (out < rise) break;
      if (out >= need) return { sideX: seamX, joinY: edges[top].y, hidden: true, belowHem: false, notchY: edges[i].y };
    }
    // The first straight stretch decides: above it the outline is the panel's or the cuff's.
    return undefined;
  }
  return undefined;
}

/**
 * A long sleeve hanging down beside the body on `side`, or undefined for any other layout. Three
 * signs, all in the lower part of the garment (a tee's sleeves never reach down there):
 * - a gap of backdrop between the body's run and a run beyond it, many rows tall and reaching
 *   below the middle (a thin wedge, open at the bottom or closed where the cuff touches the
 *   body): the body's side is the body run's end beside the gap, the armpit the gap's top;
 * - cuffs hanging below the body's hem with no gap above (sleeves touching or overlapping the
 *   body): the body's side is taken as the sleeve's inner edge where it meets the hem;
 * - cuffs resting on the body just above the hem with no gap (see `restingCuff`).
 * A gap whose top is in the lower half, and a sleeve touching all the way, hide the real armpit.
 */
function hangingSide(profile: MaskProfile, side: Side, bodyHemY: number, hangingBelowY: number): HangingSide | undefined {
  const { bbox, cx } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  const minOffset = MIN_FLANK_OFFSET * (bbox.x1 - bbox.x0 + 1);
  let below = 0;
  for (let y = bodyHemY + 1; y <= bbox.y1; y++) if (flankRun(profile, y, side, minOffset)) below++;
  const belowHem = below >= Math.max(4, MIN_BELOW_HEM_ROWS * height);
  // Rows where the body run through the axis has something beyond it on this side, bottom up,
  // grouped into blocks across short interruptions (slivers of backdrop the cut-out kept).
  const bridge = Math.max(2, Math.round(0.01 * height));
  let block: { top: number; bottom: number; rows: Array<{ y: number; body: Run; outer: Run }> } | undefined;
  let best: typeof block;
  for (let y = bodyHemY; y >= bbox.y0; y--) {
    const body = runAt(profile, y, cx);
    const row = profile.runs[y] ?? [];
    const outer = body && (side < 0 ? row[0] : row[row.length - 1]);
    if (body && outer && outer !== body) {
      if (block && block.top - y <= bridge) {
        block.top = y;
        block.rows.push({ y, body, outer });
      } else {
        block = { top: y, bottom: y, rows: [{ y, body, outer }] };
      }
      if (block.bottom >= hangingBelowY && block.bottom - block.top + 1 >= MIN_GAP_ROWS * height && (!best || best === block || best.bottom < block.bottom)) best = block;
    }
  }
  if (best) {
    const widths = best.rows.map((r) => r.outer[1] - r.outer[0] + 1).sort((a, b) => a - b);
    const bodyWidths = best.rows.map((r) => r.body[1] - r.body[0] + 1).sort((a, b) => a - b);
    if (widths[widths.length >> 1] >= MIN_FLANK_WIDTH * bodyWidths[bodyWidths.length >> 1]) {
      // The body's side next to the gap's top (its median over the top rows: slivers of backdrop
      // kept in a thin gap make single rows jitter).
      const topRows = best.rows.filter((r) => r.y <= best.top + Math.max(3, 0.1 * (best.bottom - best.top)));
      const xs = topRows.map((r) => edgeX(r.body, side)).sort((a, b) => a - b);
      const sideX = xs[xs.length >> 1];
      return { sideX, joinY: best.top, hidden: best.top > hangingBelowY, belowHem };
    }
  }
  if (!belowHem) return restingCuff(profile, side, bodyHemY) ?? cuffNotch(profile, side, bodyHemY);
  // Cuffs below the hem: follow the sleeve's inner edge up to where it merges with the body,
  // starting a little below the hem, clear of its rounded corners (they can meet the sleeve there).
  let start = Math.min(bbox.y1, bodyHemY + Math.round(MIN_BELOW_HEM_ROWS * height));
  while (start > bodyHemY && !flankRun(profile, start, side, minOffset)) start--;
  let run = flankRun(profile, start, side, minOffset);
  if (!run) return undefined;
  const inner: number[] = [edgeX(run, -side as Side)];
  const jump = Math.max(3, 0.01 * (bbox.x1 - bbox.x0 + 1));
  let joinY = start;
  for (let y = start - 1; y >= bbox.y0; y--) {
    const next = continueRun(profile, y, run, -side as Side);
    if (!next) break;
    const x = edgeX(next, -side as Side);
    if ((next[0] <= cx && cx <= next[1]) || side * (inner[inner.length - 1] - x) > jump) break;
    inner.push(x);
    run = next;
    joinY = y;
  }
  // The inner edge a few rows below the junction, clear of its antialiasing.
  return { sideX: inner[Math.max(0, inner.length - 4)], joinY, hidden: true, belowHem };
}

/**
 * Sleeveless armpit: the side outline's point farthest outside the chord from the shoulder (strap
 * top) down to the side's lowest traced point (tops) or a dress's waist below it (the skirt's
 * flare would tilt the chord), i.e. the corner where the armhole meets the side seam.
 */
function sleevelessArmpit(points: Point[], shoulder: Point, side: Side, cx: number, fallback: Point, findWaist: boolean): Point {
  const below = points.filter((p) => p.y > shoulder.y);
  if (below.length === 0) return fallback;
  // The waist: the narrowest point that has a clearly wider part (the bust) above it; a side that
  // only widens downwards (a tank top's) has none and the chord runs to its lowest point.
  const sorted = [...below].sort((a, b) => a.y - b.y);
  let waist = sorted[sorted.length - 1];
  let widestAbove = -Infinity;
  let narrowest = Infinity;
  // Only a dress's side reaches down to a waist; straps taper too, so the waist is looked for
  // below the first third of the traced side.
  const waistFromY = findWaist ? shoulder.y + 0.35 * (waist.y - shoulder.y) : Infinity;
  for (const p of sorted) {
    const e = side * (p.x - cx);
    if (p.y >= waistFromY && widestAbove - e > WAIST_INSET && e <= narrowest) {
      narrowest = e;
      waist = p;
    }
    widestAbove = Math.max(widestAbove, e);
  }
  const dx = waist.x - shoulder.x, dy = waist.y - shoulder.y;
  const len = Math.hypot(dx, dy) || 1;
  let best = -Infinity;
  let armpit = fallback;
  for (const p of below) {
    if (p.y > waist.y) continue;
    // Signed distance from the chord, positive on the outer side (away from the axis).
    const outward = (side * ((p.x - shoulder.x) * dy - (p.y - shoulder.y) * dx)) / len;
    if (outward > best) {
      best = outward;
      armpit = p;
    }
  }
  return armpit;
}

/** Top-most garment row at column x, searching a few columns around it if x is empty. */
function topAt(profile: MaskProfile, x: number): number {
  const xi = Math.round(x);
  for (let d = 0; d < 8; d++) {
    for (const xx of [xi - d, xi + d]) if (xx >= 0 && xx < profile.width && profile.top[xx] >= 0) return profile.top[xx];
  }
  return profile.bbox.y0;
}

/**
 * Steepest fall (rows per column) of a shoulder line from the neck: about 35°. Steeper is the cap or
 * the outer side of a sleeve; drawn and photographed set-in sleeves' caps fall at 0.8 and more.
 */
const SHOULDER_LINE_MAX_SLOPE = 0.7;
/**
 * A shoulder point read at the side seam's column less than this share of the body's width below the
 * garment's top sits on the collar, not on a shoulder line that falls from the neck (about 0.1 on
 * tops): the body is narrower than the shoulders (a drop shoulder with its sleeves hanging).
 */
const SHOULDER_ON_COLLAR = 0.04;

/**
 * The shoulder line's outer corner, looking outwards along the garment's top from `from`: the point
 * that gets farthest out for the least drop, a drop of SHOULDER_LINE_MAX_SLOPE per column being
 * break-even (only columns whose top is above the armpit).
 */
function shoulderCorner(profile: MaskProfile, side: Side, from: Point, armpitY: number): Point {
  const { top, bbox } = profile;
  let best = from;
  let bestScore = 0;
  for (let x = Math.round(from.x) + side; x >= bbox.x0 && x <= bbox.x1; x += side) {
    // The garment's own top only: it ends at an empty column or below the armpit.
    if (top[x] < 0 || top[x] >= armpitY) break;
    const score = side * (x - from.x) - (top[x] - from.y) / SHOULDER_LINE_MAX_SLOPE;
    if (score > bestScore) {
      bestScore = score;
      best = { x, y: top[x] };
    }
  }
  return best;
}

/**
 * Widest strap (share of the body panel's width): spaghetti and camisole straps measure 3-7 %, while
 * the shoulder of a sleeved top, from the neck to the sleeve's seam, is a quarter of the panel or
 * more, and a sleeve, hanging or spread, at least a tenth (MIN_FLANK_WIDTH).
 */
const STRAP_MAX_WIDTH = 0.1;
/**
 * How far down (share of the panel's width) the garment must stay that narrow below its top outer
 * corner to be a strap: straps run a quarter of the panel's width and more down to the panel, while
 * the corner of a sleeve's cuff or a collar point widens within a few rows.
 */
const STRAP_MIN_LENGTH = 0.15;

/** The top outer corner of the garment's upper half on `side`: a strap's top, a shoulder's or sleeve's corner. */
function topOuterCorner(profile: MaskProfile, side: Side): Point {
  const { bbox, cx, top } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  let best = -Infinity;
  let corner: Point = { x: cx, y: topAt(profile, cx) };
  const from = side < 0 ? bbox.x0 : cx;
  const to = side < 0 ? cx : bbox.x1;
  for (let x = from; x <= to; x++) {
    if (top[x] < 0 || top[x] > bbox.y0 + 0.5 * height) continue;
    const score = side * (x - cx) - (top[x] - bbox.y0);
    if (score > best) {
      best = score;
      corner = { x, y: top[x] };
    }
  }
  return corner;
}

/**
 * Whether the garment's top on `side` is a strap: followed down from its top outer corner, a band
 * narrower than STRAP_MAX_WIDTH for STRAP_MIN_LENGTH. Below a strap there is no sleeve, whatever
 * joins the side lower down (a camisole's sides bulging out under the straps, a flounce).
 */
function strapOnSide(profile: MaskProfile, side: Side, panelWidth: number): boolean {
  const corner = topOuterCorner(profile, side);
  let run = runAt(profile, corner.y, corner.x);
  const maxWidth = STRAP_MAX_WIDTH * panelWidth;
  for (let y = corner.y + 1; run && y <= corner.y + STRAP_MIN_LENGTH * panelWidth; y++) {
    if (run[1] - run[0] + 1 >= maxWidth) return false;
    run = continueRun(profile, y, run, side);
  }
  return run !== undefined && run[1] - run[0] + 1 < maxWidth;
}

interface SleevePixels {
  xs: Int32Array;
  ys: Int32Array;
  count: number;
}

/**
 * Garment pixels on the outer side of the armpit's column that hang off the armhole: components of
 * that half that touch the dividing column at or above the armpit.
 */
function sleevePixels(profile: MaskProfile, side: Side, armpit: Point, belowY = Infinity): SleevePixels {
  const { mask, width, bbox, cx } = profile;
  const line = Math.round(armpit.x) + side * 2;
  // Below the body's hem (cuffs hanging lower than it) the sleeve reaches in to the axis.
  const reach = belowY < bbox.y1 ? cx : line;
  const cx0 = side < 0 ? bbox.x0 : reach;
  const cx1 = side < 0 ? reach : bbox.x1;
  const cw = cx1 - cx0 + 1;
  const ch = bbox.y1 - bbox.y0 + 1;
  if (cw <= 1) return { xs: new Int32Array(0), ys: new Int32Array(0), count: 0 };
  const crop = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const row = (y + bbox.y0) * width;
    const open = y + bbox.y0 > belowY;
    for (let x = 0; x < cw; x++) if (open || side * (x + cx0 - line) >= 0) crop[y * cw + x] = mask[row + x + cx0];
  }
  const { labels, areas } = labelComponents(crop, cw, ch);
  const attached = new Uint8Array(areas.length);
  const lineCol = line - cx0;
  for (let y = 0; y <= Math.min(ch - 1, Math.round(armpit.y) - bbox.y0 + 2); y++) {
    const id = labels[y * cw + lineCol];
    if (id) attached[id] = 1;
  }
  let count = 0;
  for (let id = 1; id < areas.length; id++) if (attached[id]) count += areas[id];
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < labels.length; i++) {
    if (!attached[labels[i]]) continue;
    xs[k] = (i % cw) + cx0;
    ys[k] = Math.floor(i / cw) + bbox.y0;
    k++;
  }
  return { xs, ys, count };
}

/** Distance (px) from p to the segment a-b. */
function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x, dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return hypot2(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

function sleeveLandmarks(pixels: SleevePixels, shoulder: Point, armpit: Point): SleeveLandmarks {
  const root = midpoint(shoulder, armpit);
  // The sleeve's end is what lies farthest from the armhole (the segment shoulder-armpit), not from
  // its middle: under a deep armhole the strip of sleeve along it reaches farther from the middle
  // than a short sleeve's cuff does.
  const fromArmhole = (x: number, y: number): number => distanceToSegment({ x, y }, shoulder, armpit);
  let far = 0;
  for (let i = 0; i < pixels.count; i++) far = Math.max(far, fromArmhole(pixels.xs[i], pixels.ys[i]));
  // Direction of the sleeve: towards the mean of its farthest pixels.
  const band = Math.max(3, 0.08 * far);
  let sx = 0, sy = 0, sn = 0;
  for (let i = 0; i < pixels.count; i++) {
    if (fromArmhole(pixels.xs[i], pixels.ys[i]) >= far - band) {
      sx += pixels.xs[i];
      sy += pixels.ys[i];
      sn++;
    }
  }
  let dx = sx / sn - root.x;
  let dy = sy / sn - root.y;
  const len = Math.hypot(dx, dy) || 1;
  dx /= len;
  dy /= len;
  // Normal pointing to the shoulder's side of the sleeve (the outer edge).
  let nx = -dy, ny = dx;
  if ((shoulder.x - armpit.x) * nx + (shoulder.y - armpit.y) * ny < 0) {
    nx = -nx;
    ny = -ny;
  }
  let maxProj = -Infinity;
  for (let i = 0; i < pixels.count; i++) maxProj = Math.max(maxProj, (pixels.xs[i] - root.x) * dx + (pixels.ys[i] - root.y) * dy);
  const cuffBand = Math.max(4, 0.25 * maxProj);
  // Cuff corners: the far end's two corners, by 45° corner scores between the sleeve direction
  // and its normal (robust to a slanted or rounded cuff).
  let outer: Point = { x: root.x + dx * maxProj, y: root.y + dy * maxProj };
  let inner = outer;
  let bestOuter = -Infinity, bestInner = -Infinity;
  for (let i = 0; i < pixels.count; i++) {
    const x = pixels.xs[i], y = pixels.ys[i];
    const proj = (x - root.x) * dx + (y - root.y) * dy;
    if (proj < maxProj - cuffBand) continue;
    const n = (x - root.x) * nx + (y - root.y) * ny;
    if (proj + n > bestOuter) {
      bestOuter = proj + n;
      outer = { x, y };
    }
    if (proj - n > bestInner) {
      bestInner = proj - n;
      inner = { x, y };
    }
  }
  return { shoulder, armpit, cuffOuter: outer, cuffInner: inner };
}

export interface UpperResult {
  landmarks: UpperLandmarks;
  /** Distance between the shoulder points: the unit of the length ratios. */
  shoulderWidth: number;
  /** Shoulder-to-cuff length of the longer sleeve, 0 when sleeveless. */
  sleeveLength: number;
  /** Shoulder line to hem. */
  length: number;
  /** Farthest sleeve pixel from its shoulder, 0 when sleeveless: what MAX_SLEEVE_RATIO bounds. */
  sleeveReach: number;
}

/**
 * Longest plausible sleeve, shoulder to cuff, in shoulder widths: long sleeves measure 1.5-2.
 * Anything longer was read along a side that has no armhole notch (a vest or tank whose armhole
 * the cut-out rounds off, an asymmetric hem with fringes), from the neck down to the hem.
 */
export const MAX_SLEEVE_RATIO = 2.5;

/** Options of findUpperLandmarks. */
export interface UpperOptions {
  /**
   * The garment is laid out symmetric (a flat lay or a ghost mannequin, not a garment on a posed
   * wearer): a sleeve lost on one side is the mirror image of the other's (see mirrorLostSleeve).
   */
  symmetric?: boolean;
}

export function findUpperLandmarks(profile: MaskProfile, isDress: boolean, options: UpperOptions = {}): UpperResult {
  const found = readUpperLandmarks(profile, isDress, false, options.symmetric ?? false);
  // A "sleeve" longer than any sleeve is the body panel's own side: read the garment as sleeveless.
  // The reach, not the cuff: a "sleeve" read along the panel's side ends anywhere down to the hem,
  // and its cuff, read as the end farthest from the armhole, can be a corner short of it.
  if (found.sleeveReach <= MAX_SLEEVE_RATIO * found.shoulderWidth) return found;
  return readUpperLandmarks(profile, isDress, true, options.symmetric ?? false);
}

/** Depth below the garment's highest row, as a share of its height, of the top edge whose middle is the axis a lost sleeve is mirrored about. */
const AXIS_TOP_TOLERANCE = 0.03;
/**
 * Least share of a mirrored sleeve's pixels that must be garment pixels on the other side: 0.76-1.0
 * where the other sleeve is there (a flat lay a little turned or off level keeps 0.76); a side
 * without a sleeve holds the mirror's part over the body panel only, well under half.
 */
const MIRROR_MIN_OVERLAP = 0.7;
/**
 * Farthest a mirrored sleeve is moved up or down (share of the garment's height) to find the other
 * side's sleeve: a flat lay is often photographed a few degrees off level, one sleeve lower than
 * the other (kolors_cloth_06_upper: 0.75 of the mirror on the garment in place, 0.76 moved 18 px;
 * hm_cotton_tshirt_10: 0.774 in place, 0.776 moved 4 px).
 */
const MIRROR_MAX_SHIFT = 0.04;
/**
 * Narrowest cuff (share of the body panel's width) of a real sleeve: cuffs measure 0.11-0.47 on both
 * photo sets; a "sleeve" whose cuff is a few pixels wide is a sliver of the panel's side read as a
 * sleeve hanging down it (the sleeve itself then stands out as part of the body).
 */
const MIN_CUFF_WIDTH = 0.08;
/**
 * Least distance of a top's shoulder seam from the collar's axis, as a share of half the body panel's
 * width: 0.61-1.42 on both photo sets; nearer, the shoulder was read on the collar's edge (a rugby
 * shirt's collar standing above a sloping shoulder line) and the sleeve's reading starts inside the body.
 */
const MIN_SHOULDER_SPAN = 0.6;

export interface SideReading {
  side: Side;
  armpit: Point;
  pixels: SleevePixels;
  hasSleeve: boolean;
  shoulder: Point;
}

/** The collar's axis: the middle of the garment's highest stretch of top edge (the median column leans towards a side whose sleeve merged with the body). */
function collarAxis(profile: MaskProfile): number {
  const { top, bbox } = profile;
  let highest = Infinity;
  for (let x = bbox.x0; x <= bbox.x1; x++) if (top[x] >= 0 && top[x] < highest) highest = top[x];
  const tolerance = AXIS_TOP_TOLERANCE * (bbox.y1 - bbox.y0 + 1);
  let left = bbox.x1;
  let right = bbox.x0;
  for (let x = bbox.x0; x <= bbox.x1; x++) {
    if (top[x] < 0 || top[x] > highest + tolerance) continue;
    left = Math.min(left, x);
    right = Math.max(right, x);
  }
  return (left + right) / 2;
}

/**
 * A sleeve reading that no sleeve of a symmetric garment has: a cuff a few pixels wide (the panel's
 * side read as a long sleeve hanging down it: kkcat_upper2, hm_oversized_tshirt_29) or, on a top, a
 * shoulder on the collar (kolors_cloth_06_upper). Dresses' panels are measured at the skirt, so only
 * the cuff is checked there.
 */
export function implausibleSleeve(reading: SideReading, axis: number, panelWidth: number, isDress: boolean): boolean {
  if (!reading.hasSleeve || reading.pixels.count === 0) return false;
  const sleeve = sleeveLandmarks(reading.pixels, reading.shoulder, reading.armpit);
  if (distance(sleeve.cuffOuter, sleeve.cuffInner) < MIN_CUFF_WIDTH * panelWidth) return true;
  return !isDress && Math.abs(reading.shoulder.x - axis) < MIN_SHOULDER_SPAN * 0.5 * panelWidth;
}

/**
 * A sleeve read on one side of a symmetric garment and not on the other (or read implausibly, see
 * `implausibleSleeve`), whose mirror image about the axis lies on the garment: the other sleeve is
 * that mirror image. A short sleeve touching a peplum's flare, or a cuff joined to the hem by the
 * flat lay's shadow, leaves no armhole notch to read; its side was then read as sleeveless with an
 * armpit out at the cuff, and the garment was placed with that sleeve standing out from the
 * shoulder as part of the body panel. The mirror is moved up or down (at most MIRROR_MAX_SHIFT)
 * where a garment laid a little off level puts the other sleeve lower.
 */
export function mirrorLostSleeve(profile: MaskProfile, sides: SideReading[], implausible: boolean[] = [false, false], cx = collarAxis(profile)): SideReading[] {
  const { width, height, mask, bbox } = profile;
  const maxShift = Math.round(MIRROR_MAX_SHIFT * (bbox.y1 - bbox.y0 + 1));
  return sides.map((lost, k) => {
    const seen = sides[1 - k];
    if ((lost.hasSleeve && !implausible[k]) || !seen.hasSleeve || implausible[1 - k] || seen.pixels.count === 0) return lost;
    const mirror = (x: number): number => 2 * cx - x;
    const count = seen.pixels.count;
    const xs = new Int32Array(count);
    for (let i = 0; i < count; i++) xs[i] = Math.round(mirror(seen.pixels.xs[i]));
    const overlapAt = (dy: number): number => {
      let onGarment = 0;
      for (let i = 0; i < count; i++) {
        const x = xs[i], y = seen.pixels.ys[i] + dy;
        if (x >= 0 && x < width && y >= 0 && y < height && mask[y * width + x]) onGarment++;
      }
      return onGarment / count;
    };
    // Where the mirror lies best on the garment, the smallest move first.
    let shift = 0;
    let best = overlapAt(0);
    for (let d = 1; d <= maxShift; d++) {
      for (const dy of [d, -d]) {
        const overlap = overlapAt(dy);
        if (overlap > best) {
          best = overlap;
          shift = dy;
        }
      }
    }
    if (best < MIRROR_MIN_OVERLAP) return lost;
    const ys = new Int32Array(count);
    for (let i = 0; i < count; i++) ys[i] = seen.pixels.ys[i] + shift;
    return {
      side: lost.side,
      armpit: { x: mirror(seen.armpit.x), y: seen.armpit.y + shift },
      pixels: { xs, ys, count },
      hasSleeve: true,
      shoulder: { x: mirror(seen.shoulder.x), y: seen.shoulder.y + shift },
    };
  });
}

function readUpperLandmarks(profile: MaskProfile, isDress: boolean, sleeveless: boolean, symmetric: boolean): UpperResult {
  const { bbox, cx, top } = profile;
  const height = bbox.y1 - bbox.y0 + 1;
  // Tops are followed from just above the hem, so that sleeves hanging against the body are met
  // at their cuffs; a dress from its upper skirt (flounces and flare lower down).
  let startY = Math.round(isDress ? bbox.y0 + 0.5 * height : bbox.y1 - 0.1 * height);
  // The start row must cut the body itself: bell sleeves or ruffles hanging below the hem do not.
  const minBody = 0.25 * (bbox.x1 - bbox.x0 + 1);
  for (let y = startY; y > bbox.y0 + 0.5 * height; y--) {
    const run = runAt(profile, y, cx);
    if (run && run[1] - run[0] + 1 >= minBody) {
      startY = y;
      break;
    }
  }
  const armholeAboveY = bbox.y0 + (isDress ? 0.25 : 0.5) * height;
  const hangingBelowY = bbox.y0 + (isDress ? 0.3 : 0.5) * height;
  // Body panel width: near the hem for tops (below where hanging sleeves end), at the upper skirt
  // for dresses.
  let panelWidth = isDress ? bodyWidth(profile, bbox.y0 + 0.2 * height, bbox.y0 + 0.35 * height) : bodyWidth(profile, startY - 0.06 * height, startY + 0.06 * height);
  // Long sleeves hanging beside a top's body are read from the gap or the cuffs below the hem
  // (a dress's hem is far below any sleeve).
  const bodyHemY = isDress ? bbox.y1 : bodyHemAtAxis(profile);
  const hanging: Record<Side, HangingSide | undefined> = isDress
    ? { [-1]: undefined, [1]: undefined }
    : { [-1]: hangingSide(profile, -1, bodyHemY, hangingBelowY), [1]: hangingSide(profile, 1, bodyHemY, hangingBelowY) };
  // A cuff notch read on one side only, the other side running straight up without any join: the
  // garment is symmetric and the other notch was lost in the cut-out (a soft corner, a shadow under
  // the cuff). The body's side there is the other end of its run on the notch's row, below the cuffs.
  for (const side of [-1, 1] as const) {
    const found = hanging[side];
    const other = (-side) as Side;
    if (found?.notchY === undefined || hanging[other]) continue;
    const hemRun = runAt(profile, found.notchY, cx);
    if (!hemRun || traceSide(profile, other, startY, armholeAboveY, hangingBelowY, panelWidth).joined) continue;
    hanging[other] = { ...found, sideX: edgeX(hemRun, other) };
  }
  const hl = hanging[-1], hr = hanging[1];
  // Both sides of the body seen: its width between them (the rows near the hem may hold cuffs).
  if (hl && hr) panelWidth = hr.sideX - hl.sideX + 1;
  const trace = (side: Side): SideTrace => {
    const h = hanging[side];
    if (h) return { armpit: { x: h.sideX, y: h.joinY }, joined: true, hidden: h.hidden, points: [] };
    return traceSide(profile, side, startY, armholeAboveY, hangingBelowY, panelWidth);
  };
  const traces = { [-1]: trace(-1), [1]: trace(1) };

  const read = ([-1, 1] as const).map((side): SideReading => {
    let trace = traces[side];
    const startRun = bodyRun(profile, startY);
    if (!hanging[side] && startRun && Math.abs(trace.armpit.x - cx) < MIN_ARMPIT_OFFSET * panelWidth) {
      // The trace ended next to the neck (sleeves merged with the body all the way down, ruffles):
      // the body's own side is hidden; take it from the start row and place the armpit below the
      // shoulder as for a hanging sleeve.
      trace = { ...trace, armpit: { x: edgeX(startRun, side), y: trace.armpit.y }, joined: true, hidden: true };
    }
    let armpit = trace.armpit;
    const pixels = sleevePixels(profile, side, armpit, hanging[side]?.belowHem ? bodyHemY : Infinity);
    let maxReach = 0;
    for (let i = 0; i < pixels.count; i++) maxReach = Math.max(maxReach, hypot2(pixels.xs[i] - armpit.x, pixels.ys[i] - armpit.y));
    const hasSleeve = !sleeveless && trace.joined && pixels.count >= 0.015 * panelWidth * panelWidth && maxReach >= 0.1 * panelWidth &&
      !strapOnSide(profile, side, panelWidth);
    let shoulder: Point;
    if (hasSleeve) {
      shoulder = { x: armpit.x, y: topAt(profile, armpit.x) };
      // A loose sleeve hanging from a drop shoulder against the body (read from its cuff's notch):
      // the side seam's column meets the sleeve's sloping top, outside the shoulder line's corner;
      // the sleeve starts at that corner, found going out from the neck, and its seam runs down
      // from there (the body's side below it is hidden by the sleeve).
      const notched = hanging[side]?.notchY !== undefined;
      if (notched) shoulder = shoulderCorner(profile, side, { x: cx, y: topAt(profile, cx) }, bbox.y0 + 0.5 * height);
      // A gap beside a hanging sleeve whose top is deeper than any armhole: the cut-out closed
      // the thin upper end of the gap (or the sleeve lies against the body there), so the real
      // armpit is hidden above it.
      const tooDeep = hanging[side] !== undefined && armpit.y - shoulder.y > MAX_ARMHOLE_DEPTH * panelWidth;
      // A hidden armpit sits an armhole's depth below the shoulder (about 45 % of the body's width).
      if (trace.hidden || tooDeep) armpit = { x: notched ? shoulder.x : armpit.x, y: shoulder.y + HIDDEN_ARMHOLE_DEPTH * panelWidth };
      // A sleeve hanging beside the body starts at the shoulder line's outer corner, which on a drop
      // shoulder lies well outside the body's side seam (there the armpit's column meets the top
      // at the collar).
      if ((hanging[side] || trace.hidden) && shoulder.y - bbox.y0 < SHOULDER_ON_COLLAR * panelWidth) shoulder = shoulderCorner(profile, side, shoulder, armpit.y);
    } else {
      // Sleeveless: the top outer corner of the upper half (a strap's top on camisoles).
      shoulder = topOuterCorner(profile, side);
      // What joined the side (a ruffle, lace) was no sleeve: follow the whole side for the armhole.
      const points = trace.joined ? traceSide(profile, side, startY, armholeAboveY, hangingBelowY, panelWidth, true).points : trace.points;
      armpit = sleevelessArmpit(points, shoulder, side, cx, armpit, isDress);
      // No armhole corner on the side (a straight side the cut-out rounded off): the corner found
      // is anywhere down to the hem. The armhole ends an armhole's depth below the strap, on the side.
      // (The panel's width read near a fringed or asymmetric hem can be short: the straps' span is
      // the surer measure.)
      const width = Math.max(panelWidth, 2 * Math.abs(shoulder.x - cx));
      if (armpit.y - shoulder.y > MAX_ARMHOLE_DEPTH * width) {
        const y = Math.round(shoulder.y + HIDDEN_ARMHOLE_DEPTH * width);
        // The row's outermost garment pixel on this side (a V-neck splits the row in two).
        const runs = profile.runs[y] ?? [];
        armpit = { x: runs.length ? (side < 0 ? runs[0][0] : runs[runs.length - 1][1]) : armpit.x, y };
      }
    }
    return { side, armpit, pixels, hasSleeve, shoulder };
  });
  // Cut off a wearer, a "sleeve" on one side only that is a fraction of a sleeve's size is what the
  // cut left of the wearer's arm or of the armhole's edge (a tank or a strap dress's): the garment
  // is sleeveless. Read with it, the speck was drawn down the arm and the straps' shoulders stood
  // out as a boxy top (wide 90, 19, 73).
  const sleeved = read.filter((r) => r.hasSleeve);
  if (!symmetric && !sleeveless && sleeved.length === 1 && sleeved[0].pixels.count < LONE_SLEEVE_MIN_AREA * panelWidth * panelWidth) {
    return readUpperLandmarks(profile, isDress, true, symmetric);
  }
  let sides = read;
  if (symmetric && !sleeveless) {
    const axis = collarAxis(profile);
    sides = mirrorLostSleeve(profile, read, read.map((r) => implausibleSleeve(r, axis, panelWidth, isDress)), axis);
  }
  const armpitLeft = sides[0].armpit;
  const armpitRight = sides[1].armpit;
  const [ls, rs] = sides;
  const shoulderLeft = ls.shoulder;
  const shoulderRight = rs.shoulder;
  const shoulderWidth = Math.max(1, distance(shoulderLeft, shoulderRight));

  // Neckline: the highest points either side of the axis between the shoulders, the dip between.
  const x0 = Math.round(Math.min(shoulderLeft.x, cx - 1));
  const x1 = Math.round(Math.max(shoulderRight.x, cx + 1));
  const tolerance = Math.max(1, 0.004 * height);
  const highest = (from: number, to: number): number => {
    let m = Infinity;
    for (let x = from; x <= to; x++) if (top[x] >= 0 && top[x] < m) m = top[x];
    return m;
  };
  const minLeft = highest(x0, cx);
  const minRight = highest(cx, x1);
  let neckLeftX = x0;
  for (let x = cx; x >= x0; x--) if (top[x] >= 0 && top[x] <= minLeft + tolerance) { neckLeftX = x; break; }
  let neckRightX = x1;
  for (let x = cx; x <= x1; x++) if (top[x] >= 0 && top[x] <= minRight + tolerance) { neckRightX = x; break; }
  let dip: Point = { x: cx, y: topAt(profile, cx) };
  for (let x = neckLeftX; x <= neckRightX; x++) {
    const y = top[x] < 0 ? bbox.y1 : top[x];
    if (y > dip.y || (y === dip.y && Math.abs(x - cx) < Math.abs(dip.x - cx))) dip = { x, y: Math.min(y, bbox.y1) };
  }
  let neckLeft: Point = { x: neckLeftX, y: top[neckLeftX] };
  let neckRight: Point = { x: neckRightX, y: top[neckRightX] };
  const dipDepth = dip.y - Math.max(neckLeft.y, neckRight.y);
  if (dipDepth < 0.02 * shoulderWidth || neckRightX - neckLeftX < 0.1 * shoulderWidth) {
    // A straight top edge (crew neck seen from the back collar, off-shoulder band): no visible
    // opening, so take a neck of typical proportions centred on the axis.
    const half = 0.2 * shoulderWidth;
    neckLeft = { x: Math.round(cx - half), y: topAt(profile, cx - half) };
    neckRight = { x: Math.round(cx + half), y: topAt(profile, cx + half) };
    dip = { x: cx, y: topAt(profile, cx) };
  }

  // Hem corners: the lowest outer corners of the body panel below the armpits.
  const armpitY = Math.max(armpitLeft.y, armpitRight.y);
  let hemLeft: Point = { x: bbox.x0, y: bbox.y1 };
  let hemRight: Point = { x: bbox.x1, y: bbox.y1 };
  let bestL = -Infinity, bestR = -Infinity;
  // Hanging sleeves: below the body's hem there are only cuffs, and where a sleeve touches the body
  // the row's run holds both; the panel's own end is taken at its side seam there.
  const lastY = hl?.belowHem || hr?.belowHem ? bodyHemY : bbox.y1;
  const sleeveBottom = (s: (typeof sides)[number]): number => {
    let m = -Infinity;
    for (let i = 0; i < s.pixels.count; i++) m = Math.max(m, s.pixels.ys[i]);
    return m;
  };
  const clampL = hl && ls.hasSleeve ? { x: hl.sideX, toY: sleeveBottom(ls) } : undefined;
  const clampR = hr && rs.hasSleeve ? { x: hr.sideX, toY: sleeveBottom(rs) } : undefined;
  const flare = HEM_FLARE * panelWidth;
  for (let y = Math.round(armpitY); y <= lastY; y++) {
    const run = bodyRun(profile, y);
    if (!run) continue;
    const left = clampL && y <= clampL.toY && run[0] < clampL.x - flare ? clampL.x : run[0];
    const right = clampR && y <= clampR.toY && run[1] > clampR.x + flare ? clampR.x : run[1];
    if (y - left > bestL) {
      bestL = y - left;
      hemLeft = { x: left, y };
    }
    if (y + right > bestR) {
      bestR = y + right;
      hemRight = { x: right, y };
    }
  }

  const landmarks: UpperLandmarks = {
    neckLeft, neckRight, neckDip: dip, shoulderLeft, shoulderRight, armpitLeft, armpitRight, hemLeft, hemRight,
  };
  let sleeveLength = 0;
  if (ls.hasSleeve && ls.pixels.count > 0) {
    landmarks.sleeveLeft = sleeveLandmarks(ls.pixels, shoulderLeft, armpitLeft);
  }
  if (rs.hasSleeve && rs.pixels.count > 0) {
    landmarks.sleeveRight = sleeveLandmarks(rs.pixels, shoulderRight, armpitRight);
  }
  for (const s of [landmarks.sleeveLeft, landmarks.sleeveRight]) {
    if (s) sleeveLength = Math.max(sleeveLength, distance(s.shoulder, midpoint(s.cuffOuter, s.cuffInner)));
  }
  const length = (hemLeft.y + hemRight.y) / 2 - (shoulderLeft.y + shoulderRight.y) / 2;
  let sleeveReach = 0;
  for (const s of [ls, rs]) {
    if (!s.hasSleeve) continue;
    for (let i = 0; i < s.pixels.count; i++) sleeveReach = Math.max(sleeveReach, hypot2(s.pixels.xs[i] - s.shoulder.x, s.pixels.ys[i] - s.shoulder.y));
  }
  return { landmarks, shoulderWidth, sleeveLength, length, sleeveReach };
}

/** Dress landmarks: the bodice's, plus the waist as the narrowest body row between armpits and hem. */
export function findDressLandmarks(profile: MaskProfile, options: UpperOptions = {}): UpperResult & { landmarks: DressLandmarks } {
  const upper = findUpperLandmarks(profile, true, options);
  const u = upper.landmarks;
  const fromY = Math.max(u.armpitLeft.y, u.armpitRight.y);
  const toY = Math.min(u.hemLeft.y, u.hemRight.y);
  const span = toY - fromY;
  let bestWidth = Infinity;
  const rows: number[] = [];
  const widths = new Map<number, Run>();
  for (let y = Math.round(fromY + 0.1 * span); y <= Math.round(fromY + 0.6 * span); y++) {
    const run = bodyRun(profile, y);
    if (!run) continue;
    widths.set(y, run);
    const w = run[1] - run[0];
    if (w < bestWidth) bestWidth = w;
  }
  for (const [y, run] of widths) if (run[1] - run[0] <= bestWidth + 1) rows.push(y);
  // Middle of the narrowest stretch (a straight shift dress has a long one).
  const waistY = rows.length ? rows[rows.length >> 1] : Math.round(fromY + 0.35 * span);
  const run = widths.get(waistY) ?? bodyRun(profile, waistY) ?? [profile.bbox.x0, profile.bbox.x1];
  return {
    ...upper,
    landmarks: { ...u, waistLeft: { x: run[0], y: waistY }, waistRight: { x: run[1], y: waistY } },
  };
}
