import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { AddressInfo, LookupFunction } from 'node:net';
import sharp from 'sharp';
import { ApiError } from '../../src/domain/errors.ts';
import { createImageFetcher, type ImageFetcherOptions } from '../../src/net/image-fetcher.ts';
import { isPublicAddress } from '../../src/net/address-policy.ts';
import { startImageServer, type ImageServer } from './image-server.ts';
import { blockedTargets } from './no-outbound.ts';

const REFUSED = 'INVALID_PARAM: modelImg: URL host resolves to a private or loopback address (not allowed)';

/**
 * Test resolver: fixed answers for fake names, ENOTFOUND for everything else, so no test ever asks
 * real DNS. Records every name it was asked for.
 */
const FAKE_DNS: Record<string, LookupAddress[]> = {
  'public.test': [{ address: '127.0.0.1', family: 4 }],
  'loopback.test': [{ address: '127.0.0.1', family: 4 }],
  'v6-loopback.test': [{ address: '::1', family: 6 }],
  'intranet.test': [{ address: '10.0.0.1', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped.test': [{ address: '::ffff:192.168.1.1', family: 6 }],
};
const asked: string[] = [];
const fakeLookup = ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
  asked.push(hostname);
  const answer = FAKE_DNS[hostname];
  setImmediate(() => {
    if (!answer) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error);
    } else if (options.all) callback(null, answer);
    else callback(null, answer[0].address, answer[0].family);
  });
}) as unknown as LookupFunction;

const base: ImageFetcherOptions = { allowPrivate: false, maxBytes: 1_000_000, timeoutMs: 3000, maxRedirects: 3, lookup: fakeLookup };

/** Treats the fake `public.test` name as a public host (its fake address is loopback); everything else as usual. */
const publicTestPolicy = (address: string, host: string): boolean => host === 'public.test' || isPublicAddress(address);

let server: ImageServer;
let png: Buffer;

before(async () => {
  png = await sharp({ create: { width: 160, height: 160, channels: 3, background: '#3366cc' } }).png().toBuffer();
  server = await startImageServer(png);
});
after(async () => {
  await server.close();
});

async function assertRefused(promise: Promise<unknown>, pattern: RegExp | string, status = 400): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected ApiError, got ${String(error)}`);
    assert.equal(error.code, 10004);
    assert.equal(error.status, status);
    if (typeof pattern === 'string') assert.equal(error.msg, pattern);
    else assert.match(error.msg, pattern);
    return true;
  });
}

/** Runs `body` and returns how many client sockets Node created meanwhile (net.client.socket channel). */
async function countSockets(body: () => Promise<void>): Promise<number> {
  let sockets = 0;
  const onSocket = (): void => {
    sockets++;
  };
  diagnosticsChannel.subscribe('net.client.socket', onSocket);
  try {
    await body();
  } finally {
    diagnosticsChannel.unsubscribe('net.client.socket', onSocket);
  }
  return sockets;
}

test('allowPrivate: true downloads from a loopback image server, whatever the declared content type', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true });
  assert.deepEqual(await fetcher.fetch(`${server.origin}/img.png`, 'modelImg'), png);
  assert.deepEqual(await fetcher.fetch(`${server.origin}/img-as-text`, 'modelImg'), png);
  assert.deepEqual(await fetcher.fetch(`http://loopback.test:${server.port}/img.png`, 'modelImg'), png);
});

test('literal private and loopback IP URLs are refused before any socket is opened', async () => {
  const fetcher = createImageFetcher(base);
  const before = server.hits.get('/img.png') ?? 0;
  const urls = [
    `http://127.0.0.1:${server.port}/img.png`,
    `http://[::1]:${server.port}/img.png`,
    `http://[::ffff:127.0.0.1]:${server.port}/img.png`,
    `http://2130706433:${server.port}/img.png`, // decimal form of 127.0.0.1
    `http://0x7f.1:${server.port}/img.png`,
    'http://10.0.0.1/img.png',
    'http://172.16.0.1/img.png',
    'http://192.168.1.1/img.png',
    'http://169.254.169.254/latest/meta-data/',
    'https://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://224.0.0.1/',
    'http://[::ffff:10.0.0.1]/',
  ];
  const sockets = await countSockets(async () => {
    for (const url of urls) await assertRefused(fetcher.fetch(url, 'modelImg'), REFUSED);
  });
  assert.equal(sockets, 0);
  assert.equal(server.hits.get('/img.png') ?? 0, before);
});

test('host names resolving to loopback, private or metadata addresses are refused inside the lookup', async () => {
  const fetcher = createImageFetcher(base);
  const before = server.hits.get('/img.png') ?? 0;
  for (const host of ['loopback.test', 'v6-loopback.test', 'intranet.test', 'metadata.test', 'mapped.test']) {
    asked.length = 0;
    await assertRefused(fetcher.fetch(`http://${host}:${server.port}/img.png`, 'modelImg'), REFUSED);
    assert.deepEqual(asked, [host], 'the refusal came from resolving the name');
  }
  assert.equal(server.hits.get('/img.png') ?? 0, before);
});

test('a public-looking URL that redirects to loopback is refused at the redirect', async () => {
  const fetcher = createImageFetcher({ ...base, isAllowedAddress: publicTestPolicy });
  // The first hop really is allowed: the same fetcher downloads from public.test, directly and via a redirect.
  assert.deepEqual(await fetcher.fetch(`http://public.test:${server.port}/img.png`, 'modelImg'), png);
  const toPublic = encodeURIComponent(`http://public.test:${server.port}/img.png`);
  assert.deepEqual(await fetcher.fetch(`http://public.test:${server.port}/redirect?to=${toPublic}`, 'modelImg'), png);

  const imgHits = server.hits.get('/img.png') ?? 0;
  const redirectHits = server.hits.get('/redirect') ?? 0;
  for (const target of [
    `http://127.0.0.1:${server.port}/img.png`,
    `http://[::1]:${server.port}/img.png`,
    `http://loopback.test:${server.port}/img.png`,
    'http://169.254.169.254/latest/meta-data/',
  ]) {
    const url = `http://public.test:${server.port}/redirect?to=${encodeURIComponent(target)}`;
    await assertRefused(fetcher.fetch(url, 'garmentImg'), 'INVALID_PARAM: garmentImg: URL host resolves to a private or loopback address (not allowed)');
  }
  assert.equal(server.hits.get('/redirect'), redirectHits + 4, 'each first hop was fetched');
  assert.equal(server.hits.get('/img.png') ?? 0, imgHits, 'no redirect target was fetched');
});

test('redirects to other schemes or with credentials are refused', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true });
  await assertRefused(
    fetcher.fetch(`${server.origin}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`, 'modelImg'),
    /^INVALID_PARAM: modelImg: the URL redirected to a non-http\(s\) URL \(not allowed\)$/,
  );
  await assertRefused(
    fetcher.fetch(`${server.origin}/redirect?to=${encodeURIComponent(`http://u:p@127.0.0.1:${server.port}/img.png`)}`, 'modelImg'),
    /credentials/,
  );
  await assertRefused(fetcher.fetch(`${server.origin}/redirect-no-location`, 'modelImg'), /HTTP 301 without a Location header/);
});

test('at most maxRedirects redirects are followed', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true });
  const before = server.hits.get('/loop') ?? 0;
  await assertRefused(fetcher.fetch(`${server.origin}/loop`, 'modelImg'), 'INVALID_PARAM: modelImg: the URL redirected more than 3 times');
  assert.equal((server.hits.get('/loop') ?? 0) - before, 4, 'the original request and 3 redirects');
  // Exactly 3 redirects is fine.
  const threeHops = ['/img.png', '/redirect?to=/img.png', `/redirect?to=${encodeURIComponent('/redirect?to=/img.png')}`];
  const url = `${server.origin}/redirect?to=${encodeURIComponent(threeHops[2])}`;
  assert.deepEqual(await fetcher.fetch(url, 'modelImg'), png);
});

test('a server that never answers times out with the deadline', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true, timeoutMs: 300 });
  for (const path of ['/hang', '/slow-body']) {
    const started = performance.now();
    await assertRefused(fetcher.fetch(`${server.origin}${path}`, 'modelImg'), 'INVALID_PARAM: modelImg: downloading the URL timed out after 0.3 s');
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 280 && elapsed < 2000, `${path} took ${elapsed} ms`);
  }
});

test('the deadline covers the whole redirect chain, not each hop', async () => {
  // Each hop takes 150 ms and maxRedirects is high: a per-hop timeout of 400 ms would never fire.
  const fetcher = createImageFetcher({ ...base, allowPrivate: true, timeoutMs: 400, maxRedirects: 20 });
  const started = performance.now();
  await assertRefused(fetcher.fetch(`${server.origin}/slow-loop`, 'modelImg'), /timed out after 0\.4 s/);
  assert.ok(performance.now() - started < 1500);
});

test('bodies over maxBytes are refused, with or without Content-Length', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true });
  for (const path of ['/big', '/big-declared']) {
    await assertRefused(
      fetcher.fetch(`${server.origin}${path}`, 'modelImg'),
      'INVALID_PARAM: modelImg: the downloaded image is larger than the limit of 1 MB',
      413,
    );
  }
});

test('non-2xx answers are refused with the status', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true });
  await assertRefused(fetcher.fetch(`${server.origin}/missing.png`, 'modelImg'), 'INVALID_PARAM: modelImg: downloading the URL failed with HTTP 404');
});

test('bad URLs: other schemes, credentials, unresolvable names, closed ports', async () => {
  const fetcher = createImageFetcher({ ...base, allowPrivate: true });
  await assertRefused(fetcher.fetch('ftp://127.0.0.1/img.png', 'modelImg'), 'INVALID_PARAM: modelImg: only http:// and https:// URLs are accepted');
  await assertRefused(fetcher.fetch('file:///etc/passwd', 'modelImg'), /only http:\/\/ and https:\/\//);
  await assertRefused(fetcher.fetch('http://', 'modelImg'), 'INVALID_PARAM: modelImg: is not a valid URL');
  const before = server.hits.get('/img.png') ?? 0;
  await assertRefused(fetcher.fetch(`http://user:secret@127.0.0.1:${server.port}/img.png`, 'modelImg'), /URLs with credentials \(user:password@\) are not accepted/);
  assert.equal(server.hits.get('/img.png') ?? 0, before);
  await assertRefused(fetcher.fetch('http://nowhere.test/img.png', 'modelImg'), 'INVALID_PARAM: modelImg: the URL host name could not be resolved');

  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assertRefused(fetcher.fetch(`http://127.0.0.1:${closedPort}/img.png`, 'modelImg'), 'INVALID_PARAM: modelImg: the URL host refused the connection');
});

/**
 * Throw-away self-signed certificate for CN/SAN `public.test`, used only by the HTTPS test below: a
 * test fixture key that nothing trusts, generated for this test with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=public.test`.
 */
const TEST_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOu0a9EtHaAGhVn18
iB80R2D3ybcH7ZtyfdYuGgufo92hRANCAAT+5d5RY6HVIToGONuVj91ksFZhiJl4
U/3OgcEmFDN5UuVM95gC1PKEtr6uRGXaDJZTDpLttiM/TfUHtIYwyGDu
-----END PRIVATE KEY-----
`;
const TEST_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUaA0Qy3nMj1eMwg9MBrSsVRyr0WUwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLcHVibGljLnRlc3QwIBcNMjYxMTIxMTQyOTU5WhgPMjEyNjEw
MjgxNDI5NTlaMBYxFDASBgNVBAMMC3B1YmxpYy50ZXN0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAE/uXeUWOh1SE6BjjblY/dZLBWYYiZeFP9zoHBJhQzeVLlTPeY
AtTyhLa+rkRl2gyWUw6S7bYjP031B7SGMMhg7qNrMGkwHQYDVR0OBBYEFHVmx+qg
Zz+S1ei0ckifZX0uAeg5MB8GA1UdIwQYMBaAFHVmx+qgZz+S1ei0ckifZX0uAeg5
MA8GA1UdEwEB/wQFMAMBAf8wFgYDVR0RBA8wDYILcHVibGljLnRlc3QwCgYIKoZI
zj0EAwIDSQAwRgIhAPtBVc/QAbuqZRmujB8GCpMiAhyV/CuKJqLFIoKIKWmLAiEA
nz+21fGPZyferJJPIbWSRF2ns2gp+2t0c76USQYKZq4=
-----END CERTIFICATE-----
`;

test('https URLs use the same address check, and an untrusted certificate is refused without internals', async () => {
  let requests = 0;
  const tlsServer = https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (_req, res) => {
    requests++;
    res.end(png);
  });
  tlsServer.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  const port = (tlsServer.address() as AddressInfo).port;
  try {
    await assertRefused(createImageFetcher(base).fetch(`https://loopback.test:${port}/img.png`, 'modelImg'), REFUSED);
    const fetcher = createImageFetcher({ ...base, isAllowedAddress: publicTestPolicy });
    await assertRefused(
      fetcher.fetch(`https://public.test:${port}/img.png`, 'modelImg'),
      'INVALID_PARAM: modelImg: the TLS connection to the URL host failed (certificate or protocol error)',
    );
    assert.equal(requests, 0);
  } finally {
    tlsServer.closeAllConnections();
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  }
});

// Last in the file: the tripwire in no-outbound.ts saw no attempt to reach a non-loopback address.
test('no test tried to connect to a non-loopback address', () => {
  assert.deepEqual(blockedTargets, []);
});
