#!/usr/bin/env node
// `npx fitroom ...`: run the TypeScript CLI through tsx (no build step).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && ['help', '--help', '-h'].includes(args[0])) {
  // Answered without tsx: registering it costs more than the whole help budget (0.5 s).
  process.stdout.write(readFileSync(new URL('../src/cli/usage.txt', import.meta.url), 'utf8'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
