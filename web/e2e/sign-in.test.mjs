// End to end, with authentication required: the real `soundlens serve --auth
// required`, a user added with a password through the CLI (stdin), and the
// built page in Debian's Chromium: the sign-in form (screenshots at 1280 and
// 390 px), a wrong password, signing in, the cookie's flags, an upload (a
// write: it carries the CSRF token), a reload keeping the session, sign-out.
// Run with `npm run e2e:sign-in` after `npm run build` and building soundlens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const example = resolve(process.env.SOUNDLENS_EXAMPLE ?? join(repoDir, '..', 'shared', 'audio', 'example', 'metro_station-paris.wav'));
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });
const PASSWORD = 'a long e2e password';

let service;
let browser;

function addUser(bin, dataDir) {
  const run = spawnSync(bin, ['users', 'add', 'ann', '--password-stdin', '--data-dir', dataDir], { input: `${PASSWORD}\n`, encoding: 'utf8' });
  assert.equal(run.status, 0, `users add failed: ${run.stderr}`);
  assert.match(run.stdout, /may sign in on the web/);
}

before(async () => {
  service = await startService({ serveArgs: ['--auth', 'required'], prepare: addUser });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

test('the sign-in form at 1280 and 390 px', async () => {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(service.url);
    await page.getByTestId('sign-in-form').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('file-input').count(), 0, 'no upload before signing in');
    await page.screenshot({ path: join(shots, `sign-in-${width}.png`), fullPage: true });
    // The form fits: no horizontal scrolling.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the viewport by ${overflow} px at ${width}`);
    await context.close();
  }
});

test('sign in, upload, reload, sign out', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(service.url);
  const form = page.getByTestId('sign-in-form');
  await form.waitFor({ timeout: 30_000 });

  // A wrong password: a clear message, still the form.
  await page.getByLabel('Name').fill('ann');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Wrong name or password.').waitFor({ timeout: 10_000 });

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in').getByText('ann').waitFor({ timeout: 10_000 });

  const [cookie] = (await context.cookies()).filter((c) => c.name === 'soundlens_session');
  assert.ok(cookie, 'the session cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/');
  assert.equal(await page.evaluate(() => document.cookie.includes('soundlens_session')), false, 'the page cannot read it');

  // An upload is a write by cookie: it works only with the CSRF token the page keeps.
  await page.getByTestId('file-input').setInputFiles(example);
  await page.getByTestId('result').waitFor({ timeout: 180_000 });
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');
  assert.match(id ?? '', /^[0-9a-f]{32}$/);
  await page.screenshot({ path: join(shots, 'signed-in-result-1280.png') });

  // After a reload the cookie still signs in; the token is asked again.
  await page.reload();
  await page.getByTestId('signed-in').getByText('ann').waitFor({ timeout: 10_000 });
  await page.getByTestId('result').waitFor({ timeout: 60_000 });

  // Sign out: the form again, and the old cookie no longer works.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await form.waitFor({ timeout: 10_000 });
  const status = await page.evaluate(async () => (await fetch('/api/v1/analyses')).status);
  assert.equal(status, 401);
  const old = await fetch(`${service.url}/api/v1/analyses`, { headers: { Cookie: `soundlens_session=${cookie.value}` } });
  assert.equal(old.status, 401);
  await context.close();
});
