/**
 * What an operator relies on, black-box: the admin key printed once on the first start, health
 * and readiness, Prometheus metrics, the OpenAPI document, X-Request-Id on every response and in
 * the logs (never the API key), result files with the right headers, and graceful shutdown with a
 * request in flight, and a 500 (storage broken under the running server) that leaks no internals
 * and costs nothing. In cluster mode (test/integration/cluster-conformance.suite.ts) the storage
 * is the S3 bucket, and breaking it means the bucket disappearing.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  API1_PATH,
  API2_PATH,
  PRESETS_PATH,
  api1Parts,
  bearer,
  expectOk,
  fetchBytes,
  multipart,
  post,
  readResponse,
  assertNoInternals,
  expectError,
} from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;
let dataDir: string;

before(async () => {
  // The real first start: an empty data dir (initdb, migrations, admin user), not the test template.
  server = await startServer({ emptyDataDir: true });
  dataDir = server.dataDir;
  user = await createUser(server, { credits: 20 });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  if (server && server.process.exitCode === null && server.process.signalCode === null) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('first start', () => {
  it('on an empty data dir prints the admin API key once, and it works', async () => {
    const key = await server.adminKey();
    assert.match(key, /^fr_/);
    const adminLines = server.logs.filter((l) => l.msg === 'admin api key created');
    assert.equal(adminLines.length, 1);
    assert.equal(adminLines[0].email, 'admin@localhost');
    const res = await readResponse(await fetch(server.url + PRESETS_PATH, { headers: bearer(key) }));
    expectOk(res);
  });
});

describe('health, readiness, metrics, docs', () => {
  it('GET /healthz → 200 with X-Request-Id', async () => {
    const res = await fetch(server.url + '/healthz');
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('x-request-id'));
  });

  it('GET /readyz → 200 once the database and engine are ready', async () => {
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      const res = await fetch(server.url + '/readyz');
      status = res.status;
      await res.arrayBuffer();
      if (status !== 200) await sleep(250);
    }
    assert.equal(status, 200);
  });

  it('GET /metrics is Prometheus text and counts API requests by route and code', async () => {
    expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
    await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), {});
    const res = await fetch(server.url + '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^# (HELP|TYPE) /m);
    const apiLines = text.split('\n').filter((l) => !l.startsWith('#') && l.includes('change-clothes-ai'));
    assert.ok(apiLines.length > 0, 'some series is labelled with the API 1 route');
    const counted = apiLines.filter((l) => /_total\{/.test(l) && Number(l.trim().split(/\s+/).pop()) >= 1);
    assert.ok(counted.length > 0, `a request counter for API 1 is at least 1:\n${apiLines.join('\n')}`);
    assert.ok(apiLines.some((l) => l.includes('10001') || l.includes('"401"')), 'the 401 is counted by its code');
  });

  it('GET /docs/json is an OpenAPI 3 document listing both endpoints', async () => {
    const res = await fetch(server.url + '/docs/json');
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi?: string; paths?: Record<string, Record<string, unknown>> };
    assert.match(doc.openapi ?? '', /^3\./);
    assert.ok(doc.paths?.[API1_PATH]?.post, 'API 1 is documented');
    assert.ok(doc.paths?.[API2_PATH]?.post, 'API 2 is documented');
  });

  it('GET /docs serves the browsable UI', async () => {
    const res = await fetch(server.url + '/docs');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    await res.arrayBuffer();
  });
});

describe('request ids, logs and files', () => {
  it('every response carries X-Request-Id: success, error, unknown route, file, docs', async () => {
    const ok = await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey));
    const data = expectOk(ok);
    const responses = [
      await fetch(server.url + '/no/such/route'),
      await fetch(String(data.resultImgUrl)),
      await fetch(server.url + '/docs/json'),
      await fetch(server.url + API1_PATH, { method: 'POST' }),
    ];
    for (const res of responses) {
      assert.ok(res.headers.get('x-request-id'), `${res.url} ${res.status} has X-Request-Id`);
      assertNoInternals(await res.text());
    }
  });

  it('the logs carry the request id and never the API key', async () => {
    const res = await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey));
    expectOk(res);
    const id = res.headers.get('x-request-id')!;
    await server.waitForLog((l) => JSON.stringify(l).includes(id), 5000);
    const all = server.logs.map((l) => JSON.stringify(l)).join('\n') + server.stderr();
    assert.ok(!all.includes(user.apiKey), 'the API key never appears in the logs');
  });

  it('result and mask files are WebP with long cache headers and need no auth', async () => {
    const data = expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
    for (const url of [data.resultImgUrl, data.maskImgUrl]) {
      const { contentType, headers } = await fetchBytes(String(url));
      assert.equal(contentType, 'image/webp');
      const cacheControl = headers.get('cache-control') ?? '';
      const maxAge = Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? 0);
      assert.ok(maxAge >= 86400, `long cache: ${cacheControl}`);
    }
  });
});

/**
 * Makes the running server's object storage fail; resolves with the repair. Local files: the
 * operator's disk goes bad (DATA_DIR/objects, where results are written, becomes a file). S3: the
 * bucket is gone (emptied and deleted; created again by the repair).
 */
async function breakStorage(broken: StartedServer): Promise<() => Promise<void>> {
  const bucket = broken.env.S3_BUCKET;
  if (!bucket) {
    const objects = join(broken.dataDir, 'objects');
    const saved = `${objects}.saved`;
    renameSync(objects, saved);
    writeFileSync(objects, 'not a directory');
    return async () => {
      rmSync(objects, { force: true });
      renameSync(saved, objects);
    };
  }
  const { S3Client, ListObjectsV2Command, DeleteObjectsCommand, DeleteBucketCommand, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({
    endpoint: broken.env.S3_ENDPOINT,
    region: broken.env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: broken.env.S3_ACCESS_KEY_ID, secretAccessKey: broken.env.S3_SECRET_ACCESS_KEY },
  });
  for (;;) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  return async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  };
}

describe('an unexpected failure', () => {
  it('storage failing under the server → 500 SERVER_ERROR with no path, stack or errno; nothing charged', async () => {
    const before = await showUser(server, user.email);
    const repair = await breakStorage(server);
    try {
      const res = await post(server.url, API1_PATH, multipart(api1Parts(model, await garmentImage('jpeg', 9))), bearer(user.apiKey));
      assert.ok(res.status === 500 || res.status === 503, `status ${res.status}: ${res.text}`);
      expectError(res, { status: res.status, code: 500, name: 'SERVER_ERROR' });
      assert.ok(!res.text.includes(dataDir), 'the data dir path is not in the response');
      assert.doesNotMatch(res.text, /ENOTDIR|ENOENT|EEXIST|EISDIR|NoSuchBucket/, 'no errno or S3 error names in the response');
    } finally {
      await repair();
    }
    const afterState = await showUser(server, user.email);
    assert.equal(afterState.credits, before.credits, 'the failed call cost nothing');
    assert.equal(afterState.ledgerSum, afterState.credits);
    // And the service recovers once the disk is back.
    expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
  });
});

describe('graceful shutdown', () => {
  it('SIGTERM while a request is being uploaded: the request completes with 200, then the process exits 0', async () => {
    const body = multipart(api1Parts(model, garment));
    const half = Math.floor(body.body.length / 2);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        server.url + API1_PATH,
        {
          method: 'POST',
          headers: { ...bearer(user.apiKey), 'content-type': body.contentType, 'content-length': String(body.body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.write(body.body.subarray(0, half));
      // Headers and half the body are on the wire; the rest follows after SIGTERM.
      setTimeout(() => {
        server.process.kill('SIGTERM');
        setTimeout(() => req.end(body.body.subarray(half)), 500);
      }, 500);
    });
    const res = await response;
    assert.equal(res.status, 200, res.text);
    assert.equal((JSON.parse(res.text) as { code: number }).code, 200);
    // An unref'd timer: once the process has exited, it does not hold this file open for 20 s.
    const exit = await Promise.race([server.exited, sleep(20_000, undefined, { ref: false }).then(() => 'timeout' as const)]);
    assert.notEqual(exit, 'timeout', 'the process exited within 20 s of SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null });
    // The rest of the deployment (cluster mode: its workers) stops too; the next test restarts it.
    // Left running, they kept this file's process alive after its last test (the suite never ended).
    await server.stop({ keepData: true });
  });

  it('a restart on the same data dir keeps users and does not print a new admin key', async () => {
    server = await startServer({ dataDir });
    await sleep(500);
    assert.equal(server.logs.filter((l) => l.msg === 'admin api key created').length, 0);
    expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
    const exit = await server.stop({ keepData: true });
    assert.deepEqual(exit, { code: 0, signal: null });
  });
});
