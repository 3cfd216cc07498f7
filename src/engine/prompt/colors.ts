/**
 * Colour vocabulary of the prompt parser: every CSS named colour (CSS Color Module Level 4, the
 * 148 keywords, grey/gray spellings both), fashion names (navy, burgundy, camel, ...), multi-word
 * shop names ("navy blue", "baby pink", "off white"), and the modifiers that shift a colour
 * (light / dark / pastel / bright / deep / pale / muted / neon).
 *
 * Where a fashion name and a CSS keyword disagree, the fashion meaning wins because that is what a
 * shop means: CSS `khaki` is a pale yellow (#F0E68C), a khaki garment is a greyish sand (#C3B091).
 * Both spellings still parse; only the shade differs. Lookups are by normalised phrase: lower case,
 * words separated by single spaces ("navy-blue" and "navyblue" both reach "navy blue" through the
 * CSS table or the alias table).
 */

export type Rgb = [number, number, number];

function hex(value: string): Rgb {
  const n = Number.parseInt(value, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The CSS named colours, keyed by their keyword. */
const CSS_COLORS: Record<string, string> = {
  aliceblue: 'f0f8ff', antiquewhite: 'faebd7', aqua: '00ffff', aquamarine: '7fffd4', azure: 'f0ffff',
  beige: 'f5f5dc', bisque: 'ffe4c4', black: '000000', blanchedalmond: 'ffebcd', blue: '0000ff',
  blueviolet: '8a2be2', brown: 'a52a2a', burlywood: 'deb887', cadetblue: '5f9ea0', chartreuse: '7fff00',
  chocolate: 'd2691e', coral: 'ff7f50', cornflowerblue: '6495ed', cornsilk: 'fff8dc', crimson: 'dc143c',
  cyan: '00ffff', darkblue: '00008b', darkcyan: '008b8b', darkgoldenrod: 'b8860b', darkgray: 'a9a9a9',
  darkgreen: '006400', darkgrey: 'a9a9a9', darkkhaki: 'bdb76b', darkmagenta: '8b008b', darkolivegreen: '556b2f',
  darkorange: 'ff8c00', darkorchid: '9932cc', darkred: '8b0000', darksalmon: 'e9967a', darkseagreen: '8fbc8f',
  darkslateblue: '483d8b', darkslategray: '2f4f4f', darkslategrey: '2f4f4f', darkturquoise: '00ced1',
  darkviolet: '9400d3', deeppink: 'ff1493', deepskyblue: '00bfff', dimgray: '696969', dimgrey: '696969',
  dodgerblue: '1e90ff', firebrick: 'b22222', floralwhite: 'fffaf0', forestgreen: '228b22', fuchsia: 'ff00ff',
  gainsboro: 'dcdcdc', ghostwhite: 'f8f8ff', gold: 'ffd700', goldenrod: 'daa520', gray: '808080',
  green: '008000', greenyellow: 'adff2f', grey: '808080', honeydew: 'f0fff0', hotpink: 'ff69b4',
  indianred: 'cd5c5c', indigo: '4b0082', ivory: 'fffff0', khaki: 'f0e68c', lavender: 'e6e6fa',
  lavenderblush: 'fff0f5', lawngreen: '7cfc00', lemonchiffon: 'fffacd', lightblue: 'add8e6', lightcoral: 'f08080',
  lightcyan: 'e0ffff', lightgoldenrodyellow: 'fafad2', lightgray: 'd3d3d3', lightgreen: '90ee90', lightgrey: 'd3d3d3',
  lightpink: 'ffb6c1', lightsalmon: 'ffa07a', lightseagreen: '20b2aa', lightskyblue: '87cefa', lightslategray: '778899',
  lightslategrey: '778899', lightsteelblue: 'b0c4de', lightyellow: 'ffffe0', lime: '00ff00', limegreen: '32cd32',
  linen: 'faf0e6', magenta: 'ff00ff', maroon: '800000', mediumaquamarine: '66cdaa', mediumblue: '0000cd',
  mediumorchid: 'ba55d3', mediumpurple: '9370db', mediumseagreen: '3cb371', mediumslateblue: '7b68ee',
  mediumspringgreen: '00fa9a', mediumturquoise: '48d1cc', mediumvioletred: 'c71585', midnightblue: '191970',
  mintcream: 'f5fffa', mistyrose: 'ffe4e1', moccasin: 'ffe4b5', navajowhite: 'ffdead', navy: '000080',
  oldlace: 'fdf5e6', olive: '808000', olivedrab: '6b8e23', orange: 'ffa500', orangered: 'ff4500',
  orchid: 'da70d6', palegoldenrod: 'eee8aa', palegreen: '98fb98', paleturquoise: 'afeeee', palevioletred: 'db7093',
  papayawhip: 'ffefd5', peachpuff: 'ffdab9', peru: 'cd853f', pink: 'ffc0cb', plum: 'dda0dd',
  powderblue: 'b0e0e6', purple: '800080', rebeccapurple: '663399', red: 'ff0000', rosybrown: 'bc8f8f',
  royalblue: '4169e1', saddlebrown: '8b4513', salmon: 'fa8072', sandybrown: 'f4a460', seagreen: '2e8b57',
  seashell: 'fff5ee', sienna: 'a0522d', silver: 'c0c0c0', skyblue: '87ceeb', slateblue: '6a5acd',
  slategray: '708090', slategrey: '708090', snow: 'fffafa', springgreen: '00ff7f', steelblue: '4682b4',
  tan: 'd2b48c', teal: '008080', thistle: 'd8bfd8', tomato: 'ff6347', turquoise: '40e0d0',
  violet: 'ee82ee', wheat: 'f5deb3', white: 'ffffff', whitesmoke: 'f5f5f5', yellow: 'ffff00',
  yellowgreen: '9acd32',
};

/** Number of CSS keywords above (the tests check all of them parse). */
export const CSS_COLOR_NAMES: readonly string[] = Object.keys(CSS_COLORS);

/**
 * Fashion and shop colour names. Garment dyes are less saturated than screen primaries, so the
 * plain names (red, blue, green, yellow, purple, orange, pink, brown, grey) are given as the
 * shade a shop photo of a "red t-shirt" shows rather than #FF0000.
 */
const FASHION_COLORS: Record<string, string> = {
  red: 'c8102e', blue: '1f4fa8', green: '2e7d32', yellow: 'f4d03f', purple: '6a3d9a', orange: 'f28c28',
  pink: 'f4a6c0', brown: '7b4a2e', grey: '8c8c8c', gray: '8c8c8c',
  navy: '1b2a4a', 'navy blue': '1b2a4a', burgundy: '7a1f2b', beige: 'd8c3a5', khaki: 'c3b091', olive: '6b6b2a',
  'olive green': '6b6b2a', teal: '11777a', mustard: 'd4a017', coral: 'f07868', lavender: 'b8a6d9', charcoal: '36393d',
  ivory: 'f6f1e1', cream: 'f3ead3', camel: 'c19a6b', rust: 'b7472a', maroon: '6d1a26', mint: 'a8e0c4',
  'mint green': 'a8e0c4', blush: 'eec4c0', nude: 'e3bc9a', taupe: '8b7d6b', emerald: '0f7a4a', 'emerald green': '0f7a4a',
  cobalt: '0047ab', 'cobalt blue': '0047ab', sage: '9caf88', 'sage green': '9caf88', mauve: 'b784a7', lilac: 'c8a2c8',
  wine: '6f1d2b', 'wine red': '6f1d2b', oxblood: '5c1a1b', plum: '6e3a5e', terracotta: 'c8643b', ochre: 'cc8a1e',
  sand: 'd9c8a9', stone: 'bfb6a6', 'denim blue': '3b5b86', indigo: '2e2f6b', peach: 'f7b89a',
  apricot: 'f4b183', champagne: 'f1e2c4', gold: 'c9a23f', golden: 'c9a23f', silver: 'c0c0c4', bronze: 'a0703a',
  copper: 'b87333', cherry: 'a50f2a', 'cherry red': 'a50f2a', scarlet: 'd0201f', crimson: 'b3132b', ruby: '9b111e',
  sapphire: '1f3f8f', turquoise: '30c0c0', aqua: '4fc6d0', seafoam: '93e0c8', 'forest green': '1f4d2b',
  'bottle green': '0b4a30', 'hunter green': '2f4a33', 'army green': '4b5320', 'kelly green': '2a9d3f',
  chocolate: '4a2c1d', mocha: '7a5a45', espresso: '3b2a21', coffee: '5b4031', caramel: 'b5773a', tan: 'c8a27a',
  cognac: '9a4a22', ecru: 'e9dfc6', oatmeal: 'd8ccb4', 'off white': 'f2efe6', offwhite: 'f2efe6', bone: 'e6dfcf',
  jet: '111111', 'jet black': '111111', ink: '1d2230', petrol: '1e4e5e', lemon: 'f5e050', canary: 'f7e14b',
  tangerine: 'f08a24', 'burnt orange': 'c5551d', 'neon green': '39ff14', 'neon pink': 'ff3fa4', 'neon yellow': 'e6ff2a',
  'neon orange': 'ff6a1a', lime: '9bcf3c', 'lime green': '9bcf3c', fuchsia: 'd4267a', magenta: 'c0267c',
  raspberry: 'b0204f', berry: '8e2653', rose: 'd98c9a', 'dusty rose': 'c49a9a', 'dusty pink': 'd8a7a7',
  'dusty blue': '7d93ad', 'powder blue': 'b5cde3', 'baby blue': 'a9cbe8', 'baby pink': 'f5c6d2', 'sky blue': '8ec5e8',
  'royal blue': '2a4db5', 'electric blue': '1f5cff', 'ice blue': 'cfe4f2', 'pale blue': 'bcd4ea', 'light blue': 'a7c7e7',
  'dark blue': '15275c', 'dark green': '1e4a2a', 'light green': '9ed39e', 'dark red': '7e1020', 'light pink': 'f6cdd8',
  'hot pink': 'e93f8a', 'bubblegum pink': 'f59ac0', 'blood red': '8a0a13', 'brick red': 'a23d2c', brick: 'a23d2c',
  slate: '5d6875', 'slate grey': '5d6875', 'slate gray': '5d6875', gunmetal: '4a4f55', 'heather grey': 'a5a6a8',
  'heather gray': 'a5a6a8', 'light grey': 'c8c8c8', 'light gray': 'c8c8c8', 'dark grey': '4d4d4f', 'dark gray': '4d4d4f',
  'charcoal grey': '36393d', 'charcoal gray': '36393d', 'ash grey': 'b2b5b2', ash: 'b2b5b2', pewter: '8e9196',
  white: 'f7f7f5', black: '1a1a1a', 'pure white': 'ffffff', 'optic white': 'fbfbfb', snow: 'fbfbfb',
  violet: '7f4fb0', amethyst: '8e63b5', eggplant: '4a2740', aubergine: '4a2740', grape: '5c2d6e', orchid: 'c07ac0',
  fawn: 'c8a882', mushroom: 'a39a8c', latte: 'c5a888', biscuit: 'd6b98c', honey: 'd99a2b', amber: 'd48a10',
  saffron: 'f0a21a', marigold: 'eaa221', butter: 'f6e49a', 'butter yellow': 'f6e49a', 'pastel yellow': 'f8eaa0',
  'mustard yellow': 'd4a017', 'sunflower yellow': 'f5c21b', chartreuse: 'b8d432', pistachio: 'b5cf8e',
  jade: '2e9a6e', 'sea green': '3a9a72', cyan: '29b6c6', cerulean: '2a7ab8', azure: '3d8bd6', 'steel blue': '4a6f94',
  'midnight blue': '1a2240', midnight: '1a2240', 'ink blue': '1d2b4f', 'teal blue': '1a6c7a', 'pale pink': 'f3d1d6',
  salmon: 'f08a78', 'salmon pink': 'f08a78', 'peach pink': 'f4a89a', 'rose pink': 'e68fa5', 'rose gold': 'd4a38f',
  'candy pink': 'f28ab2', 'blush pink': 'eec4c0', 'mauve pink': 'c99aa8',
};

/** Misspellings, plurals and "-ish" forms that shops and users write. */
const ALIASES: Record<string, string> = {
  creme: 'cream', 'cream white': 'cream', greys: 'grey', blues: 'blue', reds: 'red', greens: 'green', blacks: 'black', whites: 'white',
  reddish: 'red', bluish: 'blue', greenish: 'green', yellowish: 'yellow', pinkish: 'pink', purplish: 'purple',
  greyish: 'grey', grayish: 'grey', brownish: 'brown', orangey: 'orange', blacky: 'black',
  bordeaux: 'burgundy', merlot: 'wine', claret: 'wine', forest: 'forest green',
  kaki: 'khaki', fushia: 'fuchsia', fuschia: 'fuchsia', lavendar: 'lavender', beig: 'beige', turqoise: 'turquoise',
};

export interface ColorRef {
  /** Normalised phrase as the prompt said it, modifiers included (e.g. "light blue", "pastel pink"). */
  name: string;
  rgb: Rgb;
}

const TABLE = new Map<string, Rgb>();
for (const [name, value] of Object.entries(CSS_COLORS)) TABLE.set(name, hex(value));
for (const [name, value] of Object.entries(FASHION_COLORS)) {
  TABLE.set(name, hex(value));
  // "navy blue" is also reachable as "navyblue"; CSS compounds are also reachable with spaces.
  if (name.includes(' ')) TABLE.set(name.replace(/ /g, ''), hex(value));
}
for (const name of CSS_COLOR_NAMES) {
  const spaced = splitCssCompound(name);
  if (spaced !== name && !TABLE.has(spaced)) TABLE.set(spaced, TABLE.get(name) as Rgb);
}
for (const [alias, target] of Object.entries(ALIASES)) {
  const rgb = TABLE.get(target);
  if (!rgb) throw new Error(`colour alias ${alias} points to unknown ${target}`);
  TABLE.set(alias, rgb);
}

/** "lightgoldenrodyellow" → "light goldenrod yellow", so the spaced form parses too. */
function splitCssCompound(name: string): string {
  const parts = ['light', 'dark', 'medium', 'pale', 'deep', 'hot', 'lawn', 'lime', 'sea', 'sky', 'slate', 'steel', 'royal', 'dodger', 'forest', 'indian', 'rebecca', 'midnight', 'navajo', 'olive', 'orange', 'spring', 'yellow', 'green', 'blue', 'violet', 'cadet', 'cornflower', 'rosy', 'saddle', 'sandy', 'ghost', 'floral', 'antique', 'old', 'lemon', 'powder', 'alice', 'blanched', 'misty', 'mint', 'lavender', 'papaya', 'peach', 'burly', 'white', 'dim', 'fire', 'golden', 'goldenrod', 'aquamarine', 'turquoise', 'orchid', 'purple', 'red', 'pink', 'salmon', 'cyan', 'gray', 'grey', 'khaki', 'magenta', 'brick', 'smoke', 'silk', 'lace', 'whip', 'puff', 'chiffon', 'cream', 'blush', 'almond', 'wood', 'shell', 'dew', 'rose', 'gold', 'seagreen', 'drab', 'rod', 'corn'];
  let rest = name;
  const out: string[] = [];
  while (rest.length > 0) {
    const next = parts.filter((p) => rest.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    if (!next) return name;
    out.push(next);
    rest = rest.slice(next.length);
  }
  return out.join(' ');
}

/** The colour for a normalised phrase, or undefined. */
export function lookupColor(phrase: string): Rgb | undefined {
  const found = TABLE.get(phrase);
  return found ? [found[0], found[1], found[2]] : undefined;
}

/** Every phrase the table knows (for the tokenizer's longest-match lexicon). */
export function colorPhrases(): string[] {
  return [...TABLE.keys()];
}

export type ColorModifier = 'light' | 'dark' | 'pastel' | 'bright' | 'deep' | 'pale' | 'muted' | 'neon';

export const COLOR_MODIFIERS: Record<string, ColorModifier> = {
  light: 'light', lighter: 'light', soft: 'light', dark: 'dark', darker: 'dark', pastel: 'pastel',
  bright: 'bright', vivid: 'bright', vibrant: 'bright', bold: 'bright', deep: 'deep', rich: 'deep',
  pale: 'pale', muted: 'muted', dusty: 'muted', washed: 'muted', faded: 'muted', neon: 'neon', fluorescent: 'neon',
};

// ---- sRGB <-> CIELAB for the modifiers (D65) ----

function toLinear(c: number): number {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

function fromLinear(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.max(0, v) ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, c)) * 255);
}

const labF = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
const labInv = (t: number): number => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));

export function rgbToLab([r, g, b]: Rgb): [number, number, number] {
  const lr = toLinear(r);
  const lg = toLinear(g);
  const lb = toLinear(b);
  const x = labF((0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047);
  const y = labF(0.2126729 * lr + 0.7151522 * lg + 0.072175 * lb);
  const z = labF((0.0193339 * lr + 0.119192 * lg + 0.9503041 * lb) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

export function labToRgb([l, a, bb]: [number, number, number]): Rgb {
  const fy = (l + 16) / 116;
  const x = labInv(fy + a / 500) * 0.95047;
  const y = labInv(fy);
  const z = labInv(fy - bb / 200) * 1.08883;
  return [
    fromLinear(3.2404542 * x - 1.5371385 * y - 0.4985314 * z),
    fromLinear(-0.969266 * x + 1.8760108 * y + 0.041556 * z),
    fromLinear(0.0556434 * x - 0.2040259 * y + 1.0572252 * z),
  ];
}

/**
 * Applies a modifier in CIELAB: light/pale/pastel raise L* (pastel and pale also lower chroma),
 * dark/deep lower L* (deep keeps chroma), bright/neon raise chroma, muted lowers it. Greys stay grey.
 */
export function modifyColor(rgb: Rgb, modifier: ColorModifier): Rgb {
  const [l, a, b] = rgbToLab(rgb);
  const c = Math.hypot(a, b);
  const scaleChroma = (k: number): [number, number] => (c === 0 ? [0, 0] : [a * k, b * k]);
  let out: [number, number, number];
  switch (modifier) {
    case 'light':
      out = [l + (100 - l) * 0.45, ...scaleChroma(0.75)];
      break;
    case 'pale':
      out = [l + (100 - l) * 0.6, ...scaleChroma(0.5)];
      break;
    case 'pastel':
      out = [Math.max(l, 80) + (100 - Math.max(l, 80)) * 0.2, ...scaleChroma(Math.min(1, 28 / Math.max(c, 1)))];
      break;
    case 'dark':
      out = [l * 0.6, ...scaleChroma(0.85)];
      break;
    case 'deep':
      out = [l * 0.7, ...scaleChroma(1.05)];
      break;
    case 'bright':
      out = [Math.min(95, l * 1.08 + 3), ...scaleChroma(1.3)];
      break;
    case 'neon':
      out = [Math.max(l, 70), ...scaleChroma(Math.max(1.5, 90 / Math.max(c, 1)))];
      break;
    case 'muted':
      out = [l, ...scaleChroma(0.55)];
      break;
  }
  return labToRgb(out);
}
