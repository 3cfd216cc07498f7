/**
 * `npm run bench -- cli`: wall time of each command-line command without a server (the CLI opens
 * the database itself), as a user runs it: a fresh `node bin/fitroom.js ...` process each time (what
 * `npx fitroom` runs, without npx's own ~1.5 s), on a data dir copied from the migrated test
 * template. bin/fitroom.js runs dist/ when the build is fresh (`npm run build`), else the source
 * through tsx: the report says which. Reports the median and the slowest of RUNS runs per command,
 * and the load average (the machine is shared). The target: every command under 1.5 s,
 * `help` under 0.5 s.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { garmentImage } from '../test/helpers/images.ts';
import { REPO_ROOT, preparedDataDir, testEnv } from '../test/helpers/server.ts';
import { freshBuiltCli } from '../bin/cli-entry.js';
import { printTable, round, type Bench } from './types.ts';

/** Runs per command. */
const RUNS = 7;

function timed(args: string[], env: Record<string, string>): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['bin/fitroom.js', ...args], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`fitroom ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export const cliBench: Bench = {
  name: 'cli',
  description: `each CLI command without a server, ${RUNS} fresh processes each (median / max ms)`,
  async run() {
    const dataDir = await preparedDataDir();
    const env = testEnv(dataDir);
    const garment = join(dataDir, 'garment.jpg');
    writeFileSync(garment, await garmentImage('jpeg', 2));
    const entry = freshBuiltCli(REPO_ROOT) ? 'dist/ (fresh build)' : 'src/ through tsx (no fresh build: npm run build)';
    const load = loadavg()[0];
    const commands: Array<[string, (i: number) => string[]]> = [
      ['help', () => ['help']],
      ['users add', (i) => ['users', 'add', `bench${i}@example.test`, '--credits', '5']],
      ['users show', (i) => ['users', 'show', `bench${i}@example.test`]],
      ['credits grant', (i) => ['credits', 'grant', `bench${i}@example.test`, '3']],
      ['keys add', (i) => ['keys', 'add', `bench${i}@example.test`]],
      ['users disable', (i) => ['users', 'disable', `bench${i}@example.test`]],
      ['db migrate', () => ['db', 'migrate']],
      ['presets add', () => ['presets', 'add', 'garment', garment]],
    ];
    const figures: Record<string, { medianMs: number; maxMs: number }> = {};
    try {
      for (const [name, args] of commands) {
        const times = Array.from({ length: RUNS }, (_, i) => timed(args(i), env));
        figures[name] = { medianMs: round(median(times), 0), maxMs: round(Math.max(...times), 0) };
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const loadAfter = loadavg()[0];
    printTable([
      ...Object.entries(figures).map(([name, f]) => [name, `${f.medianMs} ms median, ${f.maxMs} ms max`] as [string, string]),
      ['code run', entry],
      ['load average (1 min) before / after', `${round(load)} / ${round(loadAfter)}`],
    ]);
    return { runs: RUNS, entry, commands: figures, loadAverage: { before: round(load), after: round(loadAfter) } };
  },
};
