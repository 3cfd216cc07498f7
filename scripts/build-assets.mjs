// Part of `npm run build`: copies the files src/ reads at run time (not TypeScript) into dist/,
// at the same relative paths, so dist/ runs on its own. `node scripts/build-assets.mjs DIR` does the
// same for another compiled copy of src/ (the test servers' build, test/helpers/server-build.ts).
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from '../bin/cli-entry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
const ASSETS = ['db/migrations', 'cli/usage.txt'];

for (const asset of ASSETS) {
  const from = join(root, 'src', asset);
  const to = join(out, asset);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}
console.log(`build: copied ${ASSETS.join(', ')} to ${out} (${readdirSync(join(out, 'db', 'migrations')).length} migrations)`);
// Last: dist/ is complete and matches src/ as of now. bin/fitroom.js runs the CLI from dist/ only
// while no file under src/ is newer than this stamp (bin/cli-entry.js).
writeFileSync(join(out, BUILD_STAMP), `${new Date().toISOString()}\n`);
