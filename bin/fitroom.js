#!/usr/bin/env node
// `npx fitroom ...`: the CLI from the release build in dist/ when it is fresh (plain node), else the
// TypeScript source through tsx (no build step needed; ~1 s slower to start).
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuiltCli } from './cli-entry.js';

const args = process.argv.slice(2);
if (args.length === 1 && ['help', '--help', '-h'].includes(args[0])) {
  // Answered without tsx or the build: the one command that must answer instantly (0.5 s budget).
  process.stdout.write(readFileSync(new URL('../src/cli/usage.txt', import.meta.url), 'utf8'));
} else {
  const built = freshBuiltCli(fileURLToPath(new URL('..', import.meta.url)));
  if (built) {
    await import(pathToFileURL(built).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../src/cli/main.ts');
  }
}
