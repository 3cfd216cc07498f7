/**
 * Webhook targets obey the image-URL address rules: a literal private or loopback address is
 * refused when the job is submitted, a name that resolves to one is refused at the attempt
 * (inside the socket's lookup, so nothing is sent), and redirects are never followed. Only the
 * test-only allowance (FITROOM_ALLOW_PRIVATE_URLS, here `allowed: () => true`) reaches loopback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isPublicAddress } from '../../src/net/address-policy.ts';
import { createWebhookSender } from '../../src/webhooks/sender.ts';
import { parseWebhookUrl } from '../../src/webhooks/target.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';

let receiver: WebhookReceiver;
before(async () => {
  receiver = await startWebhookReceiver();
});
after(async () => {
  await receiver.close();
});

describe('parseWebhookUrl', () => {
  it('refuses literal private, loopback, link-local and metadata addresses unless private URLs are allowed', () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest', 'http://[::ffff:192.168.0.1]/x']) {
      assert.throws(() => parseWebhookUrl(url, isPublicAddress), /webhook_url: expected a URL on a public address/, url);
      assert.equal(parseWebhookUrl(url, () => true), new URL(url).toString());
    }
  });

  it('accepts public http(s) URLs and treats a blank field as no webhook', () => {
    assert.equal(parseWebhookUrl('https://hooks.example.com/fitroom?x=1', isPublicAddress), 'https://hooks.example.com/fitroom?x=1');
    assert.equal(parseWebhookUrl('   ', isPublicAddress), undefined);
    assert.equal(parseWebhookUrl(undefined, isPublicAddress), undefined);
  });

  it('refuses other schemes, credentials and overlong URLs', () => {
    assert.throws(() => parseWebhookUrl('file:///etc/passwd', () => true), /webhook_url/);
    assert.throws(() => parseWebhookUrl('https://a:b@hooks.example.com/', () => true), /without credentials/);
    assert.throws(() => parseWebhookUrl(`https://hooks.example.com/${'a'.repeat(2100)}`, () => true), /at most 2048 characters/);
  });
});

describe('createWebhookSender', () => {
  const body = '{"event":"job.ended"}';

  it('does not connect to a loopback IP or a name resolving to loopback under the public-only policy', async () => {
    const send = createWebhookSender({ allowed: isPublicAddress, timeoutMs: 5000 });
    const before = receiver.received.length;
    const literal = await send(`${receiver.url}/blocked`, body, {});
    assert.equal(literal.statusCode, null);
    assert.match(literal.error ?? '', /private or loopback address/);
    const port = new URL(receiver.url).port;
    const named = await send(`http://localhost:${port}/blocked`, body, {});
    assert.equal(named.statusCode, null);
    assert.match(named.error ?? '', /private or loopback address/);
    assert.equal(receiver.received.length, before, 'nothing reached the receiver');
  });

  it('posts the body with its headers under the loopback allowance, and follows no redirect', async () => {
    const send = createWebhookSender({ allowed: () => true, timeoutMs: 5000 });
    const ok = await send(`${receiver.url}/ok`, body, { 'x-fitroom-webhook-id': 'job_x' });
    assert.deepEqual(ok, { statusCode: 200, error: null });
    const [hook] = await receiver.waitFor(1, '/ok');
    assert.equal(hook.body, body);
    assert.equal(hook.headers['x-fitroom-webhook-id'], 'job_x');

    receiver.answers.push(302);
    const redirected = await send(`${receiver.url}/moved`, body, {});
    assert.equal(redirected.statusCode, 302, 'a redirect is the attempt\'s answer, not followed');
    assert.equal(receiver.received.filter((r) => r.path === '/moved').length, 1);
  });
});
