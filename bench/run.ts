/**
 * `npm run bench [-- NAME ...]`: runs the registered benchmarks in order (all when no name is
 * given), prints each one's table and writes bench/results/NAME.json. To add a benchmark, export a
 * `Bench` from a file in bench/ and add it to BENCHES.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiBench } from './api.ts';
import { cliBench } from './cli.ts';
import { engineBench } from './engine.ts';
import { scaleoutBench } from './scaleout.ts';
import { moderationBench } from './moderation.ts';
import { synthesisBench } from './synthesis.ts';
import type { Bench } from './types.ts';

const BENCHES: Bench[] = [
  apiBench,
  engineBench,
  synthesisBench,
  scaleoutBench,
  moderationBench,
  cliBench,
];

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length === 0 ? BENCHES : BENCHES.filter((b) => wanted.includes(b.name));
  mkdirSync(RESULTS_DIR, { recursive: true });
  for (const bench of selected) {
    console.log(`\n== ${bench.name}: ${bench.description}`);
    const started = Date.now();
    const result = await bench.run();
    const file = `${RESULTS_DIR}${bench.name}.json`;
    writeFileSync(file, JSON.stringify({ bench: bench.name, at: new Date().toISOString(), ...result }, null, 2) + '\n');
    console.log(`  (${((Date.now() - started) / 1000).toFixed(1)} s; written to bench/results/${bench.name}.json)`);
  }
}

await main();
