/**
 * The operator CLI as an operator runs it (`node bin/fitroom.js`, what `npx fitroom` runs), with no
 * server on the data dir so every command opens the database itself: each prints one JSON object
 * and exits 0, or prints `{"error": "..."}` on stderr and exits 1; `help` answers at once. Then the
 * same commands with a server running on the data dir, which the CLI forwards them to. Help, the
 * errors and one command of each part run bin/fitroom.js as a checkout without a build runs it
 * (src/ through tsx); the other commands run as it runs them after `npm run build` (the build's
 * cli/main.js with plain node, here the test build of src/), about 0.8 s less CPU per command.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { COMMAND_SYNOPSES } from '../../src/cli/commands.ts';
import { garmentImage } from '../helpers/images.ts';
import { serverBuild } from '../helpers/server-build.ts';
import { REPO_ROOT, preparedDataDir, startServer, testEnv } from '../helpers/server.ts';

/** The schema version a migrated database reports: one per migration file. */
const MIGRATIONS = readdirSync(join(REPO_ROOT, 'src/db/migrations')).filter((f) => f.endsWith('.sql')).length;

let dataDir: string;
let env: Record<string, string>;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(command: string, args: string[], runEnv: Record<string, string> = env): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** `node bin/fitroom.js ARGS`, what `npx fitroom ARGS` runs. */
function fitroom(args: string[], extraEnv: Record<string, string> = {}, cliEnv = env): Promise<Run> {
  return run(process.execPath, ['bin/fitroom.js', ...args], { ...cliEnv, ...extraEnv });
}

/** `npx fitroom ARGS` with a fresh build: bin/fitroom.js imports the build's cli/main.js, run here directly. */
async function builtFitroom(args: string[], cliEnv = env): Promise<Run> {
  return run(process.execPath, [join(await serverBuild(), 'cli', 'main.js'), ...args], cliEnv);
}

/** One JSON object on stdout, nothing on stderr, exit 0. */
function expectJson(run: Run): Record<string, unknown> {
  assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
  assert.equal(run.stderr, '');
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${run.stdout}`);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

/** `{"error": "..."}` (and nothing else) on stderr, nothing on stdout, exit 1. */
function expectFailure(run: Run, pattern: RegExp): void {
  assert.equal(run.code, 1, `exit 1; stdout: ${run.stdout} stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${run.stderr}`);
  const body = JSON.parse(lines[0]) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.match(String(body.error), pattern);
}

before(async () => {
  dataDir = await preparedDataDir();
  env = testEnv(dataDir);
});

after(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('fitroom help', () => {
  it('lists every command, exit 0, the same text for --help', async (t) => {
    const help = await fitroom(['help']);
    assert.equal(help.code, 0, help.stderr);
    for (const synopsis of [...COMMAND_SYNOPSES, 'serve', 'help']) assert.ok(help.stdout.includes(`  ${synopsis} `), `help shows "${synopsis}"`);
    assert.equal((await fitroom(['--help'])).stdout, help.stdout);
    // Start-up time is measured by `npm run bench -- cli`, not asserted here (a busy machine stalls any start).
    t.diagnostic(`help ${Math.round(help.ms)} ms`);
  });
});

describe('command line errors: {"error"} on stderr, exit 1', () => {
  // One process per kind of failure; every parse error message is unit-tested in test/service/cli.test.ts.
  it('no command, an unknown command, a missing argument, an unknown or malformed option, a bad setting', async () => {
    expectFailure(await fitroom([]), /unknown command \(none\)/);
    expectFailure(await fitroom(['users', 'delete', 'a@b.c']), /unknown command users delete/);
    expectFailure(await fitroom(['users', 'add']), /users add: expected 1 argument \(EMAIL\), got 0/);
    expectFailure(await fitroom(['keys', 'add', 'a@b.c', '--sign']), /keys add: unknown option --sign/);
    expectFailure(await fitroom(['users', 'add', 'a@b.c', '--credits', 'lots']), /--credits: expected a whole number, got "lots"/);
    expectFailure(await fitroom(['users', 'show', 'a@b.c'], { FITROOM_CACHE: 'sometimes' }), /FITROOM_CACHE/);
  });
});

describe('every command without a server (the CLI opens the database itself)', () => {
  it('users, keys, credits, presets and db migrate', async (t) => {
    const timings: string[] = [];
    const ok = async (args: string[]) => {
      const run = await builtFitroom(args);
      timings.push(`${args.slice(0, 2).join(' ')} ${Math.round(run.ms)} ms`);
      return expectJson(run);
    };
    const email = 'cli@example.test';
    const user = await ok(['users', 'add', email, '--credits', '5']);
    assert.match(String(user.id), /^usr_/);
    assert.equal(user.credits, 5);
    assert.deepEqual(await ok(['users', 'show', email]), { id: user.id, email, status: 'active', credits: 5, reserved: 0, trialRemaining: 5, ledgerSum: 5 });
    const key = await ok(['keys', 'add', email, '--signing']);
    assert.match(String(key.apiKey), /^fr_/);
    assert.equal(typeof key.signingSecret, 'string');
    assert.deepEqual(await ok(['keys', 'revoke', String(key.id)]), { id: key.id, revoked: true });
    assert.deepEqual(await ok(['credits', 'grant', email, '3']), { email, credits: 8 });
    assert.equal((await ok(['users', 'disable', email])).status, 'disabled');
    const file = join(dataDir, 'garment.jpg');
    writeFileSync(file, await garmentImage('jpeg', 4));
    const preset = await ok(['presets', 'add', 'garment', file]);
    assert.match(String(preset.id), /^pre_/);
    assert.equal(preset.kind, 'garment');
    assert.deepEqual(await ok(['db', 'migrate']), { schemaVersion: MIGRATIONS });
    t.diagnostic(timings.join(', '));
    expectFailure(await fitroom(['users', 'show', 'nobody@example.test']), /nobody@example.test/);
  });
});

describe('with a server running on the data dir, commands are forwarded to it', () => {
  // Each other conformance file also runs `keys revoke`, `users disable` or `credits grant` this way.
  it('users add, keys add (the key works at once), users show; a refusal comes back as {"error"}', async (t) => {
    const server = await startServer();
    try {
      const timings: string[] = [];
      const ok = async (args: string[]) => {
        const run = await builtFitroom(args, server.env);
        timings.push(`${args.slice(0, 2).join(' ')} ${Math.round(run.ms)} ms`);
        return expectJson(run);
      };
      const email = 'forwarded@example.test';
      assert.equal((await ok(['users', 'add', email, '--credits', '4'])).credits, 4);
      const key = await ok(['keys', 'add', email]);
      const res = await fetch(`${server.url}/api/openapi/presets`, { headers: { authorization: `Bearer ${String(key.apiKey)}` } });
      assert.equal(res.status, 200, 'the server itself made the key');
      assert.equal((await ok(['users', 'show', email])).credits, 4);
      t.diagnostic(timings.join(', '));
      expectFailure(await fitroom(['users', 'add', email], {}, server.env), /email/);
    } finally {
      await server.stop();
    }
  });
});
