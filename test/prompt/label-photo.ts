/** The drawn figure's photo painted from its labels, for the prompt engine's tests. */
import { PartLabel, type PersonAnalysis } from '../../src/engine/classic/types.ts';
import { createRaster } from '../../src/imaging/raster.ts';

/**
 * The person with its photo painted from its labels: a green top, a navy bottom, a grey backdrop
 * and skin for everything else.
 */
export function withLabelPhoto(person: PersonAnalysis): PersonAnalysis {
  const { width, height } = person.personMask;
  const labels = person.parsing.labels;
  const photo = createRaster(width, height, 3);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    photo.data.set(l === PartLabel.UpperGarment ? [30, 90, 50] : l === PartLabel.LowerGarment ? [30, 40, 110] : l === PartLabel.Background ? [200, 200, 200] : [220, 170, 140], i * 3);
  }
  return { ...person, image: photo };
}
