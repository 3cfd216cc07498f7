/**
 * Contact sheets for the prompt eval: a grid of thumbnails (rows = models, columns = the original
 * photo then one result per prompt), each result cell labelled under it with its prompt (two lines,
 * wrapped) and its ms / ΔE. Prompts are split into pages of `perPage` columns so a sheet stays
 * readable: contact-sheet-1.png, contact-sheet-2.png, ...
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { Raster } from '../../src/imaging/raster.ts';
import { escapeXml } from '../contact-sheet.ts';

export const CELL_W = 192;
export const CELL_H = 256;
const GAP = 6;
const LABEL_H = 44;
const ROW_HEAD = 18;
const FONT = 'DejaVu Sans, Arial, sans-serif';

export interface SheetCell {
  image: Raster | null;
  /** Up to two lines are drawn; longer text is wrapped and cut. */
  label: string;
  failed?: boolean;
}

export interface SheetRow {
  title: string;
  cells: SheetCell[];
}

function wrap(text: string, perLine: number, lines: number): string[] {
  const words = text.split(/\s+/);
  const out: string[] = [''];
  for (const w of words) {
    const line = out[out.length - 1];
    if ((line + ' ' + w).trim().length <= perLine) out[out.length - 1] = (line + ' ' + w).trim();
    else if (out.length < lines) out.push(w.slice(0, perLine));
    else {
      out[out.length - 1] = `${line.slice(0, perLine - 1)}…`;
      break;
    }
  }
  return out;
}

export async function writeGridSheet(path: string, rows: SheetRow[]): Promise<void> {
  const columns = Math.max(1, ...rows.map((r) => r.cells.length));
  const width = GAP + columns * (CELL_W + GAP);
  const rowH = ROW_HEAD + CELL_H + LABEL_H + GAP;
  const height = GAP + rows.length * rowH;
  const layers: OverlayOptions[] = [];
  const text: string[] = [];
  rows.forEach((row, r) => {
    const top = GAP + r * rowH;
    text.push(`<text x="${GAP}" y="${top + 13}" font-family="${FONT}" font-size="13" font-weight="bold" fill="#111">${escapeXml(row.title)}</text>`);
    row.cells.forEach((cell, c) => {
      const left = GAP + c * (CELL_W + GAP);
      const cellTop = top + ROW_HEAD;
      if (cell.image) {
        layers.push({
          input: Buffer.from(cell.image.data.buffer, cell.image.data.byteOffset, cell.image.data.byteLength),
          raw: { width: cell.image.width, height: cell.image.height, channels: cell.image.channels },
          left: left + Math.floor((CELL_W - cell.image.width) / 2),
          top: cellTop + Math.floor((CELL_H - cell.image.height) / 2),
        });
      }
      wrap(cell.label, 30, 3).forEach((line, k) => {
        text.push(`<text x="${left + 2}" y="${cellTop + CELL_H + 13 + k * 13}" font-family="${FONT}" font-size="11" fill="${cell.failed ? '#c00' : '#222'}">${escapeXml(line)}</text>`);
      });
    });
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${text.join('')}</svg>`;
  layers.push({ input: Buffer.from(svg), left: 0, top: 0 });
  await sharp({ create: { width, height, channels: 3, background: { r: 240, g: 240, b: 240 } } })
    .composite(layers)
    .png({ compressionLevel: 6 })
    .toFile(path);
}
