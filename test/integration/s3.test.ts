/**
 * The S3 object store against a real S3-speaking server (s3rver on loopback): the same contract as
 * the file store, presigned URLs a client can fetch, and public-base URLs recognised as ours.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { S3Config } from '../../src/config/index.ts';
import { createS3ObjectStore } from '../../src/storage/s3.ts';
import { createPublicUrls } from '../../src/storage/public-urls.ts';
import { integrationSkip, startS3, type RunningS3 } from '../helpers/real-services.ts';

const skip = integrationSkip();
let s3: RunningS3;
let config: S3Config;

before(async () => {
  if (skip) return;
  s3 = await startS3();
  await s3.createBucket('store-test');
  config = {
    endpoint: s3.endpoint,
    bucket: 'store-test',
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    publicUrl: undefined,
    presignSeconds: 0,
  };
});
after(async () => {
  await s3?.stop();
});

test('S3 store: put, get with content type and size, stream, delete; invalid keys refused', { skip }, async () => {
  const store = createS3ObjectStore(config);
  try {
    await store.ping();
    const bytes = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 fake');
    await store.put('results/res_s3test.webp', bytes, 'image/webp');
    const got = await store.get('results/res_s3test.webp');
    assert.ok(got);
    assert.equal(got.contentType, 'image/webp');
    assert.equal(got.size, bytes.length);
    assert.deepEqual(await got.bytes(), bytes);
    const again = await store.get('results/res_s3test.webp');
    const chunks: Buffer[] = [];
    for await (const c of again!.stream()) chunks.push(Buffer.from(c as Uint8Array));
    assert.deepEqual(Buffer.concat(chunks), bytes);
    assert.equal(store.presignedUrl, undefined, 'no presigning unless configured');
    await store.delete('results/res_s3test.webp');
    assert.equal(await store.get('results/res_s3test.webp'), null);
    assert.equal(await store.get('../escape.png'), null);
    await assert.rejects(store.put('results/x.webp', bytes, 'image/png'), /content type/);
    await assert.rejects(store.put('../x.png', bytes, 'image/png'), /invalid object key/);
  } finally {
    store.close();
  }
});

test('S3 store with S3_PRESIGN_SECONDS: a presigned URL serves the object; none for a missing key', { skip }, async () => {
  const store = createS3ObjectStore({ ...config, presignSeconds: 60 });
  try {
    const bytes = Buffer.from('presigned-bytes');
    await store.put('masks/res_presign.png', bytes, 'image/png');
    const url = await store.presignedUrl!('masks/res_presign.png');
    assert.ok(url);
    assert.match(url, /X-Amz-Signature=/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    assert.equal(await store.presignedUrl!('masks/res_missing.png'), null);
  } finally {
    store.close();
  }
});

test('public URLs under S3_PUBLIC_URL: objects link there, and such URLs are recognised as our keys', () => {
  const urls = createPublicUrls('http://127.0.0.1:3000', { objectBase: 'https://cdn.example.com/fitroom/' });
  assert.equal(urls.fileUrl('presets/pre_x.jpg'), 'https://cdn.example.com/fitroom/presets/pre_x.jpg');
  assert.equal(urls.keyOf('https://cdn.example.com/fitroom/presets/pre_x.jpg'), 'presets/pre_x.jpg');
  assert.equal(urls.keyOf('http://127.0.0.1:3000/files/presets/pre_x.jpg'), 'presets/pre_x.jpg');
  assert.equal(urls.keyOf('https://cdn.example.com/other/presets/pre_x.jpg'), null);
  assert.equal(urls.keyOf('https://cdn.example.com/fitroom/presets/pre_x.jpg?sig=1'), null);
});
