/**
 * The contact sheets (`contact-sheet.png` worst first, `contact-sheet-by-id.png` in manifest order):
 * one row per pair (model, garment, mask overlay, result, and the truth when the manifest gives
 * one), each cell 192x256, a one-line label above each row: the pair, its badness and raised
 * flags, then the headline numbers. The eval's most important
 * output: the numbers say where to look, the sheet says whether it reads as the person wearing the
 * garment. Cells are made during the run (`thumbnail`), so the sheet never holds full-size photos.
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { Mask, Raster } from '../src/imaging/raster.ts';
import { createRaster } from '../src/imaging/raster.ts';

export const CELL_WIDTH = 192;
export const CELL_HEIGHT = 256;
const GAP = 4;
const LABEL_HEIGHT = 20;
const HEADER_HEIGHT = 24;
const FONT = 'DejaVu Sans, Arial, sans-serif';

export interface ContactRow {
  /** Pair id and category. */
  label: string;
  /** A reason when the pair failed: drawn in red after the label. */
  failure?: string;
  /** The failure flags and badness, drawn after the label: dark red when `raised`, grey otherwise. */
  flags?: string;
  raised?: boolean;
  /** Engine ms and the headline metrics, drawn last (cut short when the line is full). */
  detail?: string;
  /** Thumbnails in column order (at most CELL_WIDTH x CELL_HEIGHT); null leaves the cell empty. */
  cells: (Raster | null)[];
}

/**
 * The model with the repaint region tinted magenta (half strength where the mask is 255, less on
 * soft edges) and the kept region slightly faded, so the edited area stands out at thumbnail size.
 */
export function maskOverlay(model: Raster, repaintMask: Mask): Raster {
  if (model.width !== repaintMask.width || model.height !== repaintMask.height) throw new Error('maskOverlay: sizes differ');
  const out = createRaster(model.width, model.height, 3);
  const tint = [255, 0, 200];
  const ch = model.channels;
  for (let p = 0; p < repaintMask.data.length; p++) {
    const a = (repaintMask.data[p] / 255) * 0.55;
    for (let c = 0; c < 3; c++) {
      const v = model.data[p * ch + Math.min(c, ch - 1)];
      const kept = repaintMask.data[p] === 0 ? v * 0.6 + 255 * 0.4 : v;
      out.data[p * 3 + c] = Math.round(kept * (1 - a) + tint[c] * a);
    }
  }
  return out;
}

export async function writeContactSheet(path: string, columns: string[], rows: ContactRow[]): Promise<void> {
  const width = GAP + columns.length * (CELL_WIDTH + GAP);
  const rowHeight = LABEL_HEIGHT + CELL_HEIGHT + GAP;
  const height = HEADER_HEIGHT + rows.length * rowHeight + GAP;
  const text: string[] = [];
  columns.forEach((name, i) => {
    text.push(svgText(GAP + i * (CELL_WIDTH + GAP) + CELL_WIDTH / 2, 17, name, '#333', 14, 'middle', 'bold'));
  });
  const layers: OverlayOptions[] = [];
  rows.forEach((row, r) => {
    const top = HEADER_HEIGHT + r * rowHeight;
    const label = row.failure ? `${row.label}  FAILED: ${row.failure}` : row.label;
    const flags = row.flags ? ` · ${row.flags}` : '';
    const room = Math.floor(width / 7) - label.length - flags.length;
    const detail = row.detail && room > 8 ? `<tspan> · ${escapeXml(truncate(row.detail, room - 3))}</tspan>` : '';
    const tail = (flags ? `<tspan fill="${row.raised ? '#b00' : '#666'}" font-weight="bold">${escapeXml(flags)}</tspan>` : '') + detail;
    text.push(svgText(GAP, top + 15, truncate(label, Math.floor(width / 7)), row.failure ? '#c00' : '#111', 12, 'start', 'normal', tail));
    row.cells.forEach((cell, c) => {
      if (!cell || c >= columns.length) return;
      const cellLeft = GAP + c * (CELL_WIDTH + GAP);
      const cellTop = top + LABEL_HEIGHT;
      layers.push({
        input: Buffer.from(cell.data.buffer, cell.data.byteOffset, cell.data.byteLength),
        raw: { width: cell.width, height: cell.height, channels: cell.channels },
        left: cellLeft + Math.floor((CELL_WIDTH - cell.width) / 2),
        top: cellTop + Math.floor((CELL_HEIGHT - cell.height) / 2),
      });
    });
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${text.join('')}</svg>`;
  layers.push({ input: Buffer.from(svg), left: 0, top: 0 });
  await sharp({ create: { width, height, channels: 3, background: { r: 236, g: 236, b: 236 } } })
    .composite(layers)
    .png({ compressionLevel: 6 })
    .toFile(path);
}

/** One line of text; `tail` is trusted SVG markup appended inside the element (a coloured <tspan>). */
function svgText(x: number, y: number, s: string, fill: string, size: number, anchor: string, weight: string, tail = ''): string {
  return `<text xml:space="preserve" x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${escapeXml(s)}${tail}</text>`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] as string);
}
