// End to end, issue 21's "compare any length": on a server that compares at
// once only up to 5 s (--async-over-s 5), comparing two models on the 10 s
// metro example runs each model as a job whose stage and progress the page
// shows, then opens the two stored analyses' comparison. The real `soundlens
// serve` with mn04_as and yamnet, Debian's Chromium.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const example = join(repoDir, '..', 'shared', 'audio', 'example', 'metro_station-paris.wav');
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });

let service;
let browser;

before(async () => {
  service = await startService({ serveArgs: ['--async-over-s', '5'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

test('a comparison longer than the server compares at once: each model as a job with progress, then the comparison', async (t) => {
  const openapi = await (await fetch(`${service.url}/openapi.json`)).json();
  if (!openapi.paths['/api/v1/analyses']?.post?.requestBody?.content?.['multipart/form-data']?.schema?.properties?.models) {
    t.skip('the server has no models= on POST /api/v1/analyses');
    return;
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('compare-toggle').check();
  await page.getByTestId('model-select').selectOption('mn04_as');
  await page.getByTestId('model-select-2').selectOption('yamnet');
  await page.getByTestId('file-input').setInputFiles(example);

  // The jobs are shown as they run: the model and its place, a progress bar.
  const item = page.locator('[data-testid="upload-item"][data-phase="job"]');
  await item.waitFor({ timeout: 120_000 });
  assert.match(await item.textContent(), /(mn04_as \(1 of 2\)|yamnet \(2 of 2\))/);
  await page.screenshot({ path: join(shots, 'compare-jobs-1280.png') });

  await page.getByTestId('model-comparison').waitFor({ timeout: 300_000 });
  await page.waitForURL(/\/compare-models\/\?a=[0-9a-f]{32}&b=[0-9a-f]{32}/);
  for (const model of ['mn04_as', 'yamnet']) assert.ok(await page.getByTestId(`compare-top-${model}`).isVisible(), `${model}'s top classes`);
  assert.match(await page.getByTestId('compare-verdict').textContent(), /mn04_as hears Train/);
  // Two analyses were stored, one per model, by jobs.
  const jobs = await (await fetch(`${service.url}/api/v1/jobs`)).json();
  const done = (jobs.items ?? jobs.jobs ?? []).filter((j) => j.state === 'done');
  assert.ok(done.length >= 2, `two finished jobs: ${JSON.stringify(jobs).slice(0, 300)}`);
  await context.close();
});
