/**
 * The README's `curl` examples, run as written: every ```sh block of README.md that calls curl is
 * run by `bash` in a folder holding `garment.jpg`, `model.png` and `model.jpg`, with only the
 * address (`http://127.0.0.1:3000`) and `KEY` replaced by the started server's. `model.jpg` is a
 * photo-sized JPEG whose data URI is longer than one command-line argument may be (Linux
 * MAX_ARG_STRLEN, 128 KiB), the case that made the README's inline data URI fail in a shell.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { expectPromptResult, expectTryOnResult } from '../helpers/http.ts';
import { garmentImage, personImage, PERSON_SIZE } from '../helpers/images.ts';
import { REPO_ROOT, createUser, releaseSharedServers, sharedServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const README_URL = 'http://127.0.0.1:3000';
const MAX_ARG_STRLEN = 128 * 1024;
const PHOTO_SIZE = { width: 1200, height: 1600 };

let server: StartedServer;
let user: TestUser;
let dir: string;

/** The ```sh blocks of the README that run curl, in order. */
function curlBlocks(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((block) => /^curl /m.test(block));
}

function blockFor(path: string): string {
  const block = curlBlocks().find((b) => b.includes(`${README_URL}${path}`));
  assert.ok(block, `the README has a curl example for ${path}`);
  return block;
}

/** Runs a README block in bash (as a user pasting it would), against the started server. */
function runBlock(block: string): { status: number | null; stdout: string; stderr: string } {
  const script = block.replaceAll(README_URL, server.url).replaceAll('Bearer KEY', `Bearer ${user.apiKey}`);
  const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonData(out: { status: number | null; stdout: string; stderr: string }): Record<string, unknown> {
  assert.equal(out.status, 0, `bash exited ${out.status}: ${out.stderr}`);
  const body = JSON.parse(out.stdout) as { code: number; msg: string; data: Record<string, unknown> };
  assert.equal(body.code, 200, out.stdout);
  assert.equal(body.msg, 'OK');
  return body.data;
}

/** A photo-sized JPEG with sensor-like noise, so it does not compress to almost nothing. */
async function photoJpeg(): Promise<Buffer> {
  const { data, info } = await sharp(await personImage('png', PHOTO_SIZE)).raw().toBuffer({ resolveWithObject: true });
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    data[i] = Math.max(0, Math.min(255, data[i] + ((state >> 16) % 17) - 8));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: 90 }).toBuffer();
}

before(async () => {
  server = await sharedServer();
  user = await createUser(server, { credits: 20 });
  dir = mkdtempSync(join(tmpdir(), 'fitroom-readme-'));
  writeFileSync(join(dir, 'garment.jpg'), await garmentImage('jpeg', 3));
  writeFileSync(join(dir, 'model.png'), await personImage('png'));
  writeFileSync(join(dir, 'model.jpg'), await photoJpeg());
});

after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await releaseSharedServers();
});

describe('the README curl examples, run as written', () => {
  it('API 1 with file uploads', async () => {
    const data = jsonData(runBlock(blockFor('/api/openapi/change-clothes-ai')));
    await expectTryOnResult(data, PERSON_SIZE);
    assert.equal(data.cacheHit, false);
  });

  it('API 2 with a photo-sized data URI read from a file', async () => {
    const block = blockFor('/api/openapi/change-clothes-by-prompt');
    const out = runBlock(block);
    const dataUriLength = readFileSync(join(dir, 'model.b64')).length;
    assert.ok(dataUriLength > MAX_ARG_STRLEN, `the data URI (${dataUriLength} bytes) would not fit in one argument`);
    assert.match(readFileSync(join(dir, 'model.b64'), 'utf8'), /^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/);
    const data = jsonData(out);
    await expectPromptResult(data, PHOTO_SIZE);
  });

  it('the presets list', () => {
    const data = jsonData(runBlock(blockFor('/api/openapi/presets')));
    assert.ok(Array.isArray(data.models) && Array.isArray(data.garments));
  });

  it('an async job: submit, then poll it by its id', () => {
    const data = jsonData(runBlock(blockFor('/v1/tryon')));
    assert.match(String(data.jobId), /^job_/);
    assert.equal(data.kind, 'tryon');
    assert.ok(['queued', 'running', 'succeeded'].includes(String(data.status)), String(data.status));
  });

  it('the account and its usage', () => {
    const out = runBlock(blockFor('/v1/account'));
    assert.equal(out.status, 0, out.stderr);
    // Two curl calls print two JSON bodies back to back (curl adds no newline).
    const [account, usage] = out.stdout.trim().replace(/\}\s*\{"code"/, '}\n{"code"').split('\n').map((line) => JSON.parse(line) as { code: number; data: Record<string, unknown> });
    assert.equal(account.code, 200);
    assert.equal(typeof account.data.credits, 'number');
    assert.equal(typeof account.data.trialCallsLeft, 'number');
    assert.equal(usage.code, 200);
    assert.ok(Array.isArray(usage.data.items) && usage.data.items.length <= 2);
  });

  it('the operations endpoints', () => {
    const out = runBlock(blockFor('/healthz'));
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /fitroom_http_requests_total/, 'metrics');
    assert.match(out.stdout, /"openapi":"3\./, 'the OpenAPI document');
  });

  it('every curl block of the README was run above', () => {
    const covered = ['/api/openapi/change-clothes-ai', '/api/openapi/change-clothes-by-prompt', '/api/openapi/presets', '/v1/tryon', '/v1/account', '/healthz'];
    for (const block of curlBlocks()) {
      assert.ok(
        covered.some((path) => block.includes(`${README_URL}${path}`)),
        `a README curl block not covered by this test:\n${block}`,
      );
    }
  });
});
