/**
 * What `npm test` hands to Node's test runner: prints the paths of the entries, one a line.
 *
 * Node's test runner starts a process for every file it is given, and each pays for node, the test
 * runner and the tsx loader before its first test (about 0.45 s of CPU on this 2-core machine), then
 * for loading the sources it tests (the engine's modules and OpenCV's WebAssembly again in every
 * engine test file). The files of the directories in TOGETHER test code in-process only (no
 * servers, no child processes, no process-wide state), so they run together: one process per group
 * of directories, through a small entry file written to the temp dir that imports them one after
 * another, each inside a suite named after its path. Whatever a file registers (tests, suites, before/after
 * hooks) belongs to its own suite, as it belonged to its own process, and a file that fails to load
 * fails its suite and the run. The files that use shared test servers (sharedServer() of
 * ./server.ts) run together the same way, and the servers they share are stopped after the last
 * of them. Every other file (servers of its own, real PostgreSQL/Redis/S3, Chromium, child processes,
 * process-wide state) keeps a process of its own.
 *
 * Plain JavaScript, run with plain node before the test runner starts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// The same temp dir as the test runner's (/dev/shm when it has room).
import './temp-dir.mjs';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Directories (relative to the checkout) whose test files run in one process, by the name of that
 * process's entry file. The files of a group share what they load (the engine's modules, OpenCV's
 * and TensorFlow.js's WebAssembly); the engine's larger directories are groups of their own, so
 * that both cores have work to the end.
 */
const TOGETHER = {
  'engine-garment': ['test/engine/garment'],
  'engine-placement': ['test/engine/placement'],
  'engine-render': ['test/engine/render'],
  'engine-person': ['test/engine/person', 'test/engine/synthesis', 'test/engine/warp'],
  prompt: ['test/prompt'],
  service: ['test/service'],
  'in-process': ['test/eval', 'test/garment-category', 'test/imaging', 'test/net', 'test/queue', 'test/sampling', 'test/vision', 'test/webhooks'],
};

/** Files in those directories that keep a process of their own. */
const ALONE = new Set([
  // Runs the eval's command line as child processes (its own CPU-heavy work).
  'test/eval/cli-bench.test.ts',
  // Checks what loading TensorFlow.js leaves in the process (error handlers): it must load it first.
  'test/vision/tf.test.ts',
]);

/** @param {string} dir @returns {string[]} paths relative to the checkout */
function testFiles(dir) {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return testFiles(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

/** @param {string} file @returns {string | null} the name of its group in TOGETHER */
function togetherGroup(file) {
  if (ALONE.has(file)) return null;
  const dir = file.slice(0, file.lastIndexOf('/'));
  return Object.keys(TOGETHER).find((group) => TOGETHER[group].includes(dir)) ?? null;
}

/**
 * The entry file of a group's test files, or of those that use shared servers (which it
 * stops after the last of them). They are imported one at a time: a file's tests and hooks register
 * under the suite that imports it only while no other file is loading (a module evaluated late,
 * after a shared import's top-level await, would otherwise land in another suite).
 * @param {string} group a name in TOGETHER, or SHARED_SERVER
 * @param {string[]} files
 */
function entrySource(group, files) {
  const list = files.map((file) => [file, pathToFileURL(join(REPO_ROOT, file)).href]);
  const imports = `for (const [name, url] of ${JSON.stringify(list, null, 2)}) {
  await new Promise((next) => describe(name, () => import(url).finally(next)));
}
`;
  if (group !== SHARED_SERVER) {
    return `// Written by test/helpers/test-files.mjs: the test files of ${TOGETHER[group].join(', ')}, in one process.
import { describe } from 'node:test';
${imports}`;
  }
  return `// Written by test/helpers/test-files.mjs: the test files that use shared test servers, in one process.
import { describe, it } from 'node:test';
import { keepSharedServers, stopSharedServers } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'test/helpers/server.ts')).href)};
keepSharedServers();
${imports}describe('the shared test servers', () => {
  it('exit 0 after SIGTERM once every file that used them has run', () => stopSharedServers());
});
`;
}

/** The group of the files that use sharedServer(...). */
const SHARED_SERVER = 'shared-server';

/** @param {string} file */
function usesSharedServer(file) {
  return readFileSync(join(REPO_ROOT, file), 'utf8').includes('sharedServer(');
}

const files = testFiles('test');
/** @type {Map<string, string[]>} */
const together = new Map();
const alone = [];
for (const file of files) {
  const group = usesSharedServer(file) ? SHARED_SERVER : togetherGroup(file);
  if (group) together.set(group, [...(together.get(group) ?? []), file]);
  else alone.push(file);
}

// One folder per checkout: two checkouts' runs on the same machine do not share entry files.
const entriesDir = join(tmpdir(), `fitroom-test-entries-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}`);
mkdirSync(entriesDir, { recursive: true });
const entries = [];
for (const [group, groupFiles] of together) {
  if (groupFiles.length === 1) {
    alone.push(groupFiles[0]);
    continue;
  }
  const entry = join(entriesDir, `${group}.mjs`);
  // Written whole or not at all: a run of the same checkout may be reading it.
  const partial = `${entry}.${process.pid}`;
  writeFileSync(partial, entrySource(group, groupFiles));
  renameSync(partial, entry);
  entries.push(entry);
}
// The groups first (the larger share of the work), then the files of their own, in path order.
process.stdout.write([...entries, ...alone.sort().map((file) => relative(process.cwd(), join(REPO_ROOT, file)))].join('\n') + '\n');
