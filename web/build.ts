/**
 * Builds the dashboard (web/ → web/dist) when the build is missing or older than its sources.
 * `npm start` runs it first (prestart), and so does the browser test; `npm run build:web` forces it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(WEB_DIR, 'dist', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export async function buildWeb(options: { force?: boolean } = {}): Promise<'built' | 'fresh'> {
  const built = fs.existsSync(OUT) ? fs.statSync(OUT).mtimeMs : 0;
  if (!options.force && built > newestSource(WEB_DIR)) return 'fresh';
  // Loaded only when needed: a fresh build starts the server without loading the bundler.
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIR, 'vite.config.ts') });
  return 'built';
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await buildWeb({ force: process.argv.includes('--force') });
  process.stdout.write(`${JSON.stringify({ msg: result === 'built' ? 'dashboard built' : 'dashboard up to date', dir: path.join(WEB_DIR, 'dist') })}\n`);
}
