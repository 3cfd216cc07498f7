// Part of `npm run build`: copies the files src/ reads at run time (not TypeScript) into dist/,
// at the same relative paths, so dist/ runs on its own.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from '../bin/cli-entry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS = ['db/migrations', 'cli/usage.txt'];

for (const asset of ASSETS) {
  const from = join(root, 'src', asset);
  const to = join(root, 'dist', asset);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}
console.log(`build: copied ${ASSETS.join(', ')} to dist/ (${readdirSync(join(root, 'dist', 'db', 'migrations')).length} migrations)`);
// Last: dist/ is complete and matches src/ as of now. bin/fitroom.js runs the CLI from dist/ only
// while no file under src/ is newer than this stamp (bin/cli-entry.js).
writeFileSync(join(root, 'dist', BUILD_STAMP), `${new Date().toISOString()}\n`);
