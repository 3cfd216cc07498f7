/**
 * Sleeve and garment length classes from the measured ratios, and the small keyword table through
 * which `garmentDesc` overrides a measurement that disagrees with what the shop says it sells.
 */
import type { Category } from '../../types.ts';
import type { LowerKind, SleeveLength, UpperLandmarks } from '../types.ts';

/**
 * Sleeve length (shoulder to cuff) over shoulder width, upper bounds per class. Calibrated on flat
 * product shots, where the shoulder point sits above the armpit: short-sleeved tees measure
 * 0.5-0.85, long sleeves 1.4 and more.
 */
const SLEEVE_CLASSES: Array<[number, SleeveLength]> = [
  [0.12, 'none'],
  [0.9, 'short'],
  [1.1, 'elbow'],
  [1.35, 'three_quarter'],
];

export function sleeveClass(ratio: number): SleeveLength {
  for (const [limit, cls] of SLEEVE_CLASSES) if (ratio < limit) return cls;
  return 'long';
}

/** Shorts reach at most this far below the waistband, in waist widths. */
const SHORTS_MAX_LENGTH = 1.7;

export function lowerKindFor(hasLegs: boolean, lengthRatio: number): LowerKind {
  if (!hasLegs) return 'skirt';
  return lengthRatio < SHORTS_MAX_LENGTH ? 'shorts' : 'trousers';
}

export interface Refined {
  sleeve: SleeveLength;
  lowerKind?: LowerKind;
  lengthRatio: number;
  /** Keywords that changed something, for the timings/debug trail. */
  applied: string[];
}

type LengthRule = { pattern: RegExp; name: string; ranges: Partial<Record<Category | 'skirt', [number, number]>> };

const SLEEVE_WORDS: Array<[RegExp, SleeveLength]> = [
  [/\b(sleeveless|strapless)\b/, 'none'],
  [/\b(long[- ]?sleeve[sd]?)\b/, 'long'],
  [/\b(three[- ]quarter|3\/4)[- ]sleeve[sd]?\b/, 'three_quarter'],
  [/\belbow[- ](length[- ])?sleeve[sd]?\b/, 'elbow'],
  [/\bshort[- ]?sleeve[sd]?\b/, 'short'],
];

/** Words that name trousers of some length. */
const TROUSER_WORDS = /\b(trousers|pants|jeans|joggers|leggings|chinos)\b/;

const LOWER_WORDS: Array<[RegExp, LowerKind]> = [
  [/\bshorts\b/, 'shorts'],
  [/\bskirts?\b/, 'skirt'],
  [TROUSER_WORDS, 'trousers'],
];

/** Words that make trousers shorter than full length (a cropped, capri or ankle cut). */
const SHORT_LEG_WORDS = /\b(crop|cropped|capri|culottes?|ankle|7\/8|three[- ]quarter|3\/4|shorts|bermudas?)\b/;

/**
 * Whether the shop's description says these are trousers of full length: trousers, pants, jeans,
 * joggers, chinos or leggings, with no word of a shorter cut. A wide drawstring waist laid flat is
 * as wide as the hips' girth is long, and its inseam measured against it read as a cropped cut:
 * wide pinstripe trousers stopped at mid-shin over a flat painted shin (wide 66).
 */
export function saidFullLengthTrousers(description: string | undefined): boolean {
  if (!description) return false;
  const text = description.toLowerCase();
  return TROUSER_WORDS.test(text) && !SHORT_LEG_WORDS.test(text);
}

/** Longest a tee is taken (shoulder line to hem, in shoulder widths): below the long-line tops' (placement's LONG_LINE_MIN_LENGTH, 2.4). */
const TEE_MAX_LENGTH = 2.2;

/** Length ratio ranges a word implies (shoulder line or waist to hem, in shoulder or waist widths). */
const LENGTH_WORDS: LengthRule[] = [
  { pattern: /\b(cropped|crop)\b/, name: 'cropped', ranges: { upper_body: [0, 1.1] } },
  { pattern: /\b(maxi|floor[- ]length)\b/, name: 'maxi', ranges: { dresses: [3.3, Infinity], skirt: [2.6, Infinity] } },
  { pattern: /\bmidi\b/, name: 'midi', ranges: { dresses: [2.5, 3.2], skirt: [1.7, 2.5] } },
  { pattern: /\bmini\b/, name: 'mini', ranges: { dresses: [0, 2.2], skirt: [0, 1.3] } },
  // A tee ends about the hips, however its flat lay measures: the shoulder points sit above the
  // armpits (the chest's width, not the shoulder seams'), which on a tee with dropped shoulders
  // reads a hip-length tee as a long-line top (wide 71: 2.66 shoulder widths, placed with its hem
  // at the knees of a jumping man). Development tees measure 1.5-2.0. Not a tee said to be longer.
  { pattern: /^(?!.*\b(long[- ]?line|tunic|longer[- ]length)\b).*\b(t-?shirts?|tees?)\b/, name: 'tee', ranges: { upper_body: [0, TEE_MAX_LENGTH] } },
];

export function refineWithDescription(
  category: Category,
  measured: { sleeve: SleeveLength; lowerKind?: LowerKind; lengthRatio: number },
  description: string | undefined,
): Refined {
  const result: Refined = { ...measured, applied: [] };
  if (!description) return result;
  const text = description.toLowerCase();
  if (category !== 'lower_body') {
    for (const [pattern, cls] of SLEEVE_WORDS) {
      if (pattern.test(text)) {
        if (cls !== result.sleeve) result.applied.push(`sleeve:${cls}`);
        result.sleeve = cls;
        break;
      }
    }
  }
  if (category === 'lower_body') {
    for (const [pattern, kind] of LOWER_WORDS) {
      if (pattern.test(text)) {
        if (kind !== result.lowerKind) result.applied.push(`lowerKind:${kind}`);
        result.lowerKind = kind;
        break;
      }
    }
  }
  const rangeKey = category === 'lower_body' ? (result.lowerKind === 'skirt' ? 'skirt' : undefined) : category;
  for (const rule of LENGTH_WORDS) {
    if (!rangeKey || !rule.pattern.test(text)) continue;
    const range = rule.ranges[rangeKey];
    if (!range) continue;
    const clamped = Math.min(Math.max(result.lengthRatio, range[0]), range[1]);
    if (clamped !== result.lengthRatio) result.applied.push(`length:${rule.name}`);
    result.lengthRatio = clamped;
    break;
  }
  return result;
}

/**
 * How deep a sleeveless top's front opening reaches below its neck points, in shoulder widths, from
 * which the top is made to be worn over another (a buttoned sweater vest, a waistcoat: the V opens
 * to the first button, 0.85-0.88 on the two vests of the wide photos). Necklines worn on the skin
 * stop higher: a tank's, a jersey's, a knit vest's V at most 0.4, a sweetheart neckline's 0.56.
 */
const WORN_OVER_OPENING_DEPTH = 0.7;

/** What a shop calls a sleeveless top worn over another ("vest" alone is also a tank top). */
const WORN_OVER_WORDS = /\b(waistcoats?|gilets?|(sweater|knit|knitted|suit|tailored|puffer|quilted|padded|fleece|down|denim)[- ]vests?)\b/;

/**
 * Is this top worn over the one the person has on (a sweater vest, a waistcoat, a gilet)? Then the
 * person's top stays where the new one does not cover it: its sleeves, its collar, what shows in
 * the V. Replaced, a deep V bared a chest with nothing of the person's to show there (a painted
 * slab down to the waist), and the arms and shoulders a vest leaves bare were painted too.
 * `openingBottomY` is the lowest row of the garment's neck opening (null: none found).
 */
export function wornOverAnotherTop(
  category: Category,
  sleeve: SleeveLength,
  landmarks: Pick<UpperLandmarks, 'neckLeft' | 'neckRight' | 'shoulderLeft' | 'shoulderRight'> | undefined,
  openingBottomY: number | null,
  description: string | undefined,
): boolean {
  if (category !== 'upper_body' || sleeve !== 'none') return false;
  if (description && WORN_OVER_WORDS.test(description.toLowerCase())) return true;
  if (!landmarks || openingBottomY === null) return false;
  const neckY = (landmarks.neckLeft.y + landmarks.neckRight.y) / 2;
  const shoulderWidth = Math.hypot(landmarks.shoulderRight.x - landmarks.shoulderLeft.x, landmarks.shoulderRight.y - landmarks.shoulderLeft.y);
  if (shoulderWidth <= 0) return false;
  return (openingBottomY - neckY) / shoulderWidth >= WORN_OVER_OPENING_DEPTH;
}
