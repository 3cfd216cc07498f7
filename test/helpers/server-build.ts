/**
 * What test servers run: src/ compiled to JavaScript with the release build's compiler settings
 * (tsconfig.build.json, as `npm start` runs it), into REPO_ROOT/.test-build-DIGEST/, made once per
 * content of src/ and shared by every test file of every run. Started with plain node, a server
 * loads no TypeScript loader: tsx puts a loader thread beside the main thread and beside each worker
 * thread (engine pool, moderation), about 2 s of CPU per server start on this 2-core machine, and
 * `npm test` starts about 50 servers. Type checking is `npm run check`'s job, so the compiler runs
 * with --noCheck here (the emitted JavaScript is the same).
 * The directory sits directly under the checkout, as dist/ does, so the paths src/ finds from its
 * own location (web/dist, models/) are the same. Black-box: nothing here imports the service's code.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from '../../bin/cli-entry.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Name prefix of the build directories under the checkout (git and eslint ignore them). */
const TEST_BUILD_PREFIX = '.test-build-';
/** A complete build: the prefix and a 16-digit digest, nothing after it. */
const TEST_BUILD_NAME = /^\.test-build-[0-9a-f]{16}$/;
/** A build of other sources is deleted once it is this old, ms: a run still using it has ended by then. */
const STALE_BUILD_MS = 3_600_000;

/** Longest wait for another test process's build of the same sources, ms (a busy 2-core machine included). */
const BUILD_WAIT_MS = 180_000;
/** How often a waiting process looks for that build, ms. */
const BUILD_POLL_MS = 200;

const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** What a build is made from: every file under src/, the compiler settings and version, the asset copier. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  const inputs = [...filesUnder(join(REPO_ROOT, 'src')), ...['tsconfig.json', 'tsconfig.build.json', 'node_modules/typescript/package.json', 'scripts/build-assets.mjs'].map((f) => join(REPO_ROOT, f))];
  for (const file of inputs) hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function run(args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${args.join(' ')} exited ${code}: ${output.slice(-3000)}`))));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the build lock (a directory holding the builder's pid): true when this process got it;
 * a lock left by a process that no longer runs is broken.
 */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch {
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      return false; // being taken right now
    }
    if (Number.isInteger(holder) && !processAlive(holder)) rmSync(lock, { recursive: true, force: true });
    return false;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

async function buildInto(target: string): Promise<void> {
  const building = `${target}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    await run([TSC, '-p', 'tsconfig.build.json', '--noCheck', '--incremental', 'false', '--sourceMap', 'false', '--outDir', building]);
    // Migrations and the CLI's usage text, next to the code that reads them; writes BUILD_STAMP last.
    await run(['scripts/build-assets.mjs', building]);
    renameSync(building, target);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  // Builds of earlier sources are of no further use once no run can still be using them.
  for (const entry of readdirSync(REPO_ROOT)) {
    const dir = join(REPO_ROOT, entry);
    if (!TEST_BUILD_NAME.test(entry) || dir === target) continue;
    let builtAt = 0;
    try {
      builtAt = statSync(join(dir, BUILD_STAMP)).mtimeMs;
    } catch {
      // no stamp: never completed
    }
    if (Date.now() - builtAt > STALE_BUILD_MS) rmSync(dir, { recursive: true, force: true });
  }
}

let build: Promise<string> | null = null;

/** The directory of the compiled service (its main.js), building it first when needed. */
export function serverBuild(): Promise<string> {
  build ??= (async () => {
    const target = join(REPO_ROOT, `${TEST_BUILD_PREFIX}${sourceDigest()}`);
    const lock = `${target}.lock`;
    const deadline = Date.now() + BUILD_WAIT_MS;
    while (!existsSync(join(target, BUILD_STAMP))) {
      if (tryLock(lock)) {
        try {
          if (!existsSync(join(target, BUILD_STAMP))) await buildInto(target);
        } finally {
          rmSync(lock, { recursive: true, force: true });
        }
        break;
      }
      if (Date.now() > deadline) throw new Error(`no test build in ${target} after ${BUILD_WAIT_MS} ms (lock ${lock})`);
      await sleep(BUILD_POLL_MS);
    }
    return target;
  })();
  // A failed build is not remembered: the next server tries again.
  build.catch(() => {
    build = null;
  });
  return build;
}
