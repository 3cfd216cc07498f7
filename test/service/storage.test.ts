import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { createFileObjectStore } from '../../src/storage/files.ts';
import { isValidKey } from '../../src/storage/object-store.ts';
import { createPublicUrls } from '../../src/storage/public-urls.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fitroom-store-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('file store: put, get with content type and size, delete', async () => {
  const store = createFileObjectStore(path.join(root, 'objects'));
  await store.put('results/res_abc.webp', Buffer.from('RIFFxxxxWEBP'), 'image/webp');
  const got = await store.get('results/res_abc.webp');
  assert.ok(got);
  assert.equal(got.contentType, 'image/webp');
  assert.equal(got.size, 12);
  assert.equal((await got.bytes()).toString(), 'RIFFxxxxWEBP');
  const chunks: Buffer[] = [];
  for await (const c of got.stream()) chunks.push(c as Buffer);
  assert.equal(Buffer.concat(chunks).toString(), 'RIFFxxxxWEBP');
  assert.deepEqual(fs.readdirSync(path.join(root, 'objects', 'results')), ['res_abc.webp'], 'no temporary file left behind');
  await store.delete('results/res_abc.webp');
  assert.equal(await store.get('results/res_abc.webp'), null);
  await assert.rejects(store.put('results/x.webp', Buffer.from('x'), 'image/png'), /content type/);
});

test('object keys cannot escape the store', async () => {
  fs.writeFileSync(path.join(root, 'secret.png'), 'secret');
  const store = createFileObjectStore(path.join(root, 'objects'));
  for (const key of ['../secret.png', 'results/../../secret.png', '/etc/passwd.png', 'a//b.png', 'A/B.png', '.hidden/x.png', 'x/.y.png', 'results/x', 'results/x.exe', 'results\\..\\x.png', '']) {
    assert.equal(isValidKey(key), false, key);
    assert.equal(await store.get(key), null, key);
    await assert.rejects(store.put(key, Buffer.from('x'), 'image/png'), /invalid object key/, key);
  }
  assert.equal(isValidKey('presets/pre_abc.jpg'), true);
});

test('public URLs: base set after listen, keys recognised on any host', () => {
  const urls = createPublicUrls('http://127.0.0.1:3000/');
  assert.equal(urls.fileUrl('results/r.webp'), 'http://127.0.0.1:3000/files/results/r.webp');
  urls.setBase('https://fitroom.example.com/');
  assert.equal(urls.fileUrl('masks/m.webp'), 'https://fitroom.example.com/files/masks/m.webp');
  assert.equal(urls.keyOf('http://localhost:9/files/presets/pre_x.jpg'), 'presets/pre_x.jpg');
  assert.equal(urls.keyOf('https://cdn.example/files/results/r.webp?x=1'), null);
  assert.equal(urls.keyOf('https://example.com/images/a.jpg'), null);
});
