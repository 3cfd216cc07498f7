/**
 * `npm run eval:moderation [-- --photos DIR ...]`: runs the moderation classifier on every image of
 * each photo folder (model/ and garment/, whatever the manifest lists or not) and reports, per
 * folder, the highest "porn", "hentai" and "sexy" scores, how many images the configured
 * thresholds would refuse (every one of them a false positive: these are ordinary fashion photos),
 * and the classifier's time per image (shrink to 224x224 + inference, in-process, warm). Defaults: ../shared/photos and ../shared/photos-wide.
 *
 * Thresholds come from the same environment as the server (FITROOM_MODERATION_*_THRESHOLD).
 * Exits 1 when any image would be refused, so CI can hold the line at 0 false positives.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/index.ts';
import { classifierInput } from '../src/moderation/classifier.ts';
import { harmfulClass } from '../src/moderation/policy.ts';
import { classifyNsfw, loadNsfwModel, type NsfwScores } from '../src/vision/nsfw.ts';
import { readPhoto } from './images.ts';
import { median, quantile } from './stats.ts';

const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const IMAGE_EXT = /\.(jpe?g|png|webp|avif)$/i;

function imagesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...imagesUnder(full));
    else if (IMAGE_EXT.test(name)) found.push(full);
  }
  return found;
}

const { values } = parseArgs({ options: { photos: { type: 'string', multiple: true }, top: { type: 'string', default: '5' } } });
const folders = values.photos ?? [path.join(SHARED, 'photos'), path.join(SHARED, 'photos-wide')];
const settings = loadConfig().moderation;
const top = Number(values.top);

await loadNsfwModel();
let refusedTotal = 0;
const summary: Record<string, unknown>[] = [];
for (const folder of folders) {
  const files = imagesUnder(folder);
  const rows: { file: string; scores: NsfwScores; ms: number }[] = [];
  for (const file of files) {
    const image = await readPhoto(file);
    // The same path as the service: shrink with sharp, then the network (timed together).
    const started = performance.now();
    const scores = await classifyNsfw(await classifierInput(image));
    rows.push({ file: path.relative(folder, file), scores, ms: performance.now() - started });
  }
  const refused = rows.filter((r) => harmfulClass(r.scores, settings) !== null);
  refusedTotal += refused.length;
  const max = (k: keyof NsfwScores) => Math.max(...rows.map((r) => r.scores[k]));
  const line = {
    folder,
    images: rows.length,
    refused: refused.length,
    falsePositiveRate: rows.length === 0 ? 0 : refused.length / rows.length,
    maxPorn: +max('porn').toFixed(4),
    maxHentai: +max('hentai').toFixed(4),
    maxSexy: +max('sexy').toFixed(4),
    sexyOver0_5: rows.filter((r) => r.scores.sexy >= 0.5).length,
    msPerImageP50: +(median(rows.map((r) => r.ms)) ?? 0).toFixed(1),
    msPerImageP90: +(quantile(rows.map((r) => r.ms), 0.9) ?? 0).toFixed(1),
  };
  summary.push(line);
  console.log(JSON.stringify(line));
  const worst = [...rows].sort((a, b) => Math.max(b.scores.porn, b.scores.hentai) - Math.max(a.scores.porn, a.scores.hentai)).slice(0, top);
  for (const r of worst) {
    const s = Object.fromEntries(Object.entries(r.scores).map(([k, v]) => [k, +v.toFixed(3)]));
    console.log(`  highest porn/hentai: ${r.file} ${JSON.stringify(s)}`);
  }
  for (const r of refused) console.log(`  REFUSED (false positive): ${r.file}`);
}
console.log(JSON.stringify({ thresholds: { porn: settings.pornThreshold, hentai: settings.hentaiThreshold }, refused: refusedTotal }));
process.exitCode = refusedTotal > 0 ? 1 : 0;
