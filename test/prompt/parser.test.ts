import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/domain/errors.ts';
import { CSS_COLOR_NAMES, lookupColor } from '../../src/engine/prompt/colors.ts';
import { NOTHING_TO_APPLY, parsePrompt, type GarmentSpec } from '../../src/engine/prompt/parser.ts';
import { GARMENT_TYPES } from '../../src/engine/prompt/vocabulary.ts';

/**
 * One expected garment: `type` and the fields the phrasing is about. Colours and pattern are
 * always compared (absent = no colour said / solid), so a stray colour or pattern fails the row.
 */
interface Want {
  type: GarmentSpec['type'];
  mode?: GarmentSpec['mode'];
  ground?: string | null;
  accents?: string[];
  pattern?: GarmentSpec['pattern'];
  material?: GarmentSpec['material'];
  sleeve?: GarmentSpec['sleeve'];
  length?: GarmentSpec['length'];
  fit?: GarmentSpec['fit'];
  cut?: GarmentSpec['cut'];
  neckline?: GarmentSpec['neckline'];
  pleated?: boolean;
  style?: string | null;
  tone?: GarmentSpec['tone'];
  category?: GarmentSpec['category'];
}

function project(spec: GarmentSpec, want: Want): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: spec.type,
    mode: spec.mode,
    ground: spec.ground?.name ?? null,
    accents: spec.accents.map((a) => a.name),
    pattern: spec.pattern,
  };
  for (const key of ['material', 'sleeve', 'length', 'fit', 'cut', 'neckline', 'pleated', 'style', 'tone', 'category'] as const) {
    if (key in want) out[key] = spec[key];
  }
  return out;
}

function expected(want: Want): Record<string, unknown> {
  return { mode: 'new', ground: null, accents: [], pattern: 'solid', ...want };
}

const TABLE: Array<[string, Want[]]> = [
  // The contract's example and filler words
  ['Help the model change into a blue striped shirt.', [{ type: 'shirt', ground: 'blue', pattern: 'vertical_stripes', sleeve: 'long' }]],
  ['please put her in a red t-shirt', [{ type: 't-shirt', ground: 'red', sleeve: 'short', length: 'hip' }]],
  ['RED T-SHIRT', [{ type: 't-shirt', ground: 'red' }]],
  ['red tshirt!!!', [{ type: 't-shirt', ground: 'red' }]],
  ['a tee, red', [{ type: 't-shirt', ground: 'red' }]],
  ['T shirt (red)', [{ type: 't-shirt', ground: 'red' }]],
  ['Can you make him wear a red tee shirt?', [{ type: 't-shirt', ground: 'red' }]],
  ['I want to see the model in a red t-shirt please', [{ type: 't-shirt', ground: 'red' }]],
  ['t-shirt in red', [{ type: 't-shirt', ground: 'red' }]],
  ['the t-shirt should be red', [{ type: 't-shirt', ground: 'red' }]],
  ['Dress the model in a white blouse', [{ type: 'blouse', ground: 'white', fit: 'loose' }]],
  ['white blouse.', [{ type: 'blouse', ground: 'white' }]],
  ['a Blouse; White', [{ type: 'blouse', ground: 'white' }]],
  // Garment types and their shapes
  ['a tank top', [{ type: 'tank top', sleeve: 'none', length: 'hip' }]],
  ['black tank', [{ type: 'tank top', ground: 'black', sleeve: 'none' }]],
  ['a yellow crop top', [{ type: 'crop top', ground: 'yellow', length: 'cropped' }]],
  ['cropped top in lilac', [{ type: 'crop top', ground: 'lilac', length: 'cropped' }]],
  ['a silk camisole', [{ type: 'camisole', material: 'silk', sleeve: 'none', neckline: 'straps' }]],
  ['cream cami', [{ type: 'camisole', ground: 'cream' }]],
  ['a grey sweater', [{ type: 'sweater', ground: 'grey', sleeve: 'long', material: 'knit', fit: 'loose' }]],
  ['navy jumper', [{ type: 'sweater', ground: 'navy' }]],
  ['a burgundy pullover', [{ type: 'sweater', ground: 'burgundy' }]],
  ['a black hoodie', [{ type: 'hoodie', ground: 'black', sleeve: 'long', material: 'fleece' }]],
  ['grey sweatshirt', [{ type: 'sweatshirt', ground: 'grey' }]],
  ['a camel cardigan', [{ type: 'cardigan', ground: 'camel', neckline: 'v', material: 'knit' }]],
  ['a denim jacket', [{ type: 'jacket', material: 'denim' }]],
  ['black leather jacket', [{ type: 'jacket', ground: 'black', material: 'leather', length: 'waist', fit: 'tight' }]],
  ['olive green bomber jacket', [{ type: 'jacket', ground: 'olive green', fit: 'loose', neckline: 'high' }]],
  ['a navy blazer', [{ type: 'blazer', ground: 'navy', sleeve: 'long', neckline: 'v' }]],
  ['a camel coat', [{ type: 'coat', ground: 'camel', length: 'knee', fit: 'loose' }]],
  ['beige trench coat', [{ type: 'coat', ground: 'beige', cut: 'a_line', length: 'knee' }]],
  ['black puffer jacket', [{ type: 'puffer jacket', ground: 'black', material: 'quilted' }]],
  ['a grey vest', [{ type: 'vest', ground: 'grey', sleeve: 'none' }]],
  ['a waistcoat in charcoal', [{ type: 'vest', ground: 'charcoal', fit: 'tight' }]],
  ['a white polo', [{ type: 'polo', ground: 'white', sleeve: 'short', neckline: 'collar' }]],
  ['green polo shirt', [{ type: 'polo', ground: 'green' }]],
  ['a black turtleneck', [{ type: 'turtleneck', ground: 'black', neckline: 'high', sleeve: 'long' }]],
  ['cream polo neck', [{ type: 'turtleneck', ground: 'cream' }]],
  ['roll-neck jumper in camel', [{ type: 'turtleneck', ground: 'camel' }]],
  ['a henley', [{ type: 'henley', sleeve: 'long' }]],
  ['a red tube top', [{ type: 'tube top', ground: 'red', neckline: 'strapless', sleeve: 'none' }]],
  ['halter top in white', [{ type: 'halter top', ground: 'white', neckline: 'halter' }]],
  ['black corset', [{ type: 'corset', ground: 'black', length: 'waist', fit: 'tight' }]],
  ['a linen tunic', [{ type: 'tunic', material: 'linen', length: 'tunic' }]],
  ['a white shirt', [{ type: 'shirt', ground: 'white', neckline: 'collar' }]],
  ['button-down shirt in light blue', [{ type: 'shirt', ground: 'light blue' }]],
  ['grey trousers', [{ type: 'trousers', ground: 'grey', length: 'full', category: 'lower_body' }]],
  ['black pants', [{ type: 'trousers', ground: 'black' }]],
  ['khaki chinos', [{ type: 'trousers', ground: 'khaki' }]],
  ['blue jeans', [{ type: 'jeans', ground: 'blue', material: 'denim', length: 'full' }]],
  ['jeans', [{ type: 'jeans', material: 'denim' }]],
  ['skinny jeans in black', [{ type: 'jeans', ground: 'black', cut: 'skinny', fit: 'tight' }]],
  ['light wash mom jeans', [{ type: 'jeans', ground: 'light wash', fit: 'loose', material: 'denim' }]],
  ['grey joggers', [{ type: 'joggers', ground: 'grey', fit: 'loose' }]],
  ['black sweatpants', [{ type: 'joggers', ground: 'black' }]],
  ['black leggings', [{ type: 'leggings', ground: 'black', fit: 'tight', cut: 'skinny' }]],
  ['denim shorts', [{ type: 'shorts', material: 'denim', length: 'shorts' }]],
  ['khaki bermuda shorts', [{ type: 'shorts', ground: 'khaki', length: 'bermuda' }]],
  ['white culottes', [{ type: 'culottes', ground: 'white', cut: 'wide', length: 'capri' }]],
  ['wide leg trousers in cream', [{ type: 'trousers', ground: 'cream', cut: 'wide', fit: 'loose' }]],
  ['flared jeans', [{ type: 'jeans', cut: 'flared' }]],
  ['capri pants in navy', [{ type: 'trousers', ground: 'navy', length: 'capri' }]],
  ['cropped trousers', [{ type: 'trousers', length: 'capri' }]],
  ['a black skirt', [{ type: 'skirt', ground: 'black', length: 'knee', category: 'lower_body' }]],
  ['a red mini skirt', [{ type: 'skirt', ground: 'red', length: 'mini' }]],
  ['miniskirt, denim', [{ type: 'skirt', material: 'denim', length: 'mini' }]],
  ['a pleated midi skirt', [{ type: 'skirt', pleated: true, length: 'midi' }]],
  ['a maxi skirt in rust', [{ type: 'skirt', ground: 'rust', length: 'maxi' }]],
  ['a grey pencil skirt', [{ type: 'skirt', ground: 'grey', cut: 'pencil', fit: 'tight', style: 'pencil' }]],
  ['A-line skirt in mustard', [{ type: 'skirt', ground: 'mustard', cut: 'a_line' }]],
  ['white pleated tennis skirt', [{ type: 'skirt', ground: 'white', pleated: true, length: 'mini' }]],
  ['long flowy skirt', [{ type: 'skirt', length: 'maxi', fit: 'loose' }]],
  ['short skirt', [{ type: 'skirt', length: 'mini' }]],
  ['a red dress', [{ type: 'dress', ground: 'red', length: 'knee', category: 'dresses' }]],
  ['a black mini dress', [{ type: 'dress', ground: 'black', length: 'mini' }]],
  ['midi dress in sage green', [{ type: 'dress', ground: 'sage green', length: 'midi' }]],
  ['a maxi dress', [{ type: 'dress', length: 'maxi' }]],
  ['a long dress', [{ type: 'dress', length: 'maxi' }]],
  ['a short dress', [{ type: 'dress', length: 'mini' }]],
  ['a knee-length dress', [{ type: 'dress', length: 'knee' }]],
  ['an emerald satin slip dress', [{ type: 'dress', ground: 'emerald', material: 'satin', style: 'slip', neckline: 'straps', sleeve: 'none', length: 'midi' }]],
  ['a black shift dress', [{ type: 'dress', ground: 'black', style: 'shift', cut: 'straight', length: 'above_knee' }]],
  ['a floral wrap dress', [{ type: 'dress', pattern: 'floral', style: 'wrap', neckline: 'v', sleeve: 'three_quarter' }]],
  ['a bodycon dress in red', [{ type: 'dress', ground: 'red', style: 'bodycon', fit: 'tight', length: 'mini' }]],
  ['a-line dress, navy', [{ type: 'dress', ground: 'navy', cut: 'a_line' }]],
  ['a yellow sundress', [{ type: 'dress', ground: 'yellow', style: 'sundress', sleeve: 'none' }]],
  ['a white shirt dress', [{ type: 'dress', ground: 'white', style: 'shirt', sleeve: 'long', neckline: 'collar' }]],
  ['a grey sweater dress', [{ type: 'dress', ground: 'grey', style: 'sweater', material: 'knit' }]],
  ['a red evening gown', [{ type: 'dress', ground: 'red', style: 'gown', length: 'maxi' }]],
  ['a wrap midi dress', [{ type: 'dress', style: 'wrap', length: 'midi' }]],
  ['a black jumpsuit', [{ type: 'jumpsuit', ground: 'black', length: 'full', category: 'dresses' }]],
  ['a denim romper', [{ type: 'romper', material: 'denim', length: 'shorts' }]],
  ['blue playsuit', [{ type: 'romper', ground: 'blue' }]],
  ['denim overalls', [{ type: 'overalls', material: 'denim', sleeve: 'none', category: 'dresses' }]],
  ['dungarees in khaki', [{ type: 'overalls', ground: 'khaki' }]],
  // Colours: CSS names, fashion names, modifiers, compounds
  ['a teal top', [{ type: 'top', ground: 'teal' }]],
  ['a coral top', [{ type: 'top', ground: 'coral' }]],
  ['a lavender top', [{ type: 'top', ground: 'lavender' }]],
  ['an ivory top', [{ type: 'top', ground: 'ivory' }]],
  ['a maroon top', [{ type: 'top', ground: 'maroon' }]],
  ['a mint top', [{ type: 'top', ground: 'mint' }]],
  ['a blush top', [{ type: 'top', ground: 'blush' }]],
  ['a nude top', [{ type: 'top', ground: 'nude' }]],
  ['a taupe top', [{ type: 'top', ground: 'taupe' }]],
  ['a cobalt top', [{ type: 'top', ground: 'cobalt' }]],
  ['a cornflowerblue top', [{ type: 'top', ground: 'cornflowerblue' }]],
  ['a cornflower blue top', [{ type: 'top', ground: 'cornflower blue' }]],
  ['a rebeccapurple top', [{ type: 'top', ground: 'rebeccapurple' }]],
  ['a navy-blue top', [{ type: 'top', ground: 'navy blue' }]],
  ['a light pink top', [{ type: 'top', ground: 'light pink' }]],
  ['a dark green top', [{ type: 'top', ground: 'dark green' }]],
  ['a pastel yellow top', [{ type: 'top', ground: 'pastel yellow' }]],
  ['a pastel green top', [{ type: 'top', ground: 'pastel green' }]],
  ['a bright orange top', [{ type: 'top', ground: 'bright orange' }]],
  ['a deep purple top', [{ type: 'top', ground: 'deep purple' }]],
  ['a pale blue top', [{ type: 'top', ground: 'pale blue' }]],
  ['a dusty pink top', [{ type: 'top', ground: 'dusty pink' }]],
  ['an off-white top', [{ type: 'top', ground: 'off white' }]],
  ['a hot pink top', [{ type: 'top', ground: 'hot pink' }]],
  ['a dark top', [{ type: 'top', tone: 'dark' }]],
  ['a greyish top', [{ type: 'top', ground: 'greyish' }]],
  ['a gray top', [{ type: 'top', ground: 'gray' }]],
  // Patterns and two-colour phrases
  ['black and white stripes', [{ type: 'current', mode: 'recolor', ground: 'black', accents: ['white'], pattern: 'horizontal_stripes' }]],
  ['a black and white striped t-shirt', [{ type: 't-shirt', ground: 'black', accents: ['white'], pattern: 'horizontal_stripes' }]],
  ['a navy dress with white polka dots', [{ type: 'dress', ground: 'navy', accents: ['white'], pattern: 'polka_dots' }]],
  ['navy with white polka dots', [{ type: 'current', mode: 'recolor', ground: 'navy', accents: ['white'], pattern: 'polka_dots' }]],
  ['a shirt with red stripes', [{ type: 'shirt', accents: ['red'], pattern: 'vertical_stripes' }]],
  ['a white shirt with blue pinstripes', [{ type: 'shirt', ground: 'white', accents: ['blue'], pattern: 'pinstripes' }]],
  ['horizontal striped top in navy and white', [{ type: 'top', ground: 'navy', accents: ['white'], pattern: 'horizontal_stripes' }]],
  ['a vertical striped dress', [{ type: 'dress', pattern: 'vertical_stripes' }]],
  ['a breton top', [{ type: 'top', pattern: 'horizontal_stripes' }]],
  ['pin-striped trousers in charcoal', [{ type: 'trousers', ground: 'charcoal', pattern: 'pinstripes' }]],
  ['diagonal stripes shirt', [{ type: 'shirt', pattern: 'diagonal_stripes' }]],
  ['red/white striped top', [{ type: 'top', ground: 'red', accents: ['white'], pattern: 'horizontal_stripes' }]],
  ['a blue & white gingham dress', [{ type: 'dress', ground: 'blue', accents: ['white'], pattern: 'gingham' }]],
  ['red and black plaid shirt', [{ type: 'shirt', ground: 'red', accents: ['black'], pattern: 'plaid' }]],
  ['a flannel shirt', [{ type: 'shirt', pattern: 'plaid' }]],
  ['a checked blazer', [{ type: 'blazer', pattern: 'check' }]],
  ['chequered trousers', [{ type: 'trousers', pattern: 'check' }]],
  ['green tartan skirt', [{ type: 'skirt', ground: 'green', pattern: 'tartan' }]],
  ['a houndstooth coat', [{ type: 'coat', pattern: 'houndstooth' }]],
  ['a polka-dot blouse', [{ type: 'blouse', pattern: 'polka_dots' }]],
  ['a spotted dress, red with white spots', [{ type: 'dress', ground: 'red', accents: ['white'], pattern: 'polka_dots' }]],
  ['a floral maxi dress', [{ type: 'dress', pattern: 'floral', length: 'maxi' }]],
  ['dress with flowers', [{ type: 'dress', pattern: 'floral' }]],
  ['camo pants', [{ type: 'trousers', pattern: 'camouflage' }]],
  ['camouflage cargo trousers', [{ type: 'trousers', pattern: 'camouflage', fit: 'loose' }]],
  ['a leopard print skirt', [{ type: 'skirt', pattern: 'leopard' }]],
  ['cheetah print top', [{ type: 'top', pattern: 'leopard' }]],
  ['a zebra print dress', [{ type: 'dress', pattern: 'zebra' }]],
  ['snakeskin skirt', [{ type: 'skirt', pattern: 'snake' }]],
  ['a paisley shirt', [{ type: 'shirt', pattern: 'paisley' }]],
  ['tie-dye hoodie', [{ type: 'hoodie', pattern: 'tie_dye' }]],
  ['an argyle sweater', [{ type: 'sweater', pattern: 'argyle' }]],
  ['herringbone coat', [{ type: 'coat', pattern: 'herringbone' }]],
  ['chevron skirt', [{ type: 'skirt', pattern: 'chevron' }]],
  ['an ombre dress from pink to purple', [{ type: 'dress', ground: 'pink', accents: ['purple'], pattern: 'ombre' }]],
  ['a black and white dress', [{ type: 'dress', ground: 'black', accents: ['white'], pattern: 'color_block' }]],
  ['a plain white tee', [{ type: 't-shirt', ground: 'white' }]],
  ['a striped shirt with no stripes', [{ type: 'shirt', pattern: 'vertical_stripes' }]],
  // Materials
  ['a knitted cardigan', [{ type: 'cardigan', material: 'knit' }]],
  ['a chunky knit sweater in cream', [{ type: 'sweater', ground: 'cream', material: 'knit' }]],
  ['a leather skirt', [{ type: 'skirt', material: 'leather' }]],
  ['black satin blouse', [{ type: 'blouse', ground: 'black', material: 'satin' }]],
  ['a silk shirt', [{ type: 'shirt', material: 'silk' }]],
  ['a velvet blazer in emerald green', [{ type: 'blazer', ground: 'emerald green', material: 'velvet' }]],
  ['a silver sequin dress', [{ type: 'dress', ground: 'silver', material: 'sequins' }]],
  ['sparkly gold top', [{ type: 'top', ground: 'gold', material: 'sequins' }]],
  ['a black lace dress', [{ type: 'dress', ground: 'black', material: 'lace' }]],
  ['corduroy trousers in rust', [{ type: 'trousers', ground: 'rust', material: 'corduroy' }]],
  ['suede jacket', [{ type: 'jacket', material: 'suede' }]],
  ['a tweed blazer', [{ type: 'blazer', material: 'tweed' }]],
  ['a mesh top', [{ type: 'top', material: 'mesh' }]],
  ['a wool coat', [{ type: 'coat', material: 'wool' }]],
  ['denim skirt', [{ type: 'skirt', material: 'denim' }]],
  ['a dark wash denim jacket', [{ type: 'jacket', ground: 'dark wash', material: 'denim' }]],
  // Sleeves, lengths, fit
  ['a long-sleeved t-shirt', [{ type: 't-shirt', sleeve: 'long' }]],
  ['a long sleeve tee', [{ type: 't-shirt', sleeve: 'long' }]],
  ['a short sleeve shirt', [{ type: 'shirt', sleeve: 'short' }]],
  ['a shirt with short sleeves', [{ type: 'shirt', sleeve: 'short' }]],
  ['a sleeveless dress', [{ type: 'dress', sleeve: 'none' }]],
  ['a dress with no sleeves', [{ type: 'dress', sleeve: 'none' }]],
  ['a dress without sleeves', [{ type: 'dress', sleeve: 'none' }]],
  ['a blouse with 3/4 sleeves', [{ type: 'blouse', sleeve: 'three_quarter' }]],
  ['three-quarter sleeve top', [{ type: 'top', sleeve: 'three_quarter' }]],
  ['a cap sleeve top', [{ type: 'top', sleeve: 'cap' }]],
  ['an elbow-length sleeve blouse', [{ type: 'blouse', sleeve: 'elbow' }]],
  ['half sleeve shirt', [{ type: 'shirt', sleeve: 'elbow' }]],
  ['a strapless dress', [{ type: 'dress', sleeve: 'none', neckline: 'strapless' }]],
  ['an off-the-shoulder top', [{ type: 'top', sleeve: 'none', neckline: 'off_shoulder' }]],
  ['a v-neck sweater', [{ type: 'sweater', neckline: 'v' }]],
  ['a scoop neck tee', [{ type: 't-shirt', neckline: 'scoop' }]],
  ['an oversized t-shirt', [{ type: 't-shirt', fit: 'loose' }]],
  ['a baggy hoodie', [{ type: 'hoodie', fit: 'loose' }]],
  ['a fitted shirt', [{ type: 'shirt', fit: 'tight' }]],
  ['a slim fit blazer', [{ type: 'blazer', fit: 'tight' }]],
  ['a tight dress', [{ type: 'dress', fit: 'tight' }]],
  ['a longline cardigan', [{ type: 'cardigan', length: 'tunic' }]],
  ['a cropped jacket', [{ type: 'jacket', length: 'waist' }]],
  ['a cropped hoodie', [{ type: 'hoodie', length: 'cropped' }]],
  ['a long coat', [{ type: 'coat', length: 'midi' }]],
  ['a floor length gown', [{ type: 'dress', length: 'maxi', style: 'gown' }]],
  ['a midi skirt', [{ type: 'skirt', length: 'midi' }]],
  ['long shorts', [{ type: 'shorts', length: 'bermuda' }]],
  ['ankle length trousers', [{ type: 'trousers', length: 'full' }]],
  ['knee length shorts', [{ type: 'shorts', length: 'bermuda' }]],
  // Word order
  ['shirt blue striped', [{ type: 'shirt', ground: 'blue', pattern: 'vertical_stripes' }]],
  ['dress, red, long sleeves, midi', [{ type: 'dress', ground: 'red', sleeve: 'long', length: 'midi' }]],
  ['midi red long-sleeved dress', [{ type: 'dress', ground: 'red', sleeve: 'long', length: 'midi' }]],
  // Several garments
  ['a white shirt and blue jeans', [{ type: 'shirt', ground: 'white' }, { type: 'jeans', ground: 'blue' }]],
  ['blue jeans and a white shirt', [{ type: 'jeans', ground: 'blue' }, { type: 'shirt', ground: 'white' }]],
  ['a white t-shirt with black jeans', [{ type: 't-shirt', ground: 'white' }, { type: 'jeans', ground: 'black' }]],
  ['white crop top + black leather skirt', [{ type: 'crop top', ground: 'white' }, { type: 'skirt', ground: 'black', material: 'leather' }]],
  ['a striped tee, blue jeans', [{ type: 't-shirt', pattern: 'horizontal_stripes' }, { type: 'jeans', ground: 'blue' }]],
  ['a red and white striped top and white shorts', [{ type: 'top', ground: 'red', accents: ['white'], pattern: 'horizontal_stripes' }, { type: 'shorts', ground: 'white' }]],
  ['a white shirt with blue stripes and black trousers', [{ type: 'shirt', ground: 'white', accents: ['blue'], pattern: 'vertical_stripes' }, { type: 'trousers', ground: 'black' }]],
  ['black turtleneck, camel trousers and a grey coat', [{ type: 'turtleneck', ground: 'black' }, { type: 'trousers', ground: 'camel' }]],
  ['a navy suit', [{ type: 'blazer', ground: 'navy' }, { type: 'trousers', ground: 'navy' }]],
  ['a grey pinstripe suit', [{ type: 'blazer', ground: 'grey', pattern: 'pinstripes' }, { type: 'trousers', ground: 'grey', pattern: 'pinstripes' }]],
  ['a red dress and a black jacket', [{ type: 'dress', ground: 'red' }]],
  ['a pink skirt and a white blouse', [{ type: 'skirt', ground: 'pink' }, { type: 'blouse', ground: 'white' }]],
  // Sources: what the person wears now
  ['replace her jeans with a red skirt', [{ type: 'skirt', ground: 'red' }]],
  ['change the t-shirt into a grey turtleneck', [{ type: 'turtleneck', ground: 'grey' }]],
  ['swap the shirt for a yellow hoodie', [{ type: 'hoodie', ground: 'yellow' }]],
  ['wear a red dress instead of the jeans', [{ type: 'dress', ground: 'red' }]],
  ['make the shirt red', [{ type: 'current', mode: 'recolor', ground: 'red', category: 'upper_body' }]],
  ['change the jeans to black', [{ type: 'current', mode: 'recolor', ground: 'black', category: 'lower_body' }]],
  ['turn her dress blue', [{ type: 'current', mode: 'recolor', ground: 'blue', category: 'dresses' }]],
  // No garment: recolour the current top
  ['make it red', [{ type: 'current', mode: 'recolor', ground: 'red', category: 'upper_body' }]],
  ['red', [{ type: 'current', mode: 'recolor', ground: 'red' }]],
  ['in polka dots', [{ type: 'current', mode: 'recolor', pattern: 'polka_dots' }]],
  ['leather', [{ type: 'current', mode: 'recolor', material: 'leather' }]],
  ['dress her in red', [{ type: 'current', mode: 'recolor', ground: 'red' }]],
  // Unsupported nouns keep their own colours
  ['red shoes and a blue dress', [{ type: 'dress', ground: 'blue' }]],
  ['a blue dress with red shoes', [{ type: 'dress', ground: 'blue' }]],
  ['a black hat and a white t-shirt', [{ type: 't-shirt', ground: 'white' }]],
];

test(`parser: ${TABLE.length} phrasings give exactly the expected garments`, () => {
  const failures: string[] = [];
  assert.ok(TABLE.length >= 150, `table has ${TABLE.length} rows`);
  for (const [prompt, wants] of TABLE) {
    const { garments } = parsePrompt(prompt);
    const got = garments.map((spec, k) => project(spec, wants[k] ?? { type: spec.type }));
    const want = wants.map(expected);
    try {
      assert.deepEqual(got, want);
    } catch {
      failures.push(`${prompt}\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} phrasings differ:\n${failures.join('\n')}`);
});

const NOTHING = [
  '',
  '   ',
  'hello',
  'make her look happy',
  'change the background to a beach',
  'change the background to blue',
  'add a red hat',
  'give him sunglasses',
  'asdf qwerty',
  'make it better',
  'please',
  '12345',
  'change the hairstyle to blonde',
  'remove the watch',
  'red shoes',
  'no stripes',
  'make the lipstick pink',
  'a nice outfit',
];

test(`parser: ${NOTHING.length} prompts with nothing to apply are INVALID_PARAM 10004 with the message`, () => {
  for (const prompt of NOTHING) {
    assert.throws(
      () => parsePrompt(prompt),
      (error: unknown) => error instanceof ApiError && error.code === 10004 && error.detail === NOTHING_TO_APPLY,
      JSON.stringify(prompt),
    );
  }
});

test('parser: every CSS named colour parses as that colour (linen: as the fabric, which is what a shop means)', () => {
  const redefined = new Set(['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'brown', 'grey', 'gray', 'white', 'black', 'navy', 'beige', 'khaki', 'olive', 'teal', 'coral', 'lavender', 'ivory', 'maroon', 'indigo', 'gold', 'silver', 'crimson', 'turquoise', 'aqua', 'chocolate', 'tan', 'lime', 'fuchsia', 'magenta', 'plum', 'violet', 'orchid', 'salmon', 'chartreuse', 'cyan', 'azure', 'snow']);
  assert.equal(CSS_COLOR_NAMES.length, 148);
  for (const name of CSS_COLOR_NAMES) {
    const { garments } = parsePrompt(`a ${name} t-shirt`);
    if (name === 'linen') {
      assert.equal(garments[0].material, 'linen');
      continue;
    }
    assert.equal(garments[0].ground?.name, name, name);
    assert.deepEqual(garments[0].ground?.rgb, lookupColor(name));
    if (!redefined.has(name)) assert.equal(lookupColor(name)?.length, 3);
  }
});

test('parser: colour modifiers move lightness the way they say', () => {
  const lightness = (rgb: [number, number, number]): number => 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  const base = parsePrompt('a green top').garments[0].ground!.rgb;
  assert.ok(lightness(parsePrompt('a light green top').garments[0].ground!.rgb) > lightness(base));
  assert.ok(lightness(parsePrompt('a pale mustard top').garments[0].ground!.rgb) > lightness(parsePrompt('a mustard top').garments[0].ground!.rgb));
  assert.ok(lightness(parsePrompt('a dark mustard top').garments[0].ground!.rgb) < lightness(parsePrompt('a mustard top').garments[0].ground!.rgb));
});

test('parser: at least 30 garment types, each with a category and a shape', () => {
  const types = Object.entries(GARMENT_TYPES);
  assert.ok(types.length >= 30, `${types.length} types`);
  for (const [name, shape] of types) {
    assert.ok(['upper_body', 'lower_body', 'dresses'].includes(shape.category), name);
    assert.equal(parsePrompt(`a ${name.replace('-', ' ')}`).garments[0].type, name, name);
  }
});
