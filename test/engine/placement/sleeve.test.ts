import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sleeveFromMask } from '../../../src/engine/classic/placement/sleeve.ts';
import { createMask, type Mask } from '../../../src/imaging/raster.ts';

/** Fills a polygon (even-odd, pixel centres) into the mask with 255. */
function fillPolygon(mask: Mask, polygon: Array<[number, number]>): void {
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      let inside = false;
      for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
        const [xi, yi] = polygon[i];
        const [xj, yj] = polygon[j];
        if (yi > y + 0.5 !== yj > y + 0.5 && x + 0.5 < ((xj - xi) * (y + 0.5 - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) mask.data[y * mask.width + x] = 255;
    }
  }
}

test('a short sleeve read from the mask ends at its cuff, not at the hem of a panel that flares past the armpit', () => {
  // A tee whose hem flares out past the armpits, short sleeves sloping out from the shoulders.
  const mask = createMask(400, 500);
  fillPolygon(mask, [
    [150, 40], [250, 40], // neckline
    [300, 60], [370, 120], [340, 150], [290, 130], // right sleeve: shoulder, cuff outer, cuff inner, armpit
    [305, 460], [95, 460], // hem, wider than the armpits
    [110, 130], [60, 150], [30, 120], [100, 60], // left sleeve
  ]);
  // Landmarks as the detector gives them on a ragged cuff: the cuff corners almost on one point.
  const left = { shoulder: { x: 100, y: 60 }, armpit: { x: 110, y: 130 }, cuffOuter: { x: 30, y: 120 }, cuffInner: { x: 32, y: 122 } };
  const panelInside = { x: 200, y: 300 };
  const read = sleeveFromMask(mask, left, panelInside, { x: 95, y: 460 });
  for (const cuff of [read.cuffOuter, read.cuffInner]) {
    assert.ok(cuff.y < 170, `cuff at y ${cuff.y}: the sleeve ends near the armpit's height`);
    assert.ok(cuff.x < 80, `cuff at x ${cuff.x}: at the sleeve's far end`);
  }
});
