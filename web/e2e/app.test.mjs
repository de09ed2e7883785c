// End to end: the built page served by the real `soundlens serve`, in Debian's
// Chromium. Run with `npm run e2e` (see web/README.md for the environment).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { launchBrowser } from './browser.mjs';
import { canvasPixels, pixelDifference } from './canvas.mjs';
import { repeatedWav, toneWav } from './wav-files.mjs';
import { repoDir, startService } from './service.mjs';

const example = resolve(process.env.SOUNDLENS_EXAMPLE ?? join(repoDir, '..', 'shared', 'audio', 'example', 'metro_station-paris.wav'));
const shots = join(import.meta.dirname, 'screenshots');
mkdirSync(shots, { recursive: true });

let service;
let browser;
let page;
const firstLoad = { js: [], transferred: 0, raw: 0, gzip: 0 };

before(async () => {
  service = await startService();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, permissions: ['microphone'] });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

async function waitForHeatmap(classIndex) {
  await page.waitForFunction((index) => {
    const canvas = document.querySelector('[data-testid="heatmap-canvas"]');
    return canvas && canvas.dataset.drawn === 'spectrogram+cam' && (index === undefined || canvas.dataset.classIndex === String(index));
  }, classIndex, { timeout: 30_000 });
}

test('first load: the page and its JavaScript', async () => {
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  page.removeAllListeners('response');
  for (const response of responses) {
    if (!/\.js(\?|$)/.test(response.url())) continue;
    const body = await response.body();
    const sizes = await response.request().sizes();
    firstLoad.js.push(response.url());
    firstLoad.raw += body.length;
    firstLoad.gzip += gzipSync(body, { level: 9 }).length;
    firstLoad.transferred += sizes.responseBodySize;
  }
  console.log(`first load: ${firstLoad.js.length} JS files, ${(firstLoad.raw / 1024).toFixed(1)} KB raw, ` +
    `${(firstLoad.gzip / 1024).toFixed(1)} KB gzipped, ${(firstLoad.transferred / 1024).toFixed(1)} KB transferred`);
  assert.ok(firstLoad.js.length > 0, 'the page loads its scripts');
  assert.ok(firstLoad.gzip <= 300 * 1024, `first-load JS ${firstLoad.gzip} B gzipped exceeds 300 KB`);
  await page.getByText('Accepted: WAV, MP3, OGG/Opus, FLAC, WebM, M4A/AAC').waitFor();
  await shot('01-start');
});

let analysisId;
let firstPixels;

test('upload the example: Train is predicted and the heatmap is drawn', async () => {
  await page.getByTestId('file-input').setInputFiles(example);
  await page.getByTestId('result').waitFor({ timeout: 120_000 });
  analysisId = await page.getByTestId('result').getAttribute('data-analysis-id');
  const labels = await page.getByTestId('prediction-label').allTextContents();
  console.log('predictions:', labels.join(', '));
  assert.ok(labels.includes('Train'), `"Train" among ${labels.join(', ')}`);

  await waitForHeatmap();
  firstPixels = await canvasPixels(page);
  assert.ok(firstPixels.width > 100 && firstPixels.height > 100, 'canvas has a size');
  assert.ok(firstPixels.colours > 200, `canvas is not blank (${firstPixels.colours} colours)`);
  assert.ok(firstPixels.max - firstPixels.min > 60, `canvas has contrast (${firstPixels.min}..${firstPixels.max})`);

  const ms = await page.evaluate(() => performance.getEntriesByName('soundlens:upload-to-heatmap-over-spectrogram')[0]?.duration ?? null);
  const camMs = await page.evaluate(() => performance.getEntriesByName('soundlens:upload-to-heatmap')[0]?.duration ?? null);
  console.log(`upload finished -> heatmap drawn: ${camMs?.toFixed(1)} ms (heatmap), ${ms?.toFixed(1)} ms (over the spectrogram)`);
  // Sanity bounds only: the targets are measured and reported by e2e/measure-performance.mjs.
  assert.ok(camMs !== null && ms !== null, 'the draws were measured');
  assert.ok(camMs < 1000, `drawing the heatmap took ${camMs} ms`);
  assert.ok(ms < 15000, `drawing the spectrogram under it took ${ms} ms`);
  await page.getByTestId('metadata').getByText('mn04_as').waitFor();
  await shot('02-result');
});

test('hover reads time and frequency; clicking seeks', async () => {
  const area = page.getByTestId('spectrogram');
  const box = await area.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8);
  const tooltip = await page.getByTestId('spectrogram-tooltip').textContent();
  assert.match(tooltip, /Time: .*s/);
  assert.match(tooltip, /Frequency: .*Hz/);
  assert.match(tooltip, /Grad-CAM: \d\.\d\d/);
  await shot('03-hover');
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const left = await page.getByTestId('playhead').evaluate((el) => el.style.left);
  assert.ok(Math.abs(parseFloat(left) - 50) < 2, `playhead at ${left}`);
});

test('the playhead follows the audio while it plays', async () => {
  const player = page.getByTestId('audio-player');
  await player.evaluate((audio) => new Promise((resolve, reject) => {
    if (audio.readyState >= 1) resolve();
    audio.addEventListener('loadedmetadata', resolve, { once: true });
    audio.addEventListener('error', () => reject(new Error('the stored audio does not load')), { once: true });
  }));
  const duration = await player.evaluate((audio) => audio.duration);
  assert.ok(Math.abs(duration - 10) < 0.5, `the stored audio lasts ${duration} s`);
  await player.evaluate((audio) => { audio.currentTime = 1; return audio.play(); });
  const before = parseFloat(await page.getByTestId('playhead').evaluate((el) => el.style.left));
  await page.waitForTimeout(1200);
  await player.evaluate((audio) => audio.pause());
  const later = parseFloat(await page.getByTestId('playhead').evaluate((el) => el.style.left));
  assert.ok(later > before + 3, `playhead moved from ${before}% to ${later}%`);
});

// The class whose Grad-CAM map differs most from the first one's, by the API's own numbers.
async function mostDifferentClass(id) {
  const analysis = await (await page.request.get(`${service.url}/api/v1/analyses/${id}`)).json();
  const [first, ...others] = analysis.explanations;
  const distance = (a, b) => a.map.flat().reduce((sum, v, i) => sum + Math.abs(v - (b.map.flat()[i] ?? 0)), 0);
  others.sort((a, b) => distance(b, first) - distance(a, first));
  return others[0];
}

test('switching the explained class changes the heatmap', async () => {
  const target = await mostDifferentClass(analysisId);
  assert.ok(target, 'the analysis explains more than one class');
  const name = new RegExp(`^${target.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, `);
  const button = page.getByTestId('predictions').getByRole('button', { name });
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  await page.getByTestId('explained-class').getByText(target.label, { exact: true }).waitFor();
  await waitForHeatmap(target.index);
  const pixels = await canvasPixels(page);
  const difference = pixelDifference(firstPixels, pixels);
  console.log(`explained ${target.label}: mean pixel difference ${difference.toFixed(2)} (0..255)`);
  assert.ok(difference > 2, `heatmap changed (mean difference ${difference})`);
  await shot('04-other-class');
});

test('the figure can be downloaded as PNG', async () => {
  const href = await page.getByTestId('download-figure').getAttribute('href');
  const response = await page.request.get(new URL(href, service.url).toString());
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'] ?? '', /image\/png/);
});

test('history lists the analysis, and deleting it removes it', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History', exact: true }).click();
  const item = page.locator(`[data-testid="history-item"][data-analysis-id="${analysisId}"]`);
  await item.waitFor();
  assert.match(await item.textContent(), /metro_station-paris\.wav/);
  await shot('05-history');
  await item.getByTestId('history-delete').click();
  await page.getByTestId('confirm-dialog').getByText('Delete this analysis?').waitFor();
  await shot('06-confirm-delete');
  await page.getByTestId('confirm-delete').click();
  await item.waitFor({ state: 'detached' });
  const stored = await page.request.get(`${service.url}/api/v1/analyses/${analysisId}`);
  assert.equal(stored.status(), 404);
});

test('a text file is refused with a human message', async () => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analyse', exact: true }).click();
  await page.getByTestId('file-input').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('These are notes, not a recording.\n'.repeat(20)),
  });
  const alert = page.getByTestId('error-message');
  await alert.waitFor({ timeout: 30_000 });
  assert.match(await alert.textContent(), /not audio we can read/);
  await shot('07-error');
});

test('record 2 s from the (fake) microphone and analyse it', async () => {
  await page.getByTestId('record-start').click();
  await page.getByTestId('record-stop').waitFor();
  // The fake microphone beeps: the meter must move at some point in 2 s.
  let level = 0;
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(100);
    level = Math.max(level, Number(await page.getByTestId('level-meter').getAttribute('aria-valuenow')));
  }
  assert.ok(level > 10, `the level meter moved (max ${level}%)`);
  assert.match(await page.getByTestId('record-timer').textContent(), /0:0[2-9]/);
  await shot('08-recording');
  await page.getByTestId('record-stop').click();
  const title = page.getByTestId('result').locator('h1', { hasText: /^recording-.*\.webm$/ });
  await title.waitFor({ timeout: 120_000 });
  const labels = await page.getByTestId('prediction-label').allTextContents();
  console.log(`recording (max level ${level}%): ${labels.join(', ')}`);
  assert.ok(labels.length > 0, 'the recording got predictions');
  await waitForHeatmap();
  await shot('09-recording-result');
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');
  await page.request.delete(`${service.url}/api/v1/analyses/${id}`);
});

test('a 30 s recording has a timeline, and clicking a window seeks', async () => {
  await page.getByTestId('file-input').setInputFiles({ name: 'metro-30s.wav', mimeType: 'audio/wav', buffer: repeatedWav(example, 3) });
  await page.getByTestId('result').locator('h1', { hasText: 'metro-30s.wav' }).waitFor({ timeout: 120_000 });
  const windows = page.getByTestId('timeline').getByRole('group', { name: 'Windows of the recording' }).getByRole('button');
  await windows.first().waitFor();
  const count = await windows.count();
  assert.ok(count >= 3, `${count} windows for 30 s`);
  await windows.nth(2).click();
  const label = await windows.nth(2).getAttribute('aria-label');
  const start = Number(/Seek to ([\d.]+) s/.exec(label)?.[1]);
  const left = parseFloat(await page.getByTestId('playhead').evaluate((el) => el.style.left));
  assert.ok(Math.abs(left - (start / 30) * 100) < 2, `playhead at ${left}% after seeking to ${start} s`);
  await waitForHeatmap();
  // The class names in the timeline show their heatmaps too.
  const classButton = page.getByTestId('timeline').getByRole('list', { name: 'Classes in the timeline' }).getByRole('button').last();
  const className = (await classButton.textContent()).trim();
  await classButton.click();
  await page.getByTestId('explained-class').getByText(className, { exact: true }).waitFor();
  assert.equal(await classButton.getAttribute('aria-pressed'), 'true');
  await shot('10-timeline');
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');
  await page.request.delete(`${service.url}/api/v1/analyses/${id}`);
});

test('the history pages through more than 20 analyses', async () => {
  const ids = [];
  for (let i = 0; i < 21; i++) {
    const response = await page.request.post(`${service.url}/api/v1/analyses`, {
      multipart: { file: { name: `tone-${i}.wav`, mimeType: 'audio/wav', buffer: toneWav(1, 440 + 20 * i) } },
    });
    assert.equal(response.status(), 201, await response.text());
    ids.push((await response.json()).id);
  }
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History', exact: true }).click();
  await page.getByTestId('history-item').first().waitFor();
  assert.equal(await page.getByTestId('history-item').count(), 20);
  await page.getByRole('navigation', { name: 'History pages' }).getByRole('link', { name: 'Next' }).click();
  await page.waitForURL(/page=2/);
  await page.getByTestId('history-item').first().waitFor();
  const second = await page.getByTestId('history-item').evaluateAll((items) => items.map((el) => el.dataset.analysisId));
  assert.ok(second.length >= 1, 'page 2 lists the older analyses');
  assert.ok(!second.includes(ids[20]), 'the newest analysis is on page 1, not page 2');
  await page.getByText(/Page 2 of \d+/).waitFor();
  for (const id of ids) await page.request.delete(`${service.url}/api/v1/analyses/${id}`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analyse', exact: true }).click();
});

test('phone width: the result stays usable', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('file-input').setInputFiles(example);
  await page.getByTestId('result').locator('h1', { hasText: 'metro_station-paris.wav' }).waitFor({ timeout: 120_000 });
  await waitForHeatmap();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (${overflow} px too wide)`);
  await shot('11-phone');
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');
  await page.request.delete(`${service.url}/api/v1/analyses/${id}`);
});
