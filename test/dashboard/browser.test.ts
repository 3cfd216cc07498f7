/**
 * The dashboard end to end, in Debian's Chromium driven by playwright-core: a new user signs up,
 * an operator (logged in through a CLI-printed reset link) grants credits and uploads a preset,
 * the user creates a key, runs a try-on and a prompt edit in the studio and sees the result
 * images load, runs a try-on with category auto whose model photo (a loopback URL) is held back
 * and sees the job's real stage (queued) until it is released, then the decided category, finds
 * the calls in usage with their charge, sees the preset in the studio gallery,
 * revokes the key (the API then answers 30001) and logs out. An operator sets a user's per-key
 * limits in the Admin page's form and clears them, and the user's key reports each (GET /v1/account). Every page is screenshotted at 1280
 * and 390 px wide (.e2e/screenshots) and checked with axe-core (no serious or critical violation).
 *
 * Without /usr/bin/chromium the suite is skipped with a message, except under CI (CI=true),
 * where .ci/run installs it and a missing browser is a failure.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb } from '../../web/build.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { REPO_ROOT, createUser, startServer, type StartedServer } from '../helpers/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = join(REPO_ROOT, '.e2e', 'screenshots');
const WIDTHS = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } } as const;
/** How long one browser step may wait for the page, ms (a busy 2-core machine). */
const STEP_MS = 30_000;

const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs the chromium package`);
const skip = missing ? `${CHROMIUM} not installed (apt-get install chromium): dashboard browser tests skipped` : false;

let server: StartedServer;
let browser: Browser;
let files: string;
/** Serves the model photo for the studio's URL input, but only once the test releases it. */
let heldPhoto: { url: string; fetchedByServer: () => boolean; release: () => void; close: () => Promise<void> };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

before(async () => {
  if (skip) return;
  await buildWeb();
  // Private URLs: the studio's URL input fetches the held photo from loopback.
  server = await startServer({ env: { FITROOM_SIGNUP: 'open', FITROOM_TRIAL_CALLS: '0', FITROOM_ALLOW_PRIVATE_URLS: 'true' } });
  heldPhoto = await holdBackServer(await personImage('png', undefined, 2));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // A fresh profile per run; no background networking (the machine has no network but loopback).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    headless: true,
  });
  files = mkdtempSync(join(tmpdir(), 'fitroom-e2e-'));
  writeFileSync(join(files, 'model.png'), await personImage('png'));
  writeFileSync(join(files, 'garment.png'), await garmentImage('png'));
  writeFileSync(join(files, 'preset.png'), await personImage('png', undefined, 3));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

after(async () => {
  heldPhoto?.release();
  await heldPhoto?.close();
  await browser?.close();
  await server?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

/**
 * A loopback server answering every request with `bytes` (a PNG), each only after `release()`;
 * it tells the Fitroom server's download apart from the browser's preview by the User-Agent.
 */
async function holdBackServer(bytes: Buffer): Promise<{ url: string; fetchedByServer: () => boolean; release: () => void; close: () => Promise<void> }> {
  let release!: () => void;
  let fetchedByServer = false;
  const released = new Promise<void>((resolve) => (release = resolve));
  const http: Server = createServer((req, res) => {
    if (!/Chrome/.test(req.headers['user-agent'] ?? '')) fetchedByServer = true;
    void released.then(() => res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(bytes.length), 'access-control-allow-origin': '*' }).end(bytes));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/model.png`,
    fetchedByServer: () => fetchedByServer,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

async function newContext(): Promise<BrowserContext> {
  // bypassCSP: axe-core is injected as an inline script, which the dashboard's CSP rightly refuses.
  const context = await browser.newContext({ viewport: WIDTHS.desktop, bypassCSP: true });
  context.setDefaultTimeout(STEP_MS);
  return context;
}

/** Screenshots at both widths, checks the page does not overflow sideways on a phone, runs axe. */
async function inspect(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  for (const [label, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    // From the top: a full-page shot of a scrolled page draws the sticky header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${name} at ${size.width} px overflows sideways by ${overflow} px`);
  }
  await page.setViewportSize(WIDTHS.desktop);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${name}: axe-core found serious violations: ${JSON.stringify(serious, null, 1)}`);
}

async function go(page: Page, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(`${server.url}/dashboard${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The operator (admin@localhost) sets `password` from a CLI-printed reset link and opens the Admin page. */
async function operatorOnAdminPage(password: string): Promise<{ context: BrowserContext; page: Page }> {
  const reset = await server.admin({ name: 'users reset-password', email: 'admin@localhost' });
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}${reset.path as string}`);
  await page.getByLabel('New password').fill(password);
  await page.getByRole('button', { name: 'Set password and log in' }).click();
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  await go(page, '/admin', 'Admin');
  return { context, page };
}

/** Waits until the result image has loaded real pixels. */
async function resultLoaded(page: Page): Promise<number> {
  const img = page.getByTestId('result-image');
  await img.waitFor();
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="result-image"]') as HTMLImageElement | null;
    return !!el && el.complete && el.naturalWidth > 0;
  });
  return img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
}

test('dashboard: sign up, credits from an operator, keys, studio, usage, presets, revoke, log out', { skip, timeout: 300_000 }, async () => {
  const userEmail = 'shop@example.com';
  const password = 'a long enough passphrase';
  const user = await newContext();
  const page = await user.newPage();

  // Sign-up: / leads to the dashboard, which asks to log in.
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Log in to Fitroom' }).waitFor();
  await inspect(page, 'login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await inspect(page, 'signup');
  await page.getByLabel('Email').fill(userEmail);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();

  // The operator sets a password from the CLI's reset link, then grants credits.
  const { context: admin, page: adminPage } = await operatorOnAdminPage('operator passphrase 1');
  const row = adminPage.getByTestId('user-row').filter({ hasText: userEmail });
  await row.getByLabel(`Credits to grant to ${userEmail}`).fill('25');
  await row.getByRole('button', { name: 'Grant' }).click();
  await row.getByTestId('user-balance').filter({ hasText: '25' }).waitFor();
  // A preset uploaded here appears in everyone's studio.
  await adminPage.getByTestId('preset-file').setInputFiles(join(files, 'preset.png'));
  await adminPage.getByTestId('admin-presets').getByRole('listitem').first().waitFor();
  await inspect(adminPage, 'admin');

  await go(page, '/', 'Welcome back');
  await inspect(page, 'overview');

  // A key, shown once.
  await go(page, '/keys', 'API keys');
  await inspect(page, 'keys-empty');
  await page.getByLabel('Name').fill('Shop backend');
  await page.getByRole('button', { name: 'Create key' }).click();
  const apiKey = (await page.getByTestId('new-api-key').textContent())!.trim();
  assert.match(apiKey, /^fr_[A-Za-z0-9_-]{43}$/);
  await page.getByTestId('key-row').filter({ hasText: 'Shop backend' }).waitFor();
  await inspect(page, 'keys');

  // Studio: a try-on with uploaded images; the result image loads.
  await go(page, '/studio', 'Studio');
  await page.getByTestId('model-presets').getByRole('button').first().waitFor();
  await page.getByTestId('model-file').setInputFiles(join(files, 'model.png'));
  await page.getByTestId('garment-file').setInputFiles(join(files, 'garment.png'));
  await page.getByLabel('Category').selectOption('upper_body');
  await page.getByRole('button', { name: /^Run/ }).click();
  assert.ok((await resultLoaded(page)) > 0);
  assert.match((await page.getByTestId('snippet').textContent())!, /curl --location '.*\/api\/openapi\/change-clothes-ai'[\s\S]*Bearer YOUR_API_KEY/);
  await inspect(page, 'studio-tryon');

  // A prompt edit with a seed.
  await page.getByRole('tab', { name: 'Prompt edit' }).click();
  await page.getByLabel('Prompt', { exact: true }).fill('Help the model change into a red striped shirt.');
  await page.getByLabel('Seed').fill('1234');
  const before = await page.getByTestId('result-image').getAttribute('src');
  await page.getByRole('button', { name: /^Run/ }).click();
  await page.waitForFunction((old) => document.querySelector('[data-testid="result-image"]')?.getAttribute('src') !== old, before);
  assert.ok((await resultLoaded(page)) > 0);
  await page.getByText('seed 1234').waitFor();
  const promptResult = await page.getByTestId('result-image').getAttribute('src');
  await inspect(page, 'studio-prompt');

  // A try-on with category auto, its model photo by URL: the server cannot start the work until
  // the photo arrives, and the studio shows the job's own stage (queued) meanwhile.
  await page.getByRole('tab', { name: 'Try-on' }).click();
  await page.getByLabel('Model photo URL').fill(heldPhoto.url);
  await page.getByRole('button', { name: 'Use', exact: true }).first().click();
  await page.getByLabel('Category').selectOption('auto');
  await page.getByRole('button', { name: /^Run/ }).click();
  const currentStage = page.getByTestId('progress').locator('li[aria-current="step"]');
  // The garment's category is decided first (analysing), then the call waits for its photo.
  const deadline = Date.now() + STEP_MS;
  while (!heldPhoto.fetchedByServer()) {
    assert.ok(Date.now() < deadline, 'the server never asked for the model photo');
    await page.waitForTimeout(50);
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="progress"] li[aria-current="step"]')?.getAttribute('data-stage') === 'queued');
  // Polled several times over: still queued, since the photo has not been sent.
  await page.waitForTimeout(700);
  assert.equal(await currentStage.getAttribute('data-stage'), 'queued');
  assert.equal((await currentStage.textContent())!.trim(), 'Queued');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'studio-progress-desktop.png') });
  heldPhoto.release();
  await page.waitForFunction((old) => document.querySelector('[data-testid="result-image"]')?.getAttribute('src') !== old, promptResult);
  assert.ok((await resultLoaded(page)) > 0);
  await page.getByText(/^auto: (Upper body|Lower body|Dresses)$/).waitFor();
  assert.equal(await page.getByTestId('progress').count(), 0, 'the progress goes once the job has ended');
  assert.match((await page.getByTestId('snippet').textContent())!, /curl --location '.*\/v1\/tryon'[\s\S]*category="auto"/);
  await inspect(page, 'studio-auto');

  // Usage lists the three calls: the studio runs them as jobs, so each is its submission (202,
  // free) and the job's own row (charged one credit). Its polls went through the session: no API
  // calls, no rows. Credits show the ledger.
  await go(page, '/usage', 'Usage');
  const rows = page.getByTestId('usage-row');
  await rows.nth(5).waitFor();
  assert.equal(await rows.count(), 6);
  const jobRows = rows.filter({ hasText: /job_[a-z2-7]+/ });
  assert.equal(await jobRows.count(), 3);
  assert.match((await jobRows.nth(0).textContent())!, /Try-on job/);
  assert.match((await jobRows.nth(1).textContent())!, /Prompt job/);
  assert.match((await jobRows.nth(2).textContent())!, /Try-on job/);
  assert.deepEqual(await jobRows.getByTestId('usage-charge').allTextContents(), ['−1', '−1', '−1']);
  assert.deepEqual(await rows.filter({ hasText: /req_[a-z2-7]+/ }).getByTestId('usage-charge').allTextContents(), ['0', '0', '0']);
  // Each call's result image as a thumbnail, loaded (the usage row records the result it made).
  const thumbnails = page.getByTestId('usage-thumbnail');
  assert.equal(await thumbnails.count(), 3);
  await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="usage-thumbnail"]')).every((img) => img.complete && img.naturalWidth > 0));
  assert.equal(await thumbnails.nth(1).getAttribute('src'), promptResult, 'the second newest call\'s thumbnail is the prompt edit\'s result');
  await inspect(page, 'usage');
  await go(page, '/credits', 'Credits');
  await page.getByTestId('ledger-row').nth(2).waitFor();
  assert.match((await page.getByTestId('ledger-row').first().textContent())!, /charge/);
  await inspect(page, 'credits');
  await go(page, '/docs', 'API reference');
  await page.getByText('/api/openapi/change-clothes-ai').first().waitFor();
  await inspect(page, 'docs');

  // Revoking the key: the API answers 30001 at once.
  await go(page, '/keys', 'API keys');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Revoke Shop backend' }).click();
  await page.getByTestId('key-row').filter({ hasText: 'revoked' }).waitFor();
  const refused = await fetch(`${server.url}/api/openapi/presets`, { headers: { authorization: `Bearer ${apiKey}` } });
  assert.equal(refused.status, 401);
  assert.equal(((await refused.json()) as { code: number }).code, 30001);

  // Log out: back to the log-in page, and the session is gone.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to Fitroom' }).waitFor();
  const session = await page.evaluate(async () => (await (await fetch('/dashboard/api/session')).json()).data.user);
  assert.equal(session, null);
  await user.close();
  await admin.close();
});

interface AccountLimits {
  rateLimit: { perMinute: number; burst: number };
  maxCallsInProgress: number;
}

test('dashboard: an operator sets a user\'s per-key limits on the Admin page, then clears them; GET /v1/account of the user\'s key reports each', { skip, timeout: 180_000 }, async () => {
  const shop = await createUser(server, { email: 'limits@example.com' });
  const account = async (): Promise<AccountLimits> => {
    const res = await fetch(`${server.url}/v1/account`, { headers: { authorization: `Bearer ${shop.apiKey}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { data: AccountLimits }).data;
  };
  const defaults = await account();
  const chosen = { perMinute: 120, burst: 7, inProgress: 3 };
  assert.notDeepEqual([defaults.rateLimit.perMinute, defaults.rateLimit.burst, defaults.maxCallsInProgress], [chosen.perMinute, chosen.burst, chosen.inProgress]);

  const { context: admin, page } = await operatorOnAdminPage('operator passphrase 2');

  const form = page.getByTestId('limits-form');
  await page.getByLabel('User', { exact: true }).selectOption({ label: shop.email });
  await form.getByLabel('Calls a minute').fill(String(chosen.perMinute));
  await form.getByLabel('Burst').fill(String(chosen.burst));
  await form.getByLabel('Calls in progress').fill(String(chosen.inProgress));
  await form.getByRole('button', { name: 'Save limits' }).click();
  await page.getByTestId('limits-saved').filter({ hasText: `${chosen.perMinute} calls a minute` }).waitFor();
  const set = await account();
  assert.deepEqual([set.rateLimit.perMinute, set.rateLimit.burst, set.maxCallsInProgress], [chosen.perMinute, chosen.burst, chosen.inProgress]);
  await inspect(page, 'admin-limits');

  // Back on the configured defaults: the fields empty, the key's limits the server's own again.
  await form.getByRole('button', { name: 'Use the defaults' }).click();
  await page.getByTestId('limits-saved').filter({ hasText: `bursts of ${defaults.rateLimit.burst},` }).waitFor();
  assert.equal(await form.getByLabel('Calls in progress').inputValue(), '');
  const cleared = await account();
  assert.deepEqual([cleared.rateLimit.perMinute, cleared.rateLimit.burst, cleared.maxCallsInProgress], [defaults.rateLimit.perMinute, defaults.rateLimit.burst, defaults.maxCallsInProgress]);
  await admin.close();
});
