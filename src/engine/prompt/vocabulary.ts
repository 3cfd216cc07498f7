/**
 * What the prompt parser understands, as data: garment nouns with the shape each implies, and the
 * words for patterns, materials, sleeves, lengths, fits, cuts and necklines. Phrases are
 * normalised (lower case, hyphens and slashes as spaces, single spaces): "T-Shirt" reaches
 * "t shirt". The parser matches the longest phrase first, so "polo neck" beats "polo" and
 * "cap sleeves" beats "cap".
 */
import type { Category } from '../types.ts';

export type Form = 'top' | 'trousers' | 'skirt' | 'dress' | 'jumpsuit' | 'overalls';
export type Sleeve = 'none' | 'cap' | 'short' | 'elbow' | 'three_quarter' | 'long';
/**
 * Where the hem sits. Tops and dresses: cropped (mid-torso) < waist < hip < tunic (upper thigh) <
 * mini (mid-thigh) < above_knee < knee < midi (mid-calf) < maxi (ankle). Trouser legs: shorts
 * (mid-thigh) < bermuda (just above the knee) < capri (mid-calf) < full (ankle).
 */
export type Length =
  | 'cropped' | 'waist' | 'hip' | 'tunic' | 'mini' | 'above_knee' | 'knee' | 'midi' | 'maxi'
  | 'shorts' | 'bermuda' | 'capri' | 'full';
export type Fit = 'tight' | 'regular' | 'loose';
/** Width profile below the waist: skirts and dresses pencil..flared, trouser legs skinny..flared. */
export type Cut = 'skinny' | 'pencil' | 'straight' | 'a_line' | 'flared' | 'wide';
export type Neckline = 'crew' | 'v' | 'scoop' | 'high' | 'collar' | 'straps' | 'strapless' | 'off_shoulder' | 'halter';
export type Pattern =
  | 'solid' | 'horizontal_stripes' | 'vertical_stripes' | 'pinstripes' | 'diagonal_stripes' | 'check' | 'gingham'
  | 'plaid' | 'tartan' | 'houndstooth' | 'polka_dots' | 'floral' | 'camouflage' | 'leopard' | 'zebra' | 'snake'
  | 'paisley' | 'tie_dye' | 'argyle' | 'herringbone' | 'chevron' | 'ombre' | 'color_block';
export type Material =
  | 'cotton' | 'denim' | 'knit' | 'leather' | 'satin' | 'silk' | 'velvet' | 'sequins' | 'lace' | 'linen' | 'wool'
  | 'cashmere' | 'corduroy' | 'suede' | 'chiffon' | 'tweed' | 'fleece' | 'mesh' | 'jersey' | 'crochet' | 'metallic'
  | 'quilted';

/** A garment type's own shape before any adjective changes it. */
export interface GarmentShape {
  category: Category;
  form: Form;
  /** null for forms without sleeves (trousers, skirts). */
  sleeve: Sleeve | null;
  length: Length;
  fit: Fit;
  cut: Cut;
  neckline: Neckline | null;
  pleated: boolean;
  /** Material the type implies when none is said (jeans are denim). */
  material: Material | null;
  /** A style the type implies (a "sundress" is a dress in the sundress style). */
  style: string | null;
}

const top = (sleeve: Sleeve, length: Length, fit: Fit, neckline: Neckline, extra: Partial<GarmentShape> = {}): GarmentShape => ({
  category: 'upper_body', form: 'top', sleeve, length, fit, cut: 'straight', neckline, pleated: false, material: null, style: null, ...extra,
});
const trousers = (length: Length, fit: Fit, cut: Cut, extra: Partial<GarmentShape> = {}): GarmentShape => ({
  category: 'lower_body', form: 'trousers', sleeve: null, length, fit, cut, neckline: null, pleated: false, material: null, style: null, ...extra,
});
const skirt = (length: Length, cut: Cut, extra: Partial<GarmentShape> = {}): GarmentShape => ({
  category: 'lower_body', form: 'skirt', sleeve: null, length, fit: 'regular', cut, neckline: null, pleated: false, material: null, style: null, ...extra,
});
const dress = (sleeve: Sleeve, length: Length, fit: Fit, cut: Cut, neckline: Neckline, extra: Partial<GarmentShape> = {}): GarmentShape => ({
  category: 'dresses', form: 'dress', sleeve, length, fit, cut, neckline, pleated: false, material: null, style: null, ...extra,
});
const onePiece = (form: 'jumpsuit' | 'overalls', sleeve: Sleeve, length: Length, fit: Fit, neckline: Neckline, extra: Partial<GarmentShape> = {}): GarmentShape => ({
  category: 'dresses', form, sleeve, length, fit, cut: 'straight', neckline, pleated: false, material: null, style: null, ...extra,
});

/** Canonical garment types and their shapes. */
export const GARMENT_TYPES = {
  't-shirt': top('short', 'hip', 'regular', 'crew'),
  'long-sleeve top': top('long', 'hip', 'regular', 'crew'),
  top: top('short', 'hip', 'regular', 'scoop'),
  shirt: top('long', 'hip', 'regular', 'collar'),
  blouse: top('long', 'hip', 'loose', 'v'),
  'tank top': top('none', 'hip', 'regular', 'scoop'),
  'crop top': top('short', 'cropped', 'tight', 'scoop'),
  camisole: top('none', 'hip', 'regular', 'straps'),
  'tube top': top('none', 'cropped', 'tight', 'strapless'),
  'halter top': top('none', 'waist', 'regular', 'halter'),
  corset: top('none', 'waist', 'tight', 'strapless'),
  'sports bra': top('none', 'cropped', 'tight', 'scoop'),
  bodysuit: top('long', 'hip', 'tight', 'scoop'),
  tunic: top('three_quarter', 'tunic', 'loose', 'v'),
  polo: top('short', 'hip', 'regular', 'collar'),
  henley: top('long', 'hip', 'regular', 'crew'),
  turtleneck: top('long', 'hip', 'tight', 'high', { material: 'knit' }),
  sweater: top('long', 'hip', 'loose', 'crew', { material: 'knit' }),
  sweatshirt: top('long', 'hip', 'loose', 'crew', { material: 'fleece' }),
  hoodie: top('long', 'hip', 'loose', 'crew', { material: 'fleece' }),
  cardigan: top('long', 'hip', 'regular', 'v', { material: 'knit' }),
  jacket: top('long', 'hip', 'regular', 'collar'),
  'puffer jacket': top('long', 'hip', 'loose', 'high', { material: 'quilted' }),
  blazer: top('long', 'hip', 'regular', 'v'),
  coat: top('long', 'knee', 'loose', 'collar'),
  vest: top('none', 'hip', 'regular', 'v'),
  kimono: top('three_quarter', 'tunic', 'loose', 'v'),
  trousers: trousers('full', 'regular', 'straight'),
  jeans: trousers('full', 'regular', 'straight', { material: 'denim' }),
  joggers: trousers('full', 'loose', 'straight', { material: 'fleece' }),
  leggings: trousers('full', 'tight', 'skinny', { material: 'jersey' }),
  shorts: trousers('shorts', 'regular', 'straight'),
  culottes: trousers('capri', 'loose', 'wide'),
  skirt: skirt('knee', 'a_line'),
  dress: dress('short', 'knee', 'regular', 'a_line', 'scoop'),
  jumpsuit: onePiece('jumpsuit', 'none', 'full', 'regular', 'v'),
  romper: onePiece('jumpsuit', 'short', 'shorts', 'regular', 'v'),
  overalls: onePiece('overalls', 'none', 'full', 'loose', 'straps', { material: 'denim' }),
} satisfies Record<string, GarmentShape>;

export type GarmentType = keyof typeof GARMENT_TYPES;

/**
 * A garment noun: its canonical type and what the noun itself adds ("mini skirt" is a skirt of
 * length mini; "slip dress" a dress in the slip style). `also` makes one noun two garments
 * ("suit": a blazer and trousers).
 */
export interface GarmentNoun {
  type: GarmentType;
  adds?: Partial<GarmentShape>;
  also?: GarmentNoun;
}

/** Dress and skirt styles: what each implies unless the prompt says otherwise. */
export const STYLES: Record<string, Partial<GarmentShape>> = {
  slip: { sleeve: 'none', length: 'midi', fit: 'regular', cut: 'straight', neckline: 'straps', material: 'satin' },
  shift: { sleeve: 'none', length: 'above_knee', fit: 'loose', cut: 'straight', neckline: 'crew' },
  wrap: { sleeve: 'three_quarter', length: 'knee', fit: 'regular', cut: 'a_line', neckline: 'v' },
  bodycon: { sleeve: 'none', length: 'mini', fit: 'tight', cut: 'pencil', neckline: 'scoop' },
  sheath: { sleeve: 'none', length: 'knee', fit: 'tight', cut: 'pencil', neckline: 'scoop' },
  'a-line': { cut: 'a_line' },
  'fit and flare': { fit: 'tight', cut: 'flared' },
  skater: { length: 'mini', cut: 'flared' },
  babydoll: { length: 'mini', cut: 'flared', fit: 'loose' },
  empire: { cut: 'a_line', fit: 'loose' },
  sundress: { sleeve: 'none', length: 'knee', cut: 'a_line', neckline: 'straps', material: 'cotton' },
  shirt: { sleeve: 'long', length: 'knee', cut: 'straight', neckline: 'collar' },
  't-shirt': { sleeve: 'short', length: 'knee', fit: 'loose', cut: 'straight', neckline: 'crew', material: 'jersey' },
  sweater: { sleeve: 'long', length: 'knee', fit: 'regular', cut: 'straight', neckline: 'crew', material: 'knit' },
  gown: { sleeve: 'none', length: 'maxi', cut: 'flared', neckline: 'strapless' },
  cocktail: { sleeve: 'none', length: 'above_knee', fit: 'tight', cut: 'a_line' },
  pencil: { cut: 'pencil', fit: 'tight' },
  tennis: { length: 'mini', cut: 'flared', pleated: true },
  peasant: { sleeve: 'three_quarter', fit: 'loose', neckline: 'scoop' },
};

const n = (type: GarmentType, adds?: Partial<GarmentShape>, also?: GarmentNoun): GarmentNoun => ({ type, adds, also });
const style = (type: GarmentType, name: string): GarmentNoun => n(type, { ...STYLES[name], style: name });

/** Garment nouns and compound nouns. Plural forms are added automatically where they end in s. */
export const GARMENT_NOUNS: Record<string, GarmentNoun> = {
  't shirt': n('t-shirt'), tshirt: n('t-shirt'), tee: n('t-shirt'), 'tee shirt': n('t-shirt'), 'graphic tee': n('t-shirt'),
  'long sleeve top': n('long-sleeve top'), 'long sleeved top': n('long-sleeve top'), longsleeve: n('long-sleeve top'),
  'long sleeve t shirt': n('t-shirt', { sleeve: 'long' }), 'long sleeve tee': n('t-shirt', { sleeve: 'long' }),
  top: n('top'), shirt: n('shirt'), 'button up': n('shirt'), 'button down': n('shirt'), 'button up shirt': n('shirt'),
  'button down shirt': n('shirt'), 'dress shirt': n('shirt', { fit: 'tight' }), 'oxford shirt': n('shirt'),
  'denim shirt': n('shirt', { material: 'denim' }),
  blouse: n('blouse'), 'peasant blouse': n('blouse', { ...STYLES.peasant, style: 'peasant' }),
  'tank top': n('tank top'), tank: n('tank top'), singlet: n('tank top'), 'vest top': n('tank top'), 'muscle tee': n('tank top', { fit: 'loose' }),
  'crop top': n('crop top'), croptop: n('crop top'), 'cropped top': n('crop top'), 'bralette': n('sports bra'),
  camisole: n('camisole'), cami: n('camisole'), 'cami top': n('camisole'), 'strappy top': n('camisole'),
  'tube top': n('tube top'), bandeau: n('tube top'), 'bandeau top': n('tube top'),
  'halter top': n('halter top'), 'halterneck top': n('halter top'), corset: n('corset'), bustier: n('corset'), 'corset top': n('corset'),
  'sports bra': n('sports bra'), bodysuit: n('bodysuit'), leotard: n('bodysuit'), tunic: n('tunic'),
  polo: n('polo'), 'polo shirt': n('polo'), 'rugby shirt': n('polo', { sleeve: 'long' }), henley: n('henley'),
  turtleneck: n('turtleneck'), 'turtle neck': n('turtleneck'), 'polo neck': n('turtleneck'), 'roll neck': n('turtleneck'),
  rollneck: n('turtleneck'), 'roll neck jumper': n('turtleneck'), 'roll neck sweater': n('turtleneck'), 'polo neck jumper': n('turtleneck'),
  'polo neck sweater': n('turtleneck'), 'turtleneck jumper': n('turtleneck'), 'turtle neck sweater': n('turtleneck'), 'mock neck': n('turtleneck'), 'turtleneck sweater': n('turtleneck'),
  sweater: n('sweater'), jumper: n('sweater'), pullover: n('sweater'), 'knit sweater': n('sweater'),
  'cable knit sweater': n('sweater'), 'crewneck sweater': n('sweater'), 'v neck sweater': n('sweater', { neckline: 'v' }),
  sweatshirt: n('sweatshirt'), 'crewneck sweatshirt': n('sweatshirt'), 'crew neck sweatshirt': n('sweatshirt'),
  hoodie: n('hoodie'), hoody: n('hoodie'), 'hooded sweatshirt': n('hoodie'), 'zip hoodie': n('hoodie'),
  cardigan: n('cardigan'), cardi: n('cardigan'),
  jacket: n('jacket'), 'bomber jacket': n('jacket', { fit: 'loose', neckline: 'high' }), bomber: n('jacket', { fit: 'loose', neckline: 'high' }),
  'denim jacket': n('jacket', { material: 'denim' }), 'jean jacket': n('jacket', { material: 'denim' }),
  'leather jacket': n('jacket', { material: 'leather', fit: 'tight', length: 'waist' }),
  'biker jacket': n('jacket', { material: 'leather', fit: 'tight', length: 'waist' }),
  'moto jacket': n('jacket', { material: 'leather', fit: 'tight', length: 'waist' }),
  windbreaker: n('jacket', { fit: 'loose' }), anorak: n('jacket', { fit: 'loose', length: 'tunic' }),
  'puffer jacket': n('puffer jacket'), puffer: n('puffer jacket'), 'down jacket': n('puffer jacket'), 'quilted jacket': n('puffer jacket'),
  'suit jacket': n('blazer'), blazer: n('blazer'), 'sport coat': n('blazer'),
  coat: n('coat'), overcoat: n('coat'), 'trench coat': n('coat', { cut: 'a_line' }), trench: n('coat', { cut: 'a_line' }),
  'pea coat': n('coat', { length: 'tunic' }), peacoat: n('coat', { length: 'tunic' }), parka: n('coat', { length: 'tunic', neckline: 'high' }),
  'wool coat': n('coat', { material: 'wool' }), 'fur coat': n('coat', { material: 'fleece' }),
  vest: n('vest'), waistcoat: n('vest', { fit: 'tight' }), gilet: n('vest', { neckline: 'high', material: 'quilted' }),
  'puffer vest': n('vest', { neckline: 'high', material: 'quilted' }),
  kimono: n('kimono'),
  trousers: n('trousers'), trouser: n('trousers'), pants: n('trousers'), slacks: n('trousers'), chinos: n('trousers'),
  'dress pants': n('trousers'), 'suit trousers': n('trousers'), 'cargo pants': n('trousers', { fit: 'loose' }),
  cargos: n('trousers', { fit: 'loose' }), 'cargo trousers': n('trousers', { fit: 'loose' }),
  'wide leg trousers': n('trousers', { cut: 'wide', fit: 'loose' }), 'wide leg pants': n('trousers', { cut: 'wide', fit: 'loose' }),
  'palazzo pants': n('trousers', { cut: 'wide', fit: 'loose' }), palazzos: n('trousers', { cut: 'wide', fit: 'loose' }),
  flares: n('trousers', { cut: 'flared' }), 'bell bottoms': n('trousers', { cut: 'flared' }), 'flared trousers': n('trousers', { cut: 'flared' }),
  'capri pants': n('trousers', { length: 'capri' }), capris: n('trousers', { length: 'capri' }),
  jeans: n('jeans'), denims: n('jeans'), 'skinny jeans': n('jeans', { fit: 'tight', cut: 'skinny' }),
  'mom jeans': n('jeans', { fit: 'loose' }), 'boyfriend jeans': n('jeans', { fit: 'loose' }), 'bootcut jeans': n('jeans', { cut: 'flared' }),
  'flared jeans': n('jeans', { cut: 'flared' }), 'wide leg jeans': n('jeans', { cut: 'wide', fit: 'loose' }),
  joggers: n('joggers'), sweatpants: n('joggers'), 'track pants': n('joggers'), trackpants: n('joggers'), 'jogging bottoms': n('joggers'),
  leggings: n('leggings'), 'yoga pants': n('leggings'), tights: n('leggings'), jeggings: n('leggings', { material: 'denim' }),
  shorts: n('shorts'), 'bermuda shorts': n('shorts', { length: 'bermuda' }), bermudas: n('shorts', { length: 'bermuda' }),
  'hot pants': n('shorts', { fit: 'tight' }), 'denim shorts': n('shorts', { material: 'denim' }), 'jean shorts': n('shorts', { material: 'denim' }),
  'cycling shorts': n('shorts', { fit: 'tight', length: 'bermuda' }), 'bike shorts': n('shorts', { fit: 'tight', length: 'bermuda' }),
  culottes: n('culottes'),
  skirt: n('skirt'), miniskirt: n('skirt', { length: 'mini' }), 'mini skirt': n('skirt', { length: 'mini' }),
  'midi skirt': n('skirt', { length: 'midi' }), 'maxi skirt': n('skirt', { length: 'maxi' }),
  'pencil skirt': style('skirt', 'pencil'), 'a line skirt': n('skirt', { cut: 'a_line', style: 'a-line' }),
  'pleated skirt': n('skirt', { pleated: true, length: 'midi' }), 'tennis skirt': style('skirt', 'tennis'),
  'skater skirt': style('skirt', 'skater'), 'circle skirt': n('skirt', { cut: 'flared' }), 'tulle skirt': n('skirt', { cut: 'flared', length: 'midi' }),
  'denim skirt': n('skirt', { material: 'denim', cut: 'straight', length: 'mini' }), kilt: n('skirt', { pleated: true, length: 'knee' }),
  dress: n('dress'), frock: n('dress'), sundress: style('dress', 'sundress'), 'sun dress': style('dress', 'sundress'),
  'slip dress': style('dress', 'slip'), 'shift dress': style('dress', 'shift'), 'wrap dress': style('dress', 'wrap'),
  'bodycon dress': style('dress', 'bodycon'), bodycon: style('dress', 'bodycon'), 'sheath dress': style('dress', 'sheath'),
  'a line dress': n('dress', { cut: 'a_line', style: 'a-line' }), 'skater dress': style('dress', 'skater'),
  'babydoll dress': style('dress', 'babydoll'), 'fit and flare dress': style('dress', 'fit and flare'),
  'empire dress': style('dress', 'empire'), 'shirt dress': style('dress', 'shirt'), shirtdress: style('dress', 'shirt'),
  'shirtwaist dress': style('dress', 'shirt'), 't shirt dress': style('dress', 't-shirt'), 'tee dress': style('dress', 't-shirt'),
  'sweater dress': style('dress', 'sweater'), 'jumper dress': style('dress', 'sweater'), 'knit dress': style('dress', 'sweater'),
  gown: style('dress', 'gown'), 'evening gown': style('dress', 'gown'), 'ball gown': style('dress', 'gown'),
  'evening dress': style('dress', 'gown'), 'prom dress': style('dress', 'gown'), 'cocktail dress': style('dress', 'cocktail'),
  'party dress': style('dress', 'cocktail'), 'maxi dress': n('dress', { length: 'maxi' }), 'midi dress': n('dress', { length: 'midi' }),
  'mini dress': n('dress', { length: 'mini' }), minidress: n('dress', { length: 'mini' }), 'pinafore dress': n('dress', { neckline: 'straps', sleeve: 'none' }),
  'peasant dress': n('dress', { ...STYLES.peasant, style: 'peasant' }), kaftan: n('dress', { sleeve: 'elbow', fit: 'loose', cut: 'straight', length: 'maxi' }),
  caftan: n('dress', { sleeve: 'elbow', fit: 'loose', cut: 'straight', length: 'maxi' }),
  'wedding dress': n('dress', { length: 'maxi', cut: 'flared', sleeve: 'none', neckline: 'strapless' }),
  jumpsuit: n('jumpsuit'), catsuit: n('jumpsuit', { fit: 'tight', sleeve: 'long' }), boilersuit: n('jumpsuit', { sleeve: 'long', fit: 'loose', neckline: 'collar' }),
  'boiler suit': n('jumpsuit', { sleeve: 'long', fit: 'loose', neckline: 'collar' }),
  romper: n('romper'), playsuit: n('romper'), onesie: n('jumpsuit', { sleeve: 'long', fit: 'loose', material: 'fleece' }),
  overalls: n('overalls'), dungarees: n('overalls'), 'bib overalls': n('overalls'), 'overall shorts': n('overalls', { length: 'shorts' }),
  'dungaree shorts': n('overalls', { length: 'shorts' }), shortalls: n('overalls', { length: 'shorts' }),
  suit: n('blazer', {}, n('trousers')), pantsuit: n('blazer', {}, n('trousers')), 'pant suit': n('blazer', {}, n('trousers')),
  'trouser suit': n('blazer', {}, n('trousers')), 'skirt suit': n('blazer', {}, n('skirt', { cut: 'pencil', fit: 'tight' })),
  tuxedo: n('blazer', {}, n('trousers')), tracksuit: n('jacket', { fit: 'loose', neckline: 'high', material: 'jersey' }, n('joggers')),
  'track suit': n('jacket', { fit: 'loose', neckline: 'high', material: 'jersey' }, n('joggers')),
  'twin set': n('cardigan', {}, n('skirt')), 'co ord': n('top', {}, n('trousers')), 'two piece': n('top', {}, n('skirt')),
};

/**
 * Nouns for things the engine cannot dress (shoes, hats, bags, the background, hair...). They are
 * recognised so that "red shoes and a blue dress" gives "red" to the shoes (and drops both)
 * instead of turning the dress red, and so that "make the background blue" is not a colour edit.
 */
export const UNSUPPORTED_NOUNS: readonly string[] = [
  'background', 'backdrop', 'wall', 'sky', 'floor', 'room', 'scene', 'setting', 'lighting',
  'hair', 'hairstyle', 'haircut', 'hair colour', 'beard', 'eyes', 'eye', 'lips', 'lipstick', 'makeup', 'make up', 'nails',
  'nail polish', 'skin', 'tan line', 'face', 'smile', 'tattoo', 'pose',
  'shoe', 'shoes', 'boot', 'boots', 'sneaker', 'sneakers', 'trainer', 'trainers', 'heel', 'heels', 'high heels', 'sandal', 'sandals',
  'loafer', 'loafers', 'slipper', 'slippers', 'flip flops', 'socks', 'sock', 'stockings',
  'hat', 'beanie', 'baseball cap', 'cap', 'beret', 'helmet', 'headband', 'scarf', 'scarves', 'shawl', 'belt', 'tie', 'bow tie',
  'bag', 'handbag', 'purse', 'backpack', 'tote', 'clutch', 'wallet', 'umbrella',
  'glasses', 'sunglasses', 'shades', 'watch', 'jewelry', 'jewellery', 'necklace', 'earrings', 'earring', 'bracelet', 'ring',
  'gloves', 'glove', 'mittens', 'mask', 'bikini', 'swimsuit', 'swimwear', 'bathing suit', 'lingerie', 'underwear', 'bra',
  'pyjamas', 'pajamas', 'costume', 'uniform', 'armor', 'armour', 'wings', 'cape',
];

export const PATTERN_WORDS: Record<string, Pattern | 'stripes'> = {
  solid: 'solid', plain: 'solid', 'solid color': 'solid', 'solid colour': 'solid', 'one color': 'solid', 'no pattern': 'solid',
  stripe: 'stripes', stripes: 'stripes', striped: 'stripes', stripy: 'stripes', stripey: 'stripes', 'stripe print': 'stripes',
  'horizontal stripe': 'horizontal_stripes', 'horizontal stripes': 'horizontal_stripes', 'horizontally striped': 'horizontal_stripes',
  'horizontal striped': 'horizontal_stripes', breton: 'horizontal_stripes', 'breton stripe': 'horizontal_stripes', 'rugby stripe': 'horizontal_stripes',
  'vertical stripe': 'vertical_stripes', 'vertical stripes': 'vertical_stripes', 'vertically striped': 'vertical_stripes',
  'vertical striped': 'vertical_stripes', 'candy stripe': 'vertical_stripes', 'candy striped': 'vertical_stripes',
  pinstripe: 'pinstripes', pinstripes: 'pinstripes', pinstriped: 'pinstripes', 'pin stripe': 'pinstripes', 'pin stripes': 'pinstripes',
  'pin striped': 'pinstripes', 'pencil stripe': 'pinstripes', 'pencil stripes': 'pinstripes',
  'diagonal stripe': 'diagonal_stripes', 'diagonal stripes': 'diagonal_stripes', 'diagonally striped': 'diagonal_stripes', 'diagonal striped': 'diagonal_stripes',
  check: 'check', checks: 'check', checked: 'check', checkered: 'check', chequered: 'check', checkerboard: 'check', checker: 'check',
  windowpane: 'check', 'window pane': 'check', 'buffalo check': 'plaid', 'buffalo plaid': 'plaid', gingham: 'gingham', vichy: 'gingham',
  plaid: 'plaid', flannel: 'plaid', tartan: 'tartan', houndstooth: 'houndstooth', 'hounds tooth': 'houndstooth', dogtooth: 'houndstooth',
  'polka dot': 'polka_dots', 'polka dots': 'polka_dots', 'polka dotted': 'polka_dots', polkadot: 'polka_dots', polkadots: 'polka_dots',
  dot: 'polka_dots', dots: 'polka_dots', dotted: 'polka_dots', spot: 'polka_dots', spots: 'polka_dots', spotted: 'polka_dots', spotty: 'polka_dots',
  floral: 'floral', florals: 'floral', flower: 'floral', flowers: 'floral', flowery: 'floral', flowered: 'floral', 'flower print': 'floral',
  'floral print': 'floral', 'botanical print': 'floral', roses: 'floral', ditsy: 'floral', 'ditsy floral': 'floral',
  camo: 'camouflage', camouflage: 'camouflage', 'camo print': 'camouflage',
  leopard: 'leopard', 'leopard print': 'leopard', cheetah: 'leopard', 'cheetah print': 'leopard', 'animal print': 'leopard', jaguar: 'leopard',
  zebra: 'zebra', 'zebra print': 'zebra', 'zebra stripes': 'zebra', tiger: 'zebra', 'tiger stripes': 'zebra',
  snake: 'snake', snakeskin: 'snake', 'snake skin': 'snake', 'snake print': 'snake', python: 'snake', crocodile: 'snake', croc: 'snake',
  paisley: 'paisley', bandana: 'paisley', 'bandana print': 'paisley', 'tie dye': 'tie_dye', tiedye: 'tie_dye', 'tie dyed': 'tie_dye',
  psychedelic: 'tie_dye', argyle: 'argyle', diamond: 'argyle', diamonds: 'argyle', herringbone: 'herringbone',
  chevron: 'chevron', chevrons: 'chevron', zigzag: 'chevron', 'zig zag': 'chevron', ombre: 'ombre', ombré: 'ombre', gradient: 'ombre',
  'dip dye': 'ombre', 'dip dyed': 'ombre', 'color block': 'color_block', 'colour block': 'color_block', colorblock: 'color_block',
  'color blocked': 'color_block', 'colour blocked': 'color_block', 'two tone': 'color_block', 'two toned': 'color_block',
};

export const MATERIAL_WORDS: Record<string, Material> = {
  cotton: 'cotton', denim: 'denim', jean: 'denim', chambray: 'denim', 'stone wash': 'denim', stonewash: 'denim', stonewashed: 'denim',
  knit: 'knit', knitted: 'knit', 'cable knit': 'knit', 'chunky knit': 'knit', ribbed: 'knit', 'rib knit': 'knit', 'waffle knit': 'knit',
  leather: 'leather', 'faux leather': 'leather', 'vegan leather': 'leather', pleather: 'leather', vinyl: 'leather', latex: 'leather', pvc: 'leather',
  satin: 'satin', satiny: 'satin', silk: 'silk', silky: 'silk', silken: 'silk', velvet: 'velvet', velour: 'velvet', 'crushed velvet': 'velvet',
  velvety: 'velvet', sequin: 'sequins', sequins: 'sequins', sequined: 'sequins', sequinned: 'sequins', sparkly: 'sequins', glitter: 'sequins',
  glittery: 'sequins', sparkling: 'sequins', beaded: 'sequins', lace: 'lace', lacy: 'lace', 'lace trim': 'lace', linen: 'linen',
  wool: 'wool', woolen: 'wool', woollen: 'wool', merino: 'wool', cashmere: 'cashmere', mohair: 'cashmere', angora: 'cashmere',
  corduroy: 'corduroy', cord: 'corduroy', cords: 'corduroy', suede: 'suede', 'faux suede': 'suede', chiffon: 'chiffon', sheer: 'chiffon',
  tulle: 'chiffon', organza: 'chiffon', georgette: 'chiffon', tweed: 'tweed', boucle: 'tweed', fleece: 'fleece', sherpa: 'fleece', fluffy: 'fleece',
  fuzzy: 'fleece', 'faux fur': 'fleece', terry: 'fleece', mesh: 'mesh', 'fishnet': 'mesh', 'see through': 'mesh', jersey: 'jersey',
  crochet: 'crochet', crocheted: 'crochet', metallic: 'metallic', shiny: 'metallic', foil: 'metallic', lame: 'metallic', lamé: 'metallic',
  holographic: 'metallic', quilted: 'quilted', padded: 'quilted', puffy: 'quilted', nylon: 'quilted', polyester: 'jersey', spandex: 'jersey', lycra: 'jersey',
};

export const SLEEVE_WORDS: Record<string, Sleeve> = {
  sleeveless: 'none', 'no sleeves': 'none', 'no sleeve': 'none', 'without sleeves': 'none', strapless: 'none', 'spaghetti strap': 'none',
  'spaghetti straps': 'none', strappy: 'none', 'thin straps': 'none', 'tank style': 'none', 'one shoulder': 'none', 'off shoulder': 'none',
  'off the shoulder': 'none', halter: 'none', halterneck: 'none', 'halter neck': 'none',
  'cap sleeve': 'cap', 'cap sleeves': 'cap', 'cap sleeved': 'cap', 'flutter sleeve': 'cap', 'flutter sleeves': 'cap',
  'short sleeve': 'short', 'short sleeves': 'short', 'short sleeved': 'short', 'puff sleeve': 'short', 'puff sleeves': 'short',
  'puffed sleeves': 'short', 'puff sleeved': 'short',
  'elbow sleeve': 'elbow', 'elbow sleeves': 'elbow', 'elbow length sleeves': 'elbow', 'elbow length sleeve': 'elbow',
  'half sleeve': 'elbow', 'half sleeves': 'elbow', 'half sleeved': 'elbow',
  'three quarter sleeve': 'three_quarter', 'three quarter sleeves': 'three_quarter', 'three quarter length sleeves': 'three_quarter',
  'three quarter sleeved': 'three_quarter', '3 4 sleeve': 'three_quarter', '3 4 sleeves': 'three_quarter', 'bracelet sleeves': 'three_quarter',
  'long sleeve': 'long', 'long sleeves': 'long', 'long sleeved': 'long', 'full sleeve': 'long', 'full sleeves': 'long',
  'full sleeved': 'long', 'full length sleeves': 'long', 'bell sleeves': 'long', 'bell sleeve': 'long', 'bishop sleeves': 'long',
  'balloon sleeves': 'long', 'wrist length sleeves': 'long',
};

/** Length words; "long" and "short" are resolved per form (a long dress is maxi, a long top a tunic). */
export type LengthWord = Length | 'long' | 'short' | 'ankle';
export const LENGTH_WORDS: Record<string, LengthWord> = {
  cropped: 'cropped', crop: 'cropped', 'belly top': 'cropped', 'waist length': 'waist', 'hip length': 'hip', 'regular length': 'hip',
  longline: 'tunic', 'long line': 'tunic', 'tunic length': 'tunic', 'thigh length': 'tunic', 
  mini: 'mini', 'micro': 'mini', 'short length': 'short', 'above the knee': 'above_knee', 'above knee': 'above_knee',
  'knee length': 'knee', 'knee high': 'knee', 'to the knee': 'knee', 'to the knees': 'knee', 'below the knee': 'knee',
  midi: 'midi', 'mid length': 'midi', 'mid calf': 'midi', 'calf length': 'midi', 'tea length': 'midi',
  maxi: 'maxi', 'floor length': 'maxi', 'full length': 'maxi', 'ankle length': 'ankle', 'to the ankle': 'ankle', 'to the ankles': 'ankle',
  'to the floor': 'maxi', 'floor sweeping': 'maxi',
  capri: 'capri', 'three quarter length': 'capri', '7 8': 'capri', 'seven eighths': 'capri', bermuda: 'bermuda',
  long: 'long', longer: 'long', short: 'short', shorter: 'short',
};

export const FIT_WORDS: Record<string, Fit> = {
  tight: 'tight', fitted: 'tight', 'form fitting': 'tight', 'figure hugging': 'tight', 'skin tight': 'tight', skintight: 'tight',
  slim: 'tight', 'slim fit': 'tight', snug: 'tight', 'body hugging': 'tight', stretchy: 'tight',
  regular: 'regular', 'regular fit': 'regular', classic: 'regular', 'standard fit': 'regular', tailored: 'regular',
  loose: 'loose', 'loose fitting': 'loose', 'loose fit': 'loose', oversized: 'loose', oversize: 'loose', baggy: 'loose', relaxed: 'loose',
  'relaxed fit': 'loose', flowy: 'loose', flowing: 'loose', boxy: 'loose', slouchy: 'loose', roomy: 'loose', billowy: 'loose', wide: 'loose',
};

export const CUT_WORDS: Record<string, Cut> = {
  skinny: 'skinny', 'skinny fit': 'skinny', 'straight leg': 'straight', straight: 'straight', 'straight cut': 'straight',
  'wide leg': 'wide', 'wide legged': 'wide', palazzo: 'wide', 'flared': 'flared', flare: 'flared', bootcut: 'flared', 'boot cut': 'flared',
  'bell bottom': 'flared', 'a line': 'a_line', aline: 'a_line', 'circle': 'flared', 'full skirt': 'flared', swing: 'flared',
  tiered: 'a_line', pencil: 'pencil', tulip: 'pencil', tapered: 'skinny',
};

/** Dress styles as adjectives ("a slip midi dress", "wrap style dress"). */
export const STYLE_WORDS: Record<string, string> = {
  slip: 'slip', shift: 'shift', wrap: 'wrap', 'wrap around': 'wrap', bodycon: 'bodycon', 'body con': 'bodycon', sheath: 'sheath',
  'fit and flare': 'fit and flare', skater: 'skater', babydoll: 'babydoll', 'baby doll': 'babydoll', empire: 'empire',
  'empire waist': 'empire', peasant: 'peasant', cocktail: 'cocktail', evening: 'gown', 'ball gown': 'gown',
};

export const NECKLINE_WORDS: Record<string, Neckline> = {
  'crew neck': 'crew', crewneck: 'crew', 'round neck': 'crew', 'v neck': 'v', vneck: 'v', 'v necked': 'v', 'deep v': 'v', plunging: 'v',
  'scoop neck': 'scoop', 'scoop necked': 'scoop', 'boat neck': 'scoop', 'square neck': 'scoop', 'sweetheart neckline': 'strapless',
  'high neck': 'high', 'mock neck': 'high', 'funnel neck': 'high', collared: 'collar', 'with a collar': 'collar', 'shirt collar': 'collar',
  strapless: 'strapless', 'off shoulder': 'off_shoulder', 'off the shoulder': 'off_shoulder', 'bardot': 'off_shoulder',
  halter: 'halter', halterneck: 'halter', 'halter neck': 'halter', 'spaghetti strap': 'straps', 'spaghetti straps': 'straps', strappy: 'straps',
  'thin straps': 'straps', cowl: 'scoop', 'cowl neck': 'scoop',
};

export const PLEAT_WORDS: readonly string[] = ['pleated', 'pleats', 'pleat', 'plisse', 'accordion pleated', 'box pleated', 'knife pleated'];

/** Denim washes: a colour and the denim material in one phrase. */
export const WASH_WORDS: Record<string, string> = {
  'light wash': 'a4bcd6', 'light washed': 'a4bcd6', 'pale wash': 'b8cce0', 'mid wash': '5f7fa8', 'medium wash': '5f7fa8',
  'dark wash': '26365a', 'dark washed': '26365a', 'raw denim': '1f2b47', 'acid wash': '9fb0c4', 'acid washed': '9fb0c4',
  'indigo wash': '2e3a6b', 'black wash': '2a2b2e', 'grey wash': '7b7f86', 'white wash': 'e6e8ea', 'bleached': 'c5d3e2',
};
