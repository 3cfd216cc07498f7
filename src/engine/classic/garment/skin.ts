/**
 * Garments photographed worn: find the wearer's bare skin (face, neck, arms, legs) inside the
 * foreground so it can be left out of the cut-out.
 *
 * Skin is the classic YCrCb box. A skin-coloured garment (beige trousers, a pink blouse) is told
 * apart from a wearer by where the skin-coloured pixels are: a wearer shows skin at the top of the
 * foreground (neck and face) and covers only part of it.
 */
import { labelComponents } from './components.ts';

export function isSkinColour(r: number, g: number, b: number): boolean {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  return y > 50 && y < 245 && cr >= 136 && cr <= 173 && cb >= 77 && cb <= 125 && r > g && r > b;
}

export interface SkinFinding {
  worn: boolean;
  /** 1 where the wearer's skin is (only set when worn). */
  skin: Uint8Array;
}

const MIN_SHARE = 0.03;
const MAX_SHARE = 0.4;

export function findWearerSkin(data: Uint8Array, channels: number, foreground: Uint8Array, width: number, height: number): SkinFinding {
  const skin = new Uint8Array(width * height);
  let fg = 0, skinCount = 0;
  let fgTop = height;
  let fgBottom = -1;
  for (let p = 0; p < foreground.length; p++) {
    if (!foreground[p]) continue;
    fg++;
    const y = Math.floor(p / width);
    if (y < fgTop) fgTop = y;
    if (y > fgBottom) fgBottom = y;
    if (isSkinColour(data[p * channels], data[p * channels + 1], data[p * channels + 2])) {
      skin[p] = 1;
      skinCount++;
    }
  }
  const share = fg ? skinCount / fg : 0;
  if (share < MIN_SHARE || share > MAX_SHARE) return { worn: false, skin: new Uint8Array(0) };
  let fgLeft = width, fgRight = -1;
  for (let p = 0; p < foreground.length; p++) {
    if (!foreground[p]) continue;
    const x = p % width;
    if (x < fgLeft) fgLeft = x;
    if (x > fgRight) fgRight = x;
  }
  const fgWidth = fgRight - fgLeft + 1;
  const fgCentre = (fgLeft + fgRight) / 2;
  const { labels, areas, boxes } = labelComponents(skin, width, height);
  // A head or neck: a compact skin blob, centred, at the top of the foreground. Skin-coloured
  // prints and beige fabric fail one of these (spread out, off-centre, or the whole garment).
  const topBand = fgTop + 0.05 * (fgBottom - fgTop);
  let worn = false;
  const keep = new Uint8Array(areas.length);
  for (let id = 1; id < areas.length; id++) {
    if (areas[id] < 0.002 * fg) continue;
    keep[id] = 1;
    const [x0, y0, x1, y1] = boxes[id];
    const boxArea = (x1 - x0 + 1) * (y1 - y0 + 1);
    const head = areas[id] >= 0.015 * fg && y0 <= topBand && x1 - x0 + 1 <= 0.4 * fgWidth &&
      Math.abs((x0 + x1) / 2 - fgCentre) <= 0.2 * fgWidth && areas[id] >= 0.45 * boxArea;
    if (head) worn = true;
  }
  if (!worn) return { worn: false, skin: new Uint8Array(0) };
  for (let p = 0; p < skin.length; p++) skin[p] = keep[labels[p]] ? 1 : 0;
  return { worn, skin };
}
