/**
 * Backdrop that the garment's own parts enclose (between a camisole's strap and its bodice,
 * between trouser flares that touch at the hem) is backdrop in the cut-out, while a garment's own
 * backdrop-coloured print stays garment. Drawn at 768x1024, the size (and so the work resolution)
 * of the shop photos where the straps' gaps stayed opaque.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentGarment } from '../../../src/engine/classic/garment/segment.ts';
import { dilate } from '../../../src/engine/classic/garment/components.ts';
import { drawGarment, type Vertex } from './drawn.ts';

const WIDTH = 768, HEIGHT = 1024;
/** The light grey sweep of the camisole's shop photo. */
const SWEEP: [number, number, number] = [246, 246, 246];
const CORAL: [number, number, number] = [190, 85, 80];

/** Pixels of `region` (1 = inside) at least `margin` px from any drawn garment pixel. */
function clearOf(truth: Uint8Array, region: (x: number, y: number) => boolean, margin: number): number[] {
  const near = dilate(truth, WIDTH, HEIGHT, margin);
  const pixels: number[] = [];
  for (let p = 0; p < truth.length; p++) if (!near[p] && region(p % WIDTH, Math.floor(p / WIDTH))) pixels.push(p);
  return pixels;
}

/** Point-in-triangle test (same side of all three edges). */
function inTriangle([ax, ay]: Vertex, [bx, by]: Vertex, [cx, cy]: Vertex): (x: number, y: number) => boolean {
  const side = (x: number, y: number, [x0, y0]: Vertex, [x1, y1]: Vertex): number => (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0);
  return (x, y) => {
    const s1 = side(x, y, [ax, ay], [bx, by]), s2 = side(x, y, [bx, by], [cx, cy]), s3 = side(x, y, [cx, cy], [ax, ay]);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

/** A thin strap (`width` px) from a to b, as a quadrilateral. */
function strap([ax, ay]: Vertex, [bx, by]: Vertex, width: number): Vertex[] {
  const length = Math.hypot(bx - ax, by - ay);
  const nx = (-(by - ay) / length) * (width / 2), ny = ((bx - ax) / length) * (width / 2);
  return [[ax + nx, ay + ny], [bx + nx, by + ny], [bx - nx, by - ny], [ax - nx, ay - ny]];
}

test('the backdrop between a camisole\'s thin straps and its bodice is cut out', async () => {
  // Bodice with a V neckline; on each side a front strap rises from the neckline's corner to the
  // shoulder point and the back strap falls from there to the side seam: a narrow triangle of
  // backdrop between them, closed at the bottom by the bodice.
  const bodice: Vertex[] = [[180, 250], [250, 240], [384, 330], [518, 240], [588, 250], [600, 950], [168, 950]];
  const apexLeft: Vertex = [150, 60], footFront: Vertex = [230, 244], footBack: Vertex = [172, 255];
  const mirror = (points: Vertex[]): Vertex[] => points.map(([x, y]): Vertex => [WIDTH - x, y]);
  const straps = [strap(apexLeft, footFront, 10), strap(apexLeft, footBack, 10)];
  const { image, truth } = await drawGarment([bodice, ...straps, ...straps.map(mirror)], {
    width: WIDTH, height: HEIGHT, background: SWEEP, fill: CORAL, noise: 1, jpeg: 90,
  });
  const { foreground } = segmentGarment(image);
  for (const [name, triangle] of [['left', [apexLeft, footFront, footBack]], ['right', mirror([apexLeft, footFront, footBack])]] as Array<[string, Vertex[]]>) {
    const gap = clearOf(truth, inTriangle(triangle[0], triangle[1], triangle[2]), 2);
    const kept = gap.filter((p) => foreground[p]).length;
    assert.ok(gap.length > 1000 && kept <= 0.02 * gap.length, `${name}: ${kept} of ${gap.length} gap pixels kept opaque`);
  }
  // The straps themselves stay garment.
  let strapKept = 0, strapPixels = 0;
  for (let y = 80; y < 220; y++) {
    for (let x = 0; x < WIDTH; x++) {
      if (!truth[y * WIDTH + x]) continue;
      strapPixels++;
      strapKept += foreground[y * WIDTH + x];
    }
  }
  assert.ok(strapKept >= 0.9 * strapPixels, `straps: ${strapKept} of ${strapPixels} pixels kept`);
});

test('trousers whose flares touch at the hem leave the backdrop between the legs transparent', async () => {
  const waist: Vertex[] = [[250, 80], [518, 80], [522, 380], [246, 380]];
  // The inner edges part below the crotch and meet again at the hem, where the flares touch.
  const left: Vertex[] = [[246, 370], [384, 370], [362, 620], [386, 950], [200, 950]];
  const right = left.map(([x, y]): Vertex => [WIDTH - x, y]).reverse();
  const { image, truth } = await drawGarment([waist, left, right], { width: WIDTH, height: HEIGHT, background: SWEEP, fill: [200, 185, 150], noise: 1, jpeg: 90 });
  const { foreground } = segmentGarment(image);
  const gap = clearOf(truth, (x, y) => y > 380 && y < 950 && x > 340 && x < 428, 2);
  const kept = gap.filter((p) => foreground[p]);
  const lowest = kept.reduce((y, p) => Math.max(y, Math.floor(p / WIDTH)), 0);
  assert.ok(gap.length > 5000 && kept.length <= 0.01 * gap.length, `${kept.length} of ${gap.length} gap pixels kept opaque (down to y ${lowest})`);
});

test('a backdrop-coloured print on a tee stays garment, large or small', async () => {
  const tee: Vertex[] = [[320, 190], [384, 230], [448, 190], [540, 220], [640, 320], [590, 370], [540, 340], [540, 900], [228, 900], [228, 340],
    [178, 370], [128, 320], [228, 220]];
  const logo: Vertex[] = [[320, 400], [448, 400], [448, 480], [320, 480]];
  // A small badge on the chest, far smaller than a gap the garment encloses.
  const badge: Vertex[] = [[470, 420], [486, 420], [486, 434], [470, 434]];
  const { image, truth } = await drawGarment([tee], {
    width: WIDTH, height: HEIGHT, background: SWEEP, fill: [200, 30, 40], noise: 1, jpeg: 90,
    prints: [{ polygon: logo, fill: SWEEP }, { polygon: badge, fill: SWEEP }],
  });
  const { foreground } = segmentGarment(image);
  for (const [name, [x0, y0, x1, y1]] of [['logo', [320, 400, 448, 480]], ['badge', [470, 420, 486, 434]]] as Array<[string, number[]]>) {
    let lost = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) lost += truth[y * WIDTH + x] && !foreground[y * WIDTH + x] ? 1 : 0;
    assert.equal(lost, 0, `${name}: ${lost} pixels lost`);
  }
});

test('the white of a white tee inside a black letter stays garment (white on white)', async () => {
  const tee: Vertex[] = [[320, 190], [384, 230], [448, 190], [540, 220], [640, 320], [590, 370], [540, 340], [540, 900], [228, 900], [228, 340],
    [178, 370], [128, 320], [228, 220]];
  // An 'o': a black block with the tee's own white inside it, that white lit to the sweep's value.
  const stroke: Vertex[] = [[340, 420], [420, 420], [420, 470], [340, 470]];
  const counter: Vertex[] = [[350, 430], [410, 430], [410, 460], [350, 460]];
  const { image, truth } = await drawGarment([tee], {
    width: WIDTH, height: HEIGHT, background: SWEEP, fill: [252, 252, 252], noise: 1, jpeg: 90,
    prints: [{ polygon: stroke, fill: [10, 10, 10] }, { polygon: counter, fill: SWEEP }],
  });
  const { foreground } = segmentGarment(image);
  let lost = 0;
  for (let y = 430; y < 460; y++) for (let x = 350; x < 410; x++) lost += truth[y * WIDTH + x] && !foreground[y * WIDTH + x] ? 1 : 0;
  assert.equal(lost, 0, `${lost} pixels of the letter's counter lost`);
});
