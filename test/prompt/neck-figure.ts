/** The drawn figure with a neck, and the share of its neck a prompt's garment covers (roll-collar and hood tests). */
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { bodyGeometry, faceEllipse } from '../../src/engine/classic/person/geometry.ts';
import { PartLabel, type PersonAnalysis } from '../../src/engine/classic/types.ts';
import { createRaster, type Raster } from '../../src/imaging/raster.ts';
import { editAnalysedPerson } from '../../src/engine/prompt/edit.ts';
import { drawnPerson } from '../engine/placement/figure.ts';

const SKIN: [number, number, number] = [220, 170, 140];

/**
 * The drawn figure with a neck (the figure's head floats above its torso): a skin column from the
 * chin to the torso, labelled neck, on a grey backdrop; a green top and blue trousers. Columns
 * `hairCols` of the neck are hair falling in front of it (dark brown).
 */
export function figureWithNeck(hairCols: [number, number] | null = null): { person: PersonAnalysis; photo: Raster } {
  const person = drawnPerson();
  const { width, height } = person.personMask;
  const labels = person.parsing.labels;
  for (let y = 70; y < 114; y++) {
    for (let x = 134; x <= 166; x++) {
      const i = y * width + x;
      if (labels[i] !== PartLabel.Background) continue;
      labels[i] = hairCols && x >= hairCols[0] && x <= hairCols[1] ? PartLabel.Hair : PartLabel.Neck;
      person.personMask.data[i] = 255;
    }
  }
  const photo = createRaster(width, height, 3);
  for (let i = 0; i < labels.length; i++) {
    const rgb = labels[i] === PartLabel.UpperGarment ? [30, 90, 50] : labels[i] === PartLabel.LowerGarment ? [40, 60, 140] : labels[i] === PartLabel.Hair ? [70, 45, 30] : labels[i] === PartLabel.Background ? [200, 200, 200] : SKIN;
    photo.data.set(rgb, i * 3);
  }
  return { person: { ...person, image: photo }, photo };
}

/** Share of the neck pixels in rows y0..y1 (columns x0..x1) that are dark (the black garment) and marked new garment. */
export async function neckCovered(prompt: string, rows: [number, number], cols: [number, number], hair: [number, number] | null = null) {
  const { person, photo } = figureWithNeck(hair);
  const body = measureBody(person);
  const { result } = await editAnalysedPerson({ model: photo, prompt, seed: 5, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  let dark = 0;
  let n = 0;
  for (let y = rows[0]; y <= rows[1]; y++) {
    for (let x = cols[0]; x <= cols[1]; x++) {
      const i = y * photo.width + x;
      n++;
      const d = result.image.data;
      if (d[i * 3] + d[i * 3 + 1] + d[i * 3 + 2] < 3 * 90 && (result.diagnostics?.newGarment?.data[i] ?? 0) >= 128) dark++;
    }
  }
  return { share: dark / n, result, photo };
}

/** The neck's base and chin rows of the drawn figure. */
export function neckRows(): { base: number; chin: number } {
  const person = drawnPerson();
  const head = bodyGeometry(person.pose).head;
  assert.ok(head);
  return { base: measureBody(person).neck.centre.y, chin: faceEllipse(head).chinY };
}

