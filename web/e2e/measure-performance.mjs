// Measures the two performance targets in Chromium against the real service
// (same environment as the e2e test) and prints them:
//   - first load: JavaScript transferred (and its gzipped size) for /;
//   - upload finished -> heatmap drawn, for the 10 s example (performance.mark
//     in lib/perf.ts), median over several uploads;
//   - zoom and pan steps on a long recording (SOUNDLENS_LONG, default the 90 s
//     file; any length the server accepts): input event -> picture redrawn.
// Usage: node e2e/measure-performance.mjs [runs]
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const runs = Number(process.argv[2] ?? 5);
const example = resolve(process.env.SOUNDLENS_EXAMPLE ?? join(repoDir, '..', 'shared', 'audio', 'example', 'metro_station-paris.wav'));
const long = resolve(process.env.SOUNDLENS_LONG ?? join(repoDir, '..', 'shared', 'audio', 'awkward', '04_long_90s_concat.wav'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function firstLoad(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await page.goto(`${url}/`, { waitUntil: 'networkidle' });
  let transferred = 0;
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const response of responses) {
    if (!/\.js(\?|$)/.test(response.url())) continue;
    const body = await response.body();
    files += 1;
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
    transferred += (await response.request().sizes()).responseBodySize;
  }
  await context.close();
  return { files, raw, gzip, transferred };
}

async function uploadToHeatmap(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/`, { waitUntil: 'networkidle' });
  const cam = [];
  const full = [];
  const ids = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(`${url}/`, { waitUntil: 'networkidle' });
    await page.getByTestId('file-input').setInputFiles(example);
    await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]')?.dataset.drawn === 'spectrogram+cam', null, { timeout: 60_000 });
    const [a, b] = await page.evaluate(() => [
      performance.getEntriesByName('soundlens:upload-to-heatmap')[0]?.duration,
      performance.getEntriesByName('soundlens:upload-to-heatmap-over-spectrogram')[0]?.duration,
    ]);
    cam.push(a);
    full.push(b);
    ids.push(await page.getByTestId('result').getAttribute('data-analysis-id'));
  }
  for (const id of ids) await page.request.delete(`${url}/api/v1/analyses/${id}`);
  await context.close();
  return { cam, full };
}

async function zoomSteps(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('file-input').setInputFiles(long);
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]')?.dataset.drawn === 'spectrogram+cam', null, { timeout: 600_000 });
  const duration = await page.getByTestId('audio-player').evaluate((a) => new Promise((r) => (a.readyState >= 1 ? r(a.duration) : a.addEventListener('loadedmetadata', () => r(a.duration), { once: true }))));
  const area = page.getByTestId('spectrogram');
  const box = await area.boundingBox();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  const steps = [];
  const step = async (action) => {
    const before = await page.evaluate(() => performance.getEntriesByName('soundlens:zoom-step').length);
    await action();
    await page.waitForFunction((n) => performance.getEntriesByName('soundlens:zoom-step').length > n, before);
    steps.push(await page.evaluate(() => performance.getEntriesByName('soundlens:zoom-step').at(-1).duration));
  };
  for (let i = 0; i < 8; i++) await step(() => page.mouse.wheel(0, -300));
  await area.focus();
  for (let i = 0; i < 4; i++) await step(() => page.keyboard.press('PageDown'));
  for (let i = 0; i < 8; i++) await step(() => page.mouse.wheel(0, 300));
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');
  await page.request.delete(`${url}/api/v1/analyses/${id}`);
  await context.close();
  return { duration, steps };
}

const service = await startService();
const browser = await launchBrowser();
try {
  const load = await firstLoad(browser, service.url);
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`first load JS: ${load.files} files, ${kb(load.transferred)} transferred, ${kb(load.raw)} raw, ${kb(load.gzip)} gzipped`);
  const times = await uploadToHeatmap(browser, service.url);
  const ms = (values) => values.map((v) => v.toFixed(0)).join(', ');
  console.log(`upload finished -> heatmap drawn: median ${median(times.cam).toFixed(1)} ms (${ms(times.cam)})`);
  console.log(`upload finished -> heatmap over the spectrogram drawn: median ${median(times.full).toFixed(1)} ms (${ms(times.full)})`);
  const zoom = await zoomSteps(browser, service.url);
  console.log(`zoom/pan steps on ${zoom.duration.toFixed(0)} s: median ${median(zoom.steps).toFixed(1)} ms, max ${Math.max(...zoom.steps).toFixed(1)} ms (${ms(zoom.steps)})`);
} finally {
  await browser.close();
  await service.stop();
}
