/**
 * API 2's prompt parser: turns shop language ("Help the model change into a navy blazer with
 * white pinstripes and light wash skinny jeans") into garment specs the renderer can draw.
 *
 * How it reads a prompt:
 * 1. Normalise: lower case, accents and apostrophes dropped, hyphens as spaces ("T-Shirt" is
 *    "t shirt"), "&", "+" and "/" as "and" ("black/white" is "black and white"), "3/4" kept as
 *    "3 4", other punctuation becomes a clause boundary.
 * 2. Tokenise by longest phrase first over the vocabulary (vocabulary.ts, colors.ts): garment
 *    nouns, unsupported nouns (shoes, hat, background...), colours and colour modifiers, patterns,
 *    materials, sleeve / length / fit / cut / neckline / style words, and the few function words
 *    that decide grouping ("and", "with", "in", "to", "instead of", "no"). Every other word is
 *    filler, so word order and filler ("help the model change into", "please put her in") do
 *    not matter.
 * 3. Group: each garment noun owns the words since the previous noun (after the last clause
 *    boundary: "and", "with", a comma...), and the words after the last noun belong to it
 *    ("a dress in navy with white polka dots"). An "and" between two colours joins them
 *    ("black and white stripes") rather than starting a new garment.
 * 4. Sources: a garment named after replace / change / swap / remove / make / turn, or after
 *    "instead of", is what the person wears now, not what to draw ("replace her jeans with a red
 *    skirt" draws only the skirt). When the only garments named are sources, the edit recolours
 *    the garment the person wears in that category ("make the shirt red", "change the jeans to
 *    black").
 * 5. No garment at all but a colour, pattern or material ("make it red", "in polka dots"): the
 *    edit recolours the person's current upper garment, keeping its shape (mode 'recolor').
 *
 * At most one garment per body part is kept, first named first served: one upper and one lower
 * garment, or one full-body garment (dress, jumpsuit, overalls). A prompt with nothing to act on
 * throws ApiError INVALID_PARAM (10004).
 */
import { ApiError } from '../../domain/errors.ts';
import type { Category } from '../types.ts';
import { COLOR_MODIFIERS, colorPhrases, lookupColor, modifyColor, type ColorModifier, type ColorRef, type Rgb } from './colors.ts';
import {
  CUT_WORDS, FIT_WORDS, GARMENT_NOUNS, GARMENT_TYPES, LENGTH_WORDS, MATERIAL_WORDS, NECKLINE_WORDS, PATTERN_WORDS, PLEAT_WORDS,
  SLEEVE_WORDS, STYLE_WORDS, STYLES, UNSUPPORTED_NOUNS, WASH_WORDS,
  type Cut, type Fit, type Form, type GarmentNoun, type GarmentShape, type GarmentType, type Length, type LengthWord,
  type Material, type Neckline, type Pattern, type Sleeve,
} from './vocabulary.ts';

export type { ColorRef } from './colors.ts';
export type { Cut, Fit, Form, GarmentType, Length, Material, Neckline, Pattern, Sleeve } from './vocabulary.ts';

/**
 * One garment the prompt asks for: its type's shape (GarmentShape; for recolours `sleeve` is null,
 * the current sleeves stay) as the prompt's adjectives changed it, plus pattern and colours.
 */
export interface GarmentSpec extends GarmentShape {
  /** Canonical garment type, or 'current' for a recolour of what the person wears now. */
  type: GarmentType | 'current';
  /** 'new': draw this garment's own silhouette; 'recolor': repaint the current garment of `category` in its own shape. */
  mode: 'new' | 'recolor';
  pattern: Pattern;
  /** The garment's main colour as said, or null when the prompt names none (the renderer picks by seed). */
  ground: ColorRef | null;
  /** Pattern colours (stripes, dots, print), in the order said. */
  accents: ColorRef[];
  /** A shade word with no colour after it ("a dark dress"): applied to whatever colour the renderer picks. */
  tone: ColorModifier | null;
  /** Whether the prompt fixed the length (a length word, or a noun that carries one: "maxi dress", "mini skirt"). */
  lengthSaid: boolean;
  /** Whether the prompt fixed the cut (a cut word, or a style or noun that carries one: "a-line", "pencil skirt"). */
  cutSaid: boolean;
  /** Whether the prompt fixed the sleeves (a sleeve word, or a style or noun that carries them: "long-sleeved", "slip dress", "catsuit"). */
  sleeveSaid: boolean;
  /** Whether the prompt fixed the neckline (a neckline word, or a style or noun that carries one: "v-neck", "slip dress", "bomber"). */
  necklineSaid: boolean;
  /**
   * A dress's or skirt's drawn length in shoulder widths (a skirt's from its waistband) when the
   * pipeline fits it to the person (edit.ts lengthCoveringCurrent, fitToCover); otherwise the
   * length class's own (product-shot/geometry.ts).
   */
  lengthS?: number;
  /** The row (analysis px) a skirt's hem is to reach on this person (edit.ts lengthCoveringCurrent). */
  hemY?: number;
  /** Half the width (analysis px) of the person's current long skirt near its hem, which a new dress or skirt of open cut covers (edit.ts). */
  oldHemHalf?: number;
  /** A dress's or skirt's drawn hem half-width in shoulder widths when fitted to the person (edit.ts fitToCover); otherwise its cut's. */
  hemHalfS?: number;
  /**
   * Trousers drawn to cover the person's current long skirt (edit.ts lengthCoveringCurrent): wide
   * legs that touch from the crotch to a short split at the hem, to the ankles and as wide as the
   * old skirt, put on by the classic engine as a skirt is (one piece over the old one).
   */
  overSkirt?: boolean;
}

export interface ParsedPrompt {
  garments: GarmentSpec[];
  /** Things the prompt mentions that this engine does not change (shoes, hat, background...). */
  ignored: string[];
}

export const NOTHING_TO_APPLY = 'prompt: names no garment, colour or pattern that can be applied (e.g. "a red striped t-shirt")';

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'garment'; noun: GarmentNoun; text: string }
  | { kind: 'unsupported'; text: string }
  | { kind: 'color'; color: ColorRef }
  | { kind: 'modifier'; modifier: ColorModifier; text: string }
  | { kind: 'wash'; color: ColorRef }
  | { kind: 'pattern'; pattern: Pattern | 'stripes' }
  | { kind: 'material'; material: Material }
  | { kind: 'sleeve'; sleeve: Sleeve }
  | { kind: 'length'; length: LengthWord }
  | { kind: 'fit'; fit: Fit }
  | { kind: 'cut'; cut: Cut }
  | { kind: 'style'; style: string }
  | { kind: 'neckline'; neckline: Neckline }
  | { kind: 'pleated' }
  /** "and" between garments or clauses; `join` is an "and" between two colours. */
  | { kind: 'and' }
  | { kind: 'join' }
  | { kind: 'boundary' }
  | { kind: 'with' }
  | { kind: 'negation' }
  /** replace / change / make ...: the next garment noun (until a target word) is the current one. */
  | { kind: 'source' }
  /** "instead of", "rather than": the next garment noun is the current one. */
  | { kind: 'instead' }
  /** into / to / in / wear: what follows is the new outfit. */
  | { kind: 'target' };

const MAX_PHRASE_WORDS = 5;

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Lower case, accents dropped, separators unified; punctuation becomes a standalone ",". */
export function normalisePrompt(text: string): string[] {
  let s = stripAccents(text.toLowerCase());
  s = s.replace(/(\d)\s*\/\s*(\d)/g, '$1 $2');
  s = s.replace(/[&+/]/g, ' and ');
  s = s.replace(/['’`]s\b/g, '').replace(/['’`]/g, '');
  s = s.replace(/[.,;:!?()[\]{}"“”|]/g, ' , ');
  s = s.replace(/[-_–—]/g, ' ');
  s = s.replace(/[^a-z0-9, ]/g, ' ');
  return s.split(/\s+/).filter((w) => w.length > 0);
}

function phraseKey(phrase: string): string {
  return normalisePrompt(phrase).filter((w) => w !== ',').join(' ');
}

const LEXICON = buildLexicon();

function buildLexicon(): Map<string, Token[]> {
  const lex = new Map<string, Token[]>();
  // Later tables do not override earlier ones for the same phrase, except where a phrase means two
  // things at once (strapless: no sleeves and a strapless neckline), which are merged.
  const add = (phrase: string, token: Token, merge = false): void => {
    const key = phraseKey(phrase);
    const existing = lex.get(key);
    if (!existing) lex.set(key, [token]);
    else if (merge && !existing.some((t) => t.kind === token.kind)) existing.push(token);
  };
  for (const [phrase, noun] of Object.entries(GARMENT_NOUNS)) {
    add(phrase, { kind: 'garment', noun, text: phraseKey(phrase) });
    if (!phrase.endsWith('s')) add(`${phrase}s`, { kind: 'garment', noun, text: phraseKey(phrase) });
  }
  for (const phrase of UNSUPPORTED_NOUNS) add(phrase, { kind: 'unsupported', text: phrase });
  for (const [phrase, sleeve] of Object.entries(SLEEVE_WORDS)) add(phrase, { kind: 'sleeve', sleeve });
  for (const [phrase, neckline] of Object.entries(NECKLINE_WORDS)) add(phrase, { kind: 'neckline', neckline }, true);
  for (const [phrase, pattern] of Object.entries(PATTERN_WORDS)) add(phrase, { kind: 'pattern', pattern });
  for (const [phrase, material] of Object.entries(MATERIAL_WORDS)) add(phrase, { kind: 'material', material });
  for (const [phrase, rgb] of Object.entries(WASH_WORDS)) {
    const n = Number.parseInt(rgb, 16);
    add(phrase, { kind: 'wash', color: { name: phraseKey(phrase), rgb: [(n >> 16) & 255, (n >> 8) & 255, n & 255] } });
  }
  for (const phrase of colorPhrases()) add(phrase, { kind: 'color', color: { name: phrase, rgb: lookupColor(phrase) as Rgb } });
  for (const [phrase, modifier] of Object.entries(COLOR_MODIFIERS)) add(phrase, { kind: 'modifier', modifier, text: phrase });
  for (const [phrase, length] of Object.entries(LENGTH_WORDS)) add(phrase, { kind: 'length', length });
  for (const [phrase, fit] of Object.entries(FIT_WORDS)) add(phrase, { kind: 'fit', fit });
  for (const [phrase, cut] of Object.entries(CUT_WORDS)) add(phrase, { kind: 'cut', cut });
  for (const [phrase, style] of Object.entries(STYLE_WORDS)) add(phrase, { kind: 'style', style });
  for (const phrase of PLEAT_WORDS) add(phrase, { kind: 'pleated' });
  for (const w of ['and', 'plus', 'also', 'as well as', 'along with', 'together with', 'paired with', 'matched with', 'over', 'under', 'underneath', 'beneath', 'on top of', 'then']) add(w, { kind: 'and' });
  for (const w of ['with', 'featuring', 'having', 'that has', 'which has', 'has', 'patterned with', 'covered in', 'covered with']) add(w, { kind: 'with' });
  for (const w of ['no', 'not', 'without', 'non', 'never', 'dont', 'do not']) add(w, { kind: 'negation' });
  for (const w of ['replace', 'replacing', 'change', 'changing', 'swap', 'swapping', 'switch', 'switching', 'exchange', 'make', 'turn', 'remove', 'take off', 'get rid of', 'recolor', 'recolour', 'dye', 'paint', 'transform', 'convert', 'alter', 'swap out', 'modify']) {
    add(w, { kind: 'source' });
  }
  for (const w of ['instead of', 'rather than', 'in place of', 'replacing the', 'from']) add(w, { kind: 'instead' });
  for (const w of ['into', 'to', 'in', 'wear', 'wears', 'wearing', 'put on', 'dressed in', 'for', 'as', 'be', 'become', 'look like', 'try on', 'show']) add(w, { kind: 'target' });
  return lex;
}

/** Verbs and pronouns after which "dress" is the verb ("dress her in red"). */
const DRESS_VERB_NEXT = new Set(['her', 'him', 'them', 'the', 'model', 'up', 'me', 'us', 'this', 'that', 'person', 'woman', 'man', 'girl', 'guy']);

function singular(word: string): string | null {
  if (word.length > 4 && word.endsWith('es') && /(ch|sh|x|s)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return null;
}

function tokenise(words: string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < words.length) {
    if (words[i] === ',') {
      tokens.push({ kind: 'boundary' });
      i++;
      continue;
    }
    if ((words[i] === 'dress' || words[i] === 'dressed') && DRESS_VERB_NEXT.has(words[i + 1] ?? '')) {
      tokens.push({ kind: 'target' });
      i++;
      continue;
    }
    let matched = false;
    for (let len = Math.min(MAX_PHRASE_WORDS, words.length - i); len >= 1 && !matched; len--) {
      const slice = words.slice(i, i + len);
      if (slice.includes(',')) continue;
      let found = LEXICON.get(slice.join(' '));
      if (!found) {
        const last = singular(slice[len - 1]);
        if (last) found = LEXICON.get([...slice.slice(0, -1), last].join(' '));
      }
      if (found) {
        tokens.push(...found);
        i += len;
        matched = true;
      }
    }
    if (!matched) i++; // filler
  }
  // An "and" between two colour words joins them into one colour list.
  const isColourish = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'color' || t.kind === 'modifier' || t.kind === 'wash');
  for (let k = 1; k < tokens.length - 1; k++) {
    if (tokens[k].kind === 'and' && isColourish(tokens[k - 1]) && isColourish(tokens[k + 1])) tokens[k] = { kind: 'join' };
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Grouping

interface Group {
  /** null for an unsupported noun (shoes, hat...). */
  noun: GarmentNoun | null;
  text: string;
  source: boolean;
  mods: Token[];
}

const isBoundary = (t: Token): boolean =>
  t.kind === 'and' || t.kind === 'boundary' || t.kind === 'with' || t.kind === 'target' || t.kind === 'source' || t.kind === 'instead';

function group(tokens: Token[]): { groups: Group[]; loose: Token[] } {
  const groups: Group[] = [];
  let pending: Token[] = [];
  let sourceWindow = false;
  let insteadWindow = false;
  for (const t of tokens) {
    if (t.kind === 'source') sourceWindow = true;
    else if (t.kind === 'target' || t.kind === 'boundary') sourceWindow = false;
    if (t.kind === 'instead') insteadWindow = true;
    if (t.kind !== 'garment' && t.kind !== 'unsupported') {
      pending.push(t);
      continue;
    }
    // Two garment nouns in a row name one garment by its head, the last noun ("t-shirt hoodie").
    if (pending.length === 0 && groups.length > 0 && t.kind === 'garment' && groups[groups.length - 1].noun !== null && !groups[groups.length - 1].source) {
      const last = groups[groups.length - 1];
      last.noun = t.noun;
      last.text = t.text;
      continue;
    }
    let own = pending;
    if (groups.length > 0) {
      let cut = -1;
      for (let k = pending.length - 1; k >= 0; k--) {
        if (isBoundary(pending[k])) {
          cut = k;
          break;
        }
      }
      groups[groups.length - 1].mods.push(...pending.slice(0, Math.max(0, cut)));
      own = cut >= 0 ? pending.slice(cut) : pending;
    }
    const isSource = t.kind === 'garment' && (sourceWindow || insteadWindow);
    groups.push({ noun: t.kind === 'garment' ? t.noun : null, text: t.text, source: isSource, mods: [...own] });
    if (isSource) {
      sourceWindow = false;
      insteadWindow = false;
    }
    pending = [];
  }
  if (groups.length > 0) {
    groups[groups.length - 1].mods.push(...pending);
    return { groups, loose: [] };
  }
  return { groups, loose: pending };
}

// ---------------------------------------------------------------------------------------------
// Resolving a group into a spec

/** Words after a negation are dropped ("no stripes", "not red"). */
function dropNegated(mods: Token[]): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < mods.length; k++) {
    if (mods[k].kind === 'negation') {
      // Skip the next content word (and a colour modifier with it).
      let j = k + 1;
      while (j < mods.length && (mods[j].kind === 'modifier' || mods[j].kind === 'join')) j++;
      k = j;
      continue;
    }
    out.push(mods[k]);
  }
  return out;
}

interface Colours {
  ground: ColorRef | null;
  accents: ColorRef[];
  tone: ColorModifier | null;
  washMaterial: boolean;
}

function resolveColours(mods: Token[]): Colours {
  const said: Array<{ color: ColorRef; index: number }> = [];
  let tone: ColorModifier | null = null;
  let washMaterial = false;
  for (let k = 0; k < mods.length; k++) {
    const t = mods[k];
    if (t.kind === 'modifier') {
      const next = mods[k + 1];
      if (next && next.kind === 'color') {
        said.push({ color: { name: `${t.text} ${next.color.name}`, rgb: modifyColor(next.color.rgb, t.modifier) }, index: k });
        k++;
      } else if (!next || next.kind !== 'modifier') tone ??= t.modifier;
    } else if (t.kind === 'color') said.push({ color: { name: t.color.name, rgb: [...t.color.rgb] }, index: k });
    else if (t.kind === 'wash') {
      said.push({ color: { name: t.color.name, rgb: [...t.color.rgb] }, index: k });
      washMaterial = true;
    }
  }
  if (said.length > 0) tone = null;
  const withIndex = mods.findIndex((t) => t.kind === 'with');
  const patternIndex = mods.findIndex((t) => t.kind === 'pattern' && t.pattern !== 'solid');
  if (withIndex >= 0 && patternIndex > withIndex) {
    // "a navy dress with white polka dots": colours before "with" are the ground, after it the print.
    const before = said.filter((c) => c.index < withIndex).map((c) => c.color);
    const after = said.filter((c) => c.index > withIndex).map((c) => c.color);
    return { ground: before[0] ?? null, accents: [...before.slice(1), ...after], tone, washMaterial };
  }
  return { ground: said[0]?.color ?? null, accents: said.slice(1).map((c) => c.color), tone, washMaterial };
}

/** Vertical stripes on shirts, trousers and skirts; horizontal (Breton) on knits, tees and dresses. */
function stripeDirection(type: GarmentType | 'current', form: Form): Pattern {
  if (type === 'shirt' || type === 'blouse' || type === 'blazer' || type === 'vest') return 'vertical_stripes';
  if (form === 'trousers' || form === 'skirt' || form === 'jumpsuit' || form === 'overalls') return 'vertical_stripes';
  return 'horizontal_stripes';
}

function resolveLength(word: LengthWord, form: Form, type: GarmentType | 'current'): Length | null {
  if (type === 'shorts') return word === 'long' || word === 'knee' || word === 'above_knee' || word === 'bermuda' ? 'bermuda' : word === 'short' || word === 'mini' ? 'shorts' : null;
  const outer = type === 'coat' || type === 'jacket' || type === 'puffer jacket' || type === 'blazer' || type === 'cardigan';
  switch (form) {
    case 'top':
      if (word === 'long') return type === 'coat' ? 'midi' : outer ? 'tunic' : 'tunic';
      if (word === 'short') return type === 'coat' ? 'hip' : outer ? 'waist' : 'cropped';
      if (word === 'cropped') return outer ? 'waist' : 'cropped';
      if (word === 'mini') return 'cropped';
      if (word === 'ankle') return 'maxi';
      if (word === 'shorts' || word === 'full' || word === 'capri' || word === 'bermuda') return null;
      return word;
    case 'dress':
    case 'skirt':
      if (word === 'long' || word === 'ankle' || word === 'full') return 'maxi';
      if (word === 'short') return 'mini';
      if (word === 'tunic') return 'mini';
      if (word === 'capri') return 'midi';
      if (word === 'cropped' || word === 'waist' || word === 'hip' || word === 'shorts' || word === 'bermuda') return null;
      return word;
    default:
      // Trouser legs: trousers, jumpsuits, overalls.
      if (word === 'long' || word === 'ankle' || word === 'maxi' || word === 'full') return 'full';
      if (word === 'short' || word === 'mini' || word === 'shorts') return 'shorts';
      if (word === 'knee' || word === 'above_knee' || word === 'bermuda') return 'bermuda';
      if (word === 'midi' || word === 'capri' || word === 'cropped') return 'capri';
      return null;
  }
}

/** Length words inside a garment noun ("maxi dress", "miniskirt", "midi skirt"). */
const LENGTH_IN_NOUN = /(mini|midi|maxi)/i;

function specFor(
  type: GarmentType | 'current',
  base: GarmentShape,
  nounAdds: Partial<GarmentShape>,
  mode: 'new' | 'recolor',
  rawMods: Token[],
  /** The noun itself names a length ("maxi dress", "miniskirt"), not just implies one ("pleated skirt" is midi unless said). */
  nounNamesLength = false,
): GarmentSpec {
  const mods = dropNegated(rawMods);
  const shape: GarmentShape = { ...base };
  // Precedence: the type's shape < a style word ("wrap") < the compound noun ("midi dress") < explicit words.
  for (const t of mods) if (t.kind === 'style' && STYLES[t.style] && (shape.form === 'dress' || shape.form === 'skirt')) Object.assign(shape, STYLES[t.style], { style: t.style });
  Object.assign(shape, nounAdds);
  let lengthSaid = nounNamesLength && nounAdds.length !== undefined;
  let cutSaid = nounAdds.cut !== undefined || mods.some((t) => t.kind === 'style' && STYLES[t.style]?.cut !== undefined);
  const styled = base.form === 'dress' || base.form === 'skirt';
  let sleeveSaid = nounAdds.sleeve !== undefined || (styled && mods.some((t) => t.kind === 'style' && STYLES[t.style]?.sleeve !== undefined));
  let necklineSaid = nounAdds.neckline !== undefined || (styled && mods.some((t) => t.kind === 'style' && STYLES[t.style]?.neckline !== undefined));
  let pattern: Pattern | 'stripes' = 'solid';
  let patternSaid = false;
  for (const t of mods) {
    switch (t.kind) {
      case 'sleeve':
        if (shape.sleeve !== null || shape.form === 'top' || shape.form === 'dress' || shape.form === 'jumpsuit') {
          shape.sleeve = t.sleeve;
          sleeveSaid = true;
        }
        break;
      case 'length': {
        const resolved = resolveLength(t.length, shape.form, type);
        if (resolved) {
          shape.length = resolved;
          lengthSaid = true;
        }
        break;
      }
      case 'fit':
        shape.fit = t.fit;
        break;
      case 'cut':
        shape.cut = t.cut;
        cutSaid = true;
        if (t.cut === 'skinny' || t.cut === 'pencil') shape.fit = 'tight';
        break;
      case 'neckline':
        if (shape.neckline !== null || shape.form !== 'trousers') {
          shape.neckline = t.neckline;
          necklineSaid = true;
        }
        break;
      case 'pleated':
        shape.pleated = true;
        break;
      case 'pattern':
        if (!patternSaid) {
          pattern = t.pattern;
          patternSaid = true;
        }
        break;
      default:
        break;
    }
  }
  // "sleeveless" on a form without sleeves, or sleeves on trousers, is ignored; a neckline word on
  // trousers too.
  if (shape.form === 'trousers' || shape.form === 'skirt') {
    shape.sleeve = null;
    shape.neckline = null;
  }
  // The first material said wins over the type's own ("a leather skirt"); a denim wash implies denim.
  const explicitMaterial = mods.find((t): t is Extract<Token, { kind: 'material' }> => t.kind === 'material');
  const colours = resolveColours(mods);
  const material: Material | null = explicitMaterial?.material ?? (colours.washMaterial ? 'denim' : shape.material);
  let resolvedPattern: Pattern = pattern === 'stripes' ? stripeDirection(type, shape.form) : pattern;
  if (resolvedPattern === 'solid' && colours.ground && colours.accents.length > 0) resolvedPattern = 'color_block';
  return {
    type,
    mode,
    category: shape.category,
    form: shape.form,
    sleeve: mode === 'recolor' ? null : shape.sleeve,
    length: shape.length,
    fit: shape.fit,
    cut: shape.cut,
    neckline: mode === 'recolor' ? null : shape.neckline,
    pleated: shape.pleated,
    style: shape.style,
    pattern: resolvedPattern,
    material,
    ground: colours.ground,
    accents: colours.accents,
    tone: colours.tone,
    lengthSaid,
    cutSaid,
    sleeveSaid,
    necklineSaid,
  };
}


/** Does the word list say anything a recolour can apply (a colour, pattern, material or shade)? */
function hasAppearance(mods: Token[]): boolean {
  return dropNegated(mods).some(
    (t) => t.kind === 'color' || t.kind === 'wash' || t.kind === 'material' || (t.kind === 'pattern' && t.pattern !== 'solid'),
  );
}

/** The shape of "whatever the person wears now" in a category, for recolours. */
function currentShape(category: Category): GarmentShape {
  const form: Form = category === 'upper_body' ? 'top' : category === 'lower_body' ? 'trousers' : 'dress';
  return { category, form, sleeve: null, length: category === 'lower_body' ? 'full' : category === 'dresses' ? 'knee' : 'hip', fit: 'regular', cut: 'straight', neckline: null, pleated: false, material: null, style: null };
}

export function parsePrompt(text: string): ParsedPrompt {
  const tokens = tokenise(normalisePrompt(text));
  const { groups, loose } = group(tokens);
  const ignored = groups.filter((g) => g.noun === null).map((g) => g.text);

  const specs: GarmentSpec[] = [];
  const targets = groups.filter((g) => g.noun !== null && !g.source);
  if (targets.length > 0) {
    for (const g of targets) {
      let noun: GarmentNoun | undefined = g.noun as GarmentNoun;
      while (noun) {
        specs.push(specFor(noun.type, GARMENT_TYPES[noun.type], noun.adds ?? {}, 'new', g.mods, LENGTH_IN_NOUN.test(g.text)));
        noun = noun.also;
      }
    }
  } else {
    const sources = groups.filter((g) => g.noun !== null && g.source);
    for (const g of sources) {
      if (!hasAppearance(g.mods)) continue;
      const category = GARMENT_TYPES[(g.noun as GarmentNoun).type].category;
      specs.push(specFor('current', currentShape(category), {}, 'recolor', g.mods));
      const also = (g.noun as GarmentNoun).also;
      if (also) specs.push(specFor('current', currentShape(GARMENT_TYPES[also.type].category), {}, 'recolor', g.mods));
    }
    if (specs.length === 0 && hasAppearance(loose)) specs.push(specFor('current', currentShape('upper_body'), {}, 'recolor', loose));
  }

  // One garment per body part, first named first served.
  const kept: GarmentSpec[] = [];
  let upper = false;
  let lower = false;
  for (const spec of specs) {
    const needsUpper = spec.category !== 'lower_body';
    const needsLower = spec.category !== 'upper_body';
    if ((needsUpper && upper) || (needsLower && lower)) continue;
    upper ||= needsUpper;
    lower ||= needsLower;
    kept.push(spec);
  }
  if (kept.length === 0) throw new ApiError('INVALID_PARAM', NOTHING_TO_APPLY);
  return { garments: kept, ignored };
}
