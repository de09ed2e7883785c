// End to end, issue 21's "compare any length": comparing two models on a
// 2-minute real mixture (events-dev/dev_1.flac, 120 s, longer than the
// server's 60 s --async-over-s) runs as one job on the server whose stage
// (the model and its place) and progress the page shows as they change, then
// opens the comparison of the two stored analyses; it is followed in the
// comparison view (/compare-models/?job=). Another comparison is cancelled
// there and leaves no analysis; a refused one says the server's reason in its
// message. The real `soundlens serve` with mn04_as and
// yamnet, Debian's Chromium; screenshots at 1280 and 390 px.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const mixture = join(repoDir, '..', 'shared', 'audio', 'events-dev', 'dev_1.flac');
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });

let service;
let browser;

before(async () => {
  service = await startService();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

async function chooseModels(page) {
  await page.getByTestId('compare-toggle').check();
  await page.getByTestId('model-select').selectOption('mn04_as');
  await page.getByTestId('model-select-2').selectOption('yamnet');
}

const total = async () => (await (await fetch(`${service.url}/api/v1/analyses?limit=1`)).json()).total;

test('two models on a 2-minute recording: one job with progress, cancellable, then the comparison', async (t) => {
  const openapi = await (await fetch(`${service.url}/openapi.json`)).json();
  if (!openapi.components?.schemas?.Job?.properties?.compared_ids) {
    t.skip('the server runs no comparison as a job');
    return;
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await chooseModels(page);

  // A refused comparison says the server's own reason in the message itself, not under "Details".
  await page.route('**/api/v1/analyses', (route) =>
    route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'too_long', message: 'the recording lasts 7300 s, longer than the 7200 s this server analyses (--max-duration-s)', status: 422 } }) }),
  );
  await page.getByTestId('file-input').setInputFiles(mixture);
  const refused = page.getByTestId('uploads').getByTestId('error-message');
  await refused.waitFor({ timeout: 30_000 });
  assert.match(await refused.textContent(), /dev_1\.flac.*The service says: The recording lasts 7300 s, longer than the 7200 s this server analyses/);
  await page.unroute('**/api/v1/analyses');
  await refused.getByRole('button', { name: 'Dismiss this message' }).click();

  // Cancelled in the comparison view while it runs: the job ends cancelled and no analysis is left.
  const before = await total();
  await page.getByTestId('file-input').setInputFiles(mixture);
  const running = page.locator('[data-testid="upload-item"][data-phase="job"]');
  await running.waitFor({ timeout: 120_000 });
  const cancelledId = await running.getAttribute('data-job-id');
  await running.getByTestId('upload-follow-comparison').click();
  await page.waitForURL(/\/compare-models\/\?job=[0-9a-f]{32}/);
  await page.getByTestId('compare-job').waitFor({ timeout: 30_000 });
  await page.getByTestId('compare-job-cancel').click();
  await page.getByTestId('compare-job-cancelled').waitFor({ timeout: 30_000 });
  const cancelled = (await (await fetch(`${service.url}/api/v1/jobs/${cancelledId}`)).json()).job;
  assert.equal(cancelled.state, 'cancelled', `the job was cancelled on the server: ${JSON.stringify(cancelled)}`);
  assert.equal(await total(), before, 'a cancelled comparison leaves no analysis');

  // Run to its end: shown in the upload list, then followed in the comparison view, the stage naming the
  // model and its place, the percentage growing, never going back.
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await chooseModels(page);
  await page.getByTestId('file-input').setInputFiles(mixture);
  const item = page.locator('[data-testid="upload-item"][data-phase="job"]');
  await item.waitFor({ timeout: 120_000 });
  assert.match(await item.textContent(), /dev_1\.flac: (queued|mn04_as \(1 of 2\))/);
  await page.screenshot({ path: join(shots, 'compare-job-list-1280.png') });
  await item.getByTestId('upload-follow-comparison').click();
  const view = page.getByTestId('compare-job');
  await view.waitFor({ timeout: 30_000 });
  const seen = new Set();
  const progress = [];
  let shot1280 = false;
  let shot390 = false;
  const comparison = page.getByTestId('model-comparison');
  const until = Date.now() + 600_000;
  while (Date.now() < until && !(await comparison.isVisible())) {
    const text = await view.textContent({ timeout: 1000 }).catch(() => null);
    if (text) {
      const stage = text.match(/(mn04_as \(1 of 2\)|yamnet \(2 of 2\))/);
      if (stage) seen.add(stage[1]);
      const percent = text.match(/(\d+)%/);
      if (percent) progress.push(Number(percent[1]));
      if (stage && !shot1280 && Number(percent?.[1] ?? 0) > 0) {
        await page.screenshot({ path: join(shots, 'compare-job-1280.png') });
        shot1280 = true;
      } else if (shot1280 && !shot390 && stage?.[1].startsWith('yamnet')) {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: join(shots, 'compare-job-390.png') });
        await page.setViewportSize({ width: 1280, height: 900 });
        shot390 = true;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await comparison.waitFor({ timeout: 10_000 });
  assert.ok(seen.has('mn04_as (1 of 2)') && seen.has('yamnet (2 of 2)'), `both models' stages shown: ${[...seen]}`);
  assert.ok(new Set(progress).size >= 3, `the percentage moved: ${progress.slice(0, 40)}`);
  for (let i = 1; i < progress.length; i += 1) assert.ok(progress[i] >= progress[i - 1], `never going back: ${progress}`);
  await page.waitForURL(/\/compare-models\/\?a=[0-9a-f]{32}&b=[0-9a-f]{32}/);
  for (const model of ['mn04_as', 'yamnet']) assert.ok(await page.getByTestId(`compare-top-${model}`).isVisible(), `${model}'s top classes`);
  await page.screenshot({ path: join(shots, 'compare-result-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, 'compare-result-390.png') });
  // One job stored both analyses, named by its compared_ids.
  const jobs = (await (await fetch(`${service.url}/api/v1/jobs`)).json()).items;
  const done = jobs.filter((j) => j.state === 'done');
  assert.equal(done.length, 1, JSON.stringify(jobs).slice(0, 400));
  const url = new URL(page.url());
  assert.deepEqual(done[0].compared_ids, [url.searchParams.get('a'), url.searchParams.get('b')]);
  assert.equal(await total(), before + 2);
  await context.close();
});
