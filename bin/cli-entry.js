// Which code `bin/fitroom.js` runs: the release build in dist/ (plain node, ~1 s faster to start
// than transpiling src/ through tsx) when it is at least as new as every file under src/, else the
// TypeScript source. Plain JavaScript: it runs before any TypeScript support is loaded.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written by `npm run build` (scripts/build-assets.mjs) once dist/ is complete; its mtime is the build's time. */
export const BUILD_STAMP = '.build-stamp';

/** The newest modification time (ms) of any file under `dir`, or 0 when there is none. */
function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/**
 * The absolute path of `dist/cli/main.js` under `root` when the build is fresh: its stamp exists and
 * no file under `src/` changed after it (an edit, a checkout or a merge makes it stale until the
 * next `npm run build`). Null otherwise: the caller runs the source.
 */
export function freshBuiltCli(root) {
  const entry = join(root, 'dist', 'cli', 'main.js');
  let builtAt;
  try {
    statSync(entry);
    builtAt = statSync(join(root, 'dist', BUILD_STAMP)).mtimeMs;
  } catch {
    return null;
  }
  return newestMtimeMs(join(root, 'src')) <= builtAt ? entry : null;
}
