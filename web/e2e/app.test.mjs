// End to end: the built page served by the real `soundlens serve`, in Debian's
// Chromium. Run with `npm run e2e` (see web/README.md for the environment).
// Steps for features whose server route is missing check that the page says
// so (reading the server's own /openapi.json), and are reported as skipped.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { launchBrowser } from './browser.mjs';
import { canvasPixels, pixelDifference } from './canvas.mjs';
import { repeatedWav, toneWav } from './wav-files.mjs';
import { repoDir, startService } from './service.mjs';

const shared = join(repoDir, '..', 'shared', 'audio');
const example = resolve(process.env.SOUNDLENS_EXAMPLE ?? join(shared, 'example', 'metro_station-paris.wav'));
const long90 = join(shared, 'awkward', '04_long_90s_concat.wav');
const short03 = join(shared, 'awkward', '03_short_0p3s_door_knock.wav');
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });

let service;
let browser;
let context;
let page;
let caps;
const caughtErrors = [];

// The same reading of /openapi.json as lib/capabilities.ts.
function capabilitiesOf(spec) {
  const A = '/api/v1/analyses/{id}';
  const op = (path, method = 'get') => spec.paths?.[path]?.[method];
  const param = (path, name) => op(path)?.parameters?.find((p) => p.name === name && p.in === 'query');
  return {
    methods: param(`${A}/explanation`, 'method') ? (param(`${A}/explanation`, 'method').schema?.enum ?? ['gradcam', 'layercam']) : ['gradcam'],
    defaultMethod: param(`${A}/explanation`, 'method')?.schema?.default ?? 'gradcam',
    contrast: !!param(`${A}/explanation`, 'contrast'),
    sanity: !!param(`${A}/explanation`, 'sanity'),
    faithfulness: !!param(`${A}/explanation`, 'faithfulness'),
    listen: !!op(`${A}/explanation.wav`),
    span: !!param(`${A}/spectrogram`, 'start_s'),
    exports: ['events.csv', 'raven.txt', 'labels.txt', 'report.pdf'].filter((k) => op(`${A}/${k}`)),
    jobs: !!op('/api/v1/jobs/{id}/events'),
    compareModels: !!op('/api/v1/analyses', 'post')?.requestBody?.content?.['multipart/form-data']?.schema?.properties?.models,
  };
}

before(async () => {
  service = await startService();
  caps = capabilitiesOf(await (await fetch(`${service.url}/openapi.json`)).json());
  console.log('server capabilities:', JSON.stringify(caps));
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 900 }, permissions: ['microphone'], acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  // Errors the page's error boundary caught ("This part of the page could not be shown"): app/error.tsx logs them.
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('soundlens page error')) caughtErrors.push(m.text().slice(0, 300));
  });
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

const shot = (name, fullPage = true) => page.screenshot({ path: join(shots, `${name}.png`), fullPage });
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const canvasData = () => page.getByTestId('heatmap-canvas').evaluate((c) => ({ ...c.dataset }));

async function waitForHeatmap(classIndex, extra = {}) {
  await page.waitForFunction(([index, want]) => {
    const canvas = document.querySelector('[data-testid="heatmap-canvas"]');
    if (!canvas || canvas.dataset.drawn !== 'spectrogram+cam') return false;
    if (index !== undefined && index !== null && canvas.dataset.classIndex !== String(index)) return false;
    return Object.entries(want).every(([k, v]) => canvas.dataset[k] === v);
  }, [classIndex, extra], { timeout: 60_000 });
}

async function uploadAndWait(files, title) {
  await page.getByTestId('file-input').setInputFiles(files);
  await page.getByTestId('result').locator('h1', { hasText: title }).waitFor({ timeout: 180_000 });
  await waitForHeatmap();
  return page.getByTestId('result').getAttribute('data-analysis-id');
}

const remove = (id) => page.request.delete(`${service.url}/api/v1/analyses/${id}`);

test('the committed openapi snapshot (the source of the generated types) matches the server', async (t) => {
  const routes = (spec) => Object.entries(spec.paths ?? {}).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) =>
    `${m.toUpperCase()} ${path} ${(op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort().join(',')}`));
  const snapshot = new Set(routes(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'lib', 'generated', 'openapi.json'), 'utf8'))));
  const live = new Set(routes(await (await fetch(`${service.url}/openapi.json`)).json()));
  const added = [...live].filter((r) => !snapshot.has(r));
  const gone = [...snapshot].filter((r) => !live.has(r));
  if (added.length || gone.length) {
    // The server grows while the page is built against it: report, and ask for `npm run openapi:snapshot`.
    console.log(`openapi drift (run npm run openapi:snapshot): new ${JSON.stringify(added)}, gone ${JSON.stringify(gone)}`);
    t.skip('the server differs from the committed snapshot');
  }
});

test('first load: the page, its JavaScript and the notice', async () => {
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  page.removeAllListeners('response');
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const response of responses) {
    if (!/\.js(\?|$)/.test(response.url())) continue;
    const body = await response.body();
    files += 1;
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  console.log(`first load: ${files} JS files, ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzipped`);
  assert.ok(files > 0, 'the page loads its scripts');
  assert.ok(gzip <= 300 * 1024, `first-load JS ${gzip} B gzipped exceeds 300 KB`);
  await page.getByText('Accepted: WAV, MP3, OGG/Opus, FLAC, WebM, M4A/AAC').waitFor();
  assert.match(await page.getByTestId('decision-notice').textContent(), /Decision support, not a diagnosis/);
  assert.ok(await page.getByTestId('decision-notice').isVisible());
  await shot('01-start');
});

let analysisId;
let firstPixels;

test('upload the example: Train is predicted, the map is drawn, the notice stays visible', async () => {
  analysisId = await uploadAndWait(example, 'metro_station-paris.wav');
  const labels = await page.getByTestId('prediction-label').allTextContents();
  console.log('predictions:', labels.join(', '));
  assert.ok(labels.includes('Train'), `"Train" among ${labels.join(', ')}`);
  firstPixels = await canvasPixels(page);
  assert.ok(firstPixels.width > 100 && firstPixels.height > 100, 'canvas has a size');
  assert.ok(firstPixels.colours > 200, `canvas is not blank (${firstPixels.colours} colours)`);
  assert.ok(firstPixels.max - firstPixels.min > 60, `canvas has contrast (${firstPixels.min}..${firstPixels.max})`);
  const camMs = await page.evaluate(() => performance.getEntriesByName('soundlens:upload-to-heatmap')[0]?.duration ?? null);
  console.log(`upload finished -> map drawn: ${camMs?.toFixed(1)} ms`);
  assert.ok(camMs !== null && camMs < 1000, `drawing the map took ${camMs} ms`);
  // The y-axis is in Hz from the start, and its lowest label stays clear of the time axis.
  const hz = await page.getByTestId('frequency-axis').allTextContents();
  assert.match(hz.join(' '), /Hz/);
  assert.doesNotMatch(hz.join(' '), /bin/);
  const lowest = await page.getByTestId('frequency-axis').locator('span').first().boundingBox();
  const zero = await page.getByTestId('time-axis').locator('span').first().boundingBox();
  assert.ok(lowest.y + lowest.height <= zero.y || lowest.x + lowest.width <= zero.x, 'the lowest Hz label and the first time label do not overlap');
  await page.mouse.wheel(0, 600);
  assert.ok(await page.getByTestId('decision-notice').isVisible(), 'the notice is visible after scrolling');
  await shot('02-result');
});

test('hover reads time, Hz and the map value; clicking plays from there', async () => {
  const area = page.getByTestId('spectrogram');
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8);
  const tooltip = await page.getByTestId('spectrogram-tooltip').textContent();
  assert.match(tooltip, /Time: \d+:\d\d\.\d\d/);
  assert.match(tooltip, /Frequency: .*Hz/);
  assert.match(tooltip, /Grad-CAM: \d\.\d\d/);
  await shot('03-hover', false);
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
  await player.evaluate((audio) => { audio.currentTime = 1; return audio.play(); });
  const before = parseFloat(await page.getByTestId('playhead').evaluate((el) => el.style.left));
  await page.waitForTimeout(1200);
  await player.evaluate((audio) => audio.pause());
  const later = parseFloat(await page.getByTestId('playhead').evaluate((el) => el.style.left));
  assert.ok(later > before + 3, `playhead moved from ${before}% to ${later}%`);
});

test('switching the explained class changes the map', async () => {
  const analysis = await (await page.request.get(`${service.url}/api/v1/analyses/${analysisId}`)).json();
  // The predictions' own maps (uploads also explain the classes events are placed for).
  const shown = new Set(analysis.predictions.map((p) => p.index));
  const [first, ...others] = analysis.explanations.filter((e) => shown.has(e.index));
  const distance = (a, b) => a.map.flat().reduce((sum, v, i) => sum + Math.abs(v - (b.map.flat()[i] ?? 0)), 0);
  others.sort((a, b) => distance(b, first) - distance(a, first));
  const target = others[0];
  const button = page.getByTestId('predictions').getByRole('button', { name: new RegExp(`^${escape(target.label)}, `) });
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  await page.getByTestId('explained-class').getByText(target.label, { exact: true }).waitFor();
  await waitForHeatmap(target.index);
  const difference = pixelDifference(firstPixels, await canvasPixels(page));
  console.log(`explained ${target.label}: mean pixel difference ${difference.toFixed(2)}`);
  assert.ok(difference > 2, `map changed (mean difference ${difference})`);
});

test('the PNG download is the picture on screen', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-figure').click()]);
  const png = readFileSync(await download.path());
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const canvas = await canvasPixels(page);
  assert.ok(width > canvas.width && height > canvas.height, `PNG ${width}x${height} holds the ${canvas.width}x${canvas.height} canvas and its axes`);
  // The canvas pixels are in the PNG unchanged: compare a row in the middle.
  const same = await page.evaluate(async ([bytes, cw, ch]) => {
    const image = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    const c = document.createElement('canvas');
    c.width = image.width;
    c.height = image.height;
    const x = c.getContext('2d');
    x.drawImage(image, 0, 0);
    const source = document.querySelector('[data-testid="heatmap-canvas"]').getContext('2d').getImageData(0, Math.floor(ch / 2), cw, 1).data;
    // Find the canvas inside the PNG: the left margin is the axis, the top margin the title.
    for (let top = 0; top < image.height - ch; top++) {
      for (const left of [56, 112]) {
        const row = x.getImageData(left, top + Math.floor(ch / 2), cw, 1).data;
        let diff = 0;
        for (let i = 0; i < row.length; i++) diff += Math.abs(row[i] - source[i]);
        if (diff / row.length < 1) return true;
      }
    }
    return false;
  }, [[...png], canvas.width, canvas.height]);
  assert.ok(same, 'the canvas pixels appear unchanged in the PNG');
  console.log(`PNG download: ${width}x${height}`);
});

test('cells mode draws the true grid; the read-out gives the cell band in Hz and its time span', async () => {
  await page.getByTestId('cells-toggle').check();
  await waitForHeatmap(undefined, { cells: '1' });
  const box = await page.getByTestId('spectrogram').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  const cell = await page.getByTestId('cell-readout').textContent();
  assert.match(cell, /Cell: [\d.]+ k?Hz–[\d.]+ k?Hz, \d+:\d\d\.\d\d–\d+:\d\d\.\d\d/);
  console.log(`cell read-out: ${cell}`);
  await shot('04-cells', false);
  await page.getByTestId('cells-toggle').uncheck();
  await remove(analysisId);
});

let longId;

test('the 90 s file: probability lanes, zoom and pan by wheel, keyboard, minimap; each step redraws in <= 100 ms', async () => {
  longId = await uploadAndWait(long90, '04_long_90s_concat.wav');
  const lanes = page.getByTestId('probability-lane');
  assert.ok(await lanes.count() >= 3, 'one lane per shown class');
  const area = page.getByTestId('spectrogram');
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  await page.mouse.move(box.x + box.width * 0.03, box.y + box.height * 0.5);
  const steps = [];
  for (let i = 0; i < 5; i++) {
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((n) => performance.getEntriesByName('soundlens:zoom-step').length > n, steps.length);
    steps.push(await page.evaluate(() => performance.getEntriesByName('soundlens:zoom-step').at(-1).duration));
  }
  let data = await canvasData();
  const span = Number(data.viewEnd) - Number(data.viewStart);
  assert.ok(span < 30, `the wheel zoomed in to ${span.toFixed(1)} s`);
  // Keyboard: + zooms, PageDown pans, 0 shows all.
  await area.focus();
  const startBefore = Number(data.viewStart);
  await page.keyboard.press('PageDown');
  await page.waitForFunction((s) => Number(document.querySelector('[data-testid="heatmap-canvas"]').dataset.viewStart) > s, startBefore);
  steps.push(await page.evaluate(() => performance.getEntriesByName('soundlens:zoom-step').at(-1).duration));
  // Drag pans back.
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  data = await canvasData();
  console.log(`zoom/pan steps: ${steps.map((s) => s.toFixed(1)).join(', ')} ms; view ${data.viewStart}-${data.viewEnd} s`);
  const sorted = [...steps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  assert.ok(median <= 100, `zoom steps redraw within 100 ms (median ${median.toFixed(1)})`);
  // The worst step is held to 100 ms only on a machine that is not oversubscribed (load above its cores slows every task).
  const [load] = loadavg();
  if (load <= cpus().length) assert.ok(sorted.at(-1) <= 100, `every zoom step within 100 ms (${sorted.at(-1).toFixed(1)})`);
  else console.log(`load average ${load.toFixed(1)} on ${cpus().length} cores: worst step ${sorted.at(-1).toFixed(1)} ms not asserted`);
  await shot('05-zoomed', false);
  // The minimap moves the view.
  await page.getByTestId('minimap').scrollIntoViewIfNeeded();
  const mini = await page.getByTestId('minimap').boundingBox();
  await page.mouse.click(mini.x + mini.width * 0.1, mini.y + mini.height / 2);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="heatmap-canvas"]').dataset.viewEnd) < 20);
  await area.focus();
  await page.keyboard.press('0');
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]').dataset.viewEnd === '90.000');
  await area.scrollIntoViewIfNeeded();
  // A lane's name shows its class's map.
  const laneButton = lanes.nth(2).getByRole('button');
  const laneClass = await lanes.nth(2).getAttribute('data-class-index');
  await laneButton.click();
  await waitForHeatmap(laneClass);
});

test('shift+drag selects a span; "Play" plays it and stops at its end', async () => {
  const area = page.getByTestId('spectrogram');
  await area.focus();
  await page.keyboard.press('0');
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]').dataset.viewEnd === '90.000');
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  await page.getByTestId('audio-player').evaluate((a) => {
    a.pause();
    window.__played = false;
    a.addEventListener('play', () => { window.__played = true; }, { once: true });
  });
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.22, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.getByTestId('selection').waitFor();
  const play = page.getByTestId('play-selection');
  const [from, to] = [Number(await play.getAttribute('data-start')), Number(await play.getAttribute('data-end'))];
  assert.ok(to > from, `a selection ${from}-${to} s`);
  await page.getByTestId('play-selection').click();
  await page.waitForFunction(() => window.__played, null, { timeout: 5000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="audio-player"]').paused, null, { timeout: 15_000 });
  const at = await page.getByTestId('audio-player').evaluate((a) => a.currentTime);
  assert.ok(at >= to - 0.05 && at <= to + 1, `playback stopped at ${at.toFixed(2)} s, the selection ends at ${to} s`);
});

test('zooming to 2 s fetches the spectrogram of the span at full resolution', async (t) => {
  const area = page.getByTestId('spectrogram');
  await area.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('+');
  await page.waitForFunction(() => {
    const d = document.querySelector('[data-testid="heatmap-canvas"]').dataset;
    return Number(d.viewEnd) - Number(d.viewStart) < 2;
  });
  if (!caps.span) {
    assert.match(await page.getByTestId('view-range').textContent(), /not available on this server/);
    t.skip('this server has no spectrogram spans (start_s/end_s)');
    return;
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]').dataset.spectrogramSource === 'span', null, { timeout: 30_000 });
  const data = await canvasData();
  console.log(`zoomed to ${data.viewStart}-${data.viewEnd} s: ${data.secondsPerColumn} s per column`);
  assert.ok(Number(data.secondsPerColumn) <= 0.011, `one column per frame (${data.secondsPerColumn} s)`);
  await shot('06-full-resolution', false);
});

test('any class: search the ontology, pin Cough (kept in the URL), see its lane and map', async () => {
  await page.getByTestId('zoom-all').click().catch(() => undefined);
  await page.getByTestId('class-search-input').fill('respiratory');
  const group = page.getByTestId('class-search-results').getByRole('group', { name: 'Respiratory sounds' });
  await group.waitFor();
  const names = await group.getByRole('listitem').allTextContents();
  for (const name of ['Cough', 'Sneeze', 'Wheeze', 'Snoring', 'Breathing']) assert.ok(names.some((n) => n.startsWith(name)), `${name} is under Respiratory sounds`);
  await group.getByRole('button', { name: 'Pin Cough' }).click();
  await page.waitForURL(/pin=47/);
  await waitForHeatmap(47);
  await page.locator('[data-testid="probability-lane"][data-class-index="47"]').waitFor();
  await shot('07-pinned-cough');
  await page.reload();
  await page.getByTestId('pinned-classes').getByText('Cough').waitFor({ timeout: 60_000 });
  await waitForHeatmap(47);
});

test('events: Cough near 0-5 s and near 70-75 s; counts; a row zooms and plays', async (t) => {
  // Analyse again with Cough pinned, so its events and curve cover every window.
  const reanalyse = page.getByTestId('reanalyse-pinned');
  if (await reanalyse.count()) {
    await reanalyse.click();
    await page.waitForFunction((old) => {
      const r = document.querySelector('[data-testid="result"]');
      return r && r.dataset.analysisId !== old;
    }, longId, { timeout: 180_000 });
    await remove(longId);
    longId = await page.getByTestId('result').getAttribute('data-analysis-id');
    await waitForHeatmap();
  }
  const analysis = await (await page.request.get(`${service.url}/api/v1/analyses/${longId}`)).json();
  const tracked = analysis.timeline.every((w) => (w.classes ?? []).some((c) => c.index === 47));
  console.log(`Cough pinned: ${JSON.stringify(analysis.classes ?? null)}; in every timeline window: ${tracked}`);
  if (!Array.isArray(analysis.events)) {
    await page.getByTestId('events-unavailable').waitFor();
    t.skip('this server sends no events');
    return;
  }
  const table = page.getByRole('table', { name: 'Events' });
  await table.waitFor();
  await page.getByTestId('event-class-filter').selectOption('Cough');
  const rows = await table.getByTestId('event-row').allTextContents();
  console.log(`Cough events: ${rows.join(' | ')}`);
  const onsets = await table.getByTestId('event-row').evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.onsetS)));
  assert.ok(onsets.some((s) => s >= 0 && s <= 5), `a cough near 0-5 s (${onsets})`);
  assert.ok(onsets.some((s) => s >= 68 && s <= 75), `a cough near 70-75 s (${onsets})`);
  await page.getByTestId('event-counts').getByText(/Cough/).waitFor();
  await table.getByTestId('event-row').last().click();
  const data = await canvasData();
  assert.ok(Number(data.viewStart) > 60, `zoomed to the event (${data.viewStart}-${data.viewEnd})`);
  await page.waitForFunction(() => !document.querySelector('[data-testid="audio-player"]').paused, null, { timeout: 5000 });
  await shot('08-events');
});

test('methods: the picker switches the map, or says the server has only Grad-CAM', async (t) => {
  if (caps.methods.length < 2) {
    await page.getByTestId('methods-unavailable').waitFor();
    assert.ok(await page.getByTestId('method-picker').isDisabled());
    t.skip('this server has only Grad-CAM');
    return;
  }
  const other = caps.methods.find((m) => m !== caps.defaultMethod && m !== 'grad-cam');
  await page.getByTestId('method-picker').selectOption(other);
  await waitForHeatmap(undefined, { method: other });
  await shot('09-method');
});

test('trust: faithfulness against a random map, and the sanity check', async (t) => {
  if (!caps.faithfulness) {
    await page.getByTestId('faithfulness-unavailable').waitFor();
  } else {
    await page.getByTestId('faithfulness').waitFor({ timeout: 120_000 });
    assert.match(await page.getByTestId('faithfulness').textContent(), /Faithfulness score \d\.\d\d/);
    await page.getByTestId('faithfulness-plot').waitFor();
  }
  if (!caps.sanity) {
    assert.ok(await page.getByTestId('sanity-button').isDisabled());
  } else {
    await page.getByTestId('sanity-button').click();
    await page.getByTestId('sanity-result').waitFor({ timeout: 180_000 });
  }
  await shot('10-trust');
  if (!caps.faithfulness || !caps.sanity) t.skip(`not on this server: ${[!caps.faithfulness && 'faithfulness', !caps.sanity && 'sanity'].filter(Boolean).join(', ')}`);
});

test('listen: "what the model used" plays audio', async (t) => {
  if (!caps.listen) {
    await page.getByTestId('listen-unavailable').waitFor();
    t.skip('this server has no explanation.wav');
    return;
  }
  await page.getByTestId('listen-kept').click();
  await page.waitForFunction(() => {
    const a = document.querySelector('[data-testid="listen-audio"]');
    return a && !a.paused && a.currentTime > 0.2;
  }, null, { timeout: 60_000 });
  await page.getByTestId('listen-audio').evaluate((a) => a.pause());
});

test('exports download and parse', async (t) => {
  if (caps.exports.length === 0) {
    await page.getByTestId('exports-unavailable').waitFor();
    t.skip('this server has no exports');
    return;
  }
  for (const kind of caps.exports) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${kind}`).click()]);
    const body = readFileSync(await download.path());
    if (kind === 'report.pdf') assert.equal(body.subarray(0, 5).toString('ascii'), '%PDF-');
    else {
      const lines = body.toString('utf8').trim().split(/\r?\n/);
      const sep = kind === 'events.csv' ? ',' : '\t';
      const width = lines[0].split(sep).length;
      assert.ok(width >= 3, `${kind}: at least 3 columns`);
      if (kind !== 'labels.txt') assert.ok(lines.slice(1).every((l) => l.split(sep).length >= width - 1), `${kind}: rows as wide as the header`);
      else assert.ok(lines.every((l, i) => (i % 2 ? /^\\\t[\d.]+\t[\d.]+$/ : /^[\d.]+\t[\d.]+\t/).test(l)), 'labels.txt: start, end, label, then \\, low Hz, high Hz');
    }
    console.log(`export ${kind}: ${body.length} bytes`);
  }
  if (caps.exports.length < 4) t.skip(`missing on this server: ${4 - caps.exports.length} export(s)`);
});

test('the 0.3 s clip: one time column, drawn as cells, and the guide says why', async () => {
  await remove(longId);
  const id = await uploadAndWait(short03, '03_short_0p3s_door_knock.wav');
  await page.getByTestId('short-clip-note').waitFor();
  assert.equal((await canvasData()).cells, '1');
  assert.ok(await page.getByTestId('cells-toggle').isDisabled());
  await shot('11-short-clip');
  await remove(id);
});

test('a text file is refused with a message that names it', async () => {
  await page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('These are notes, not a recording.\n'.repeat(20)) });
  const alert = page.getByTestId('error-message');
  await alert.waitFor({ timeout: 30_000 });
  const text = await alert.textContent();
  assert.match(text, /“notes\.txt”/);
  assert.match(text, /not audio we can read/);
  await shot('12-error');
});

test('a batch: each file shows its progress, then the combined events', async () => {
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('file-input').setInputFiles([
    { name: 'tone-a.wav', mimeType: 'audio/wav', buffer: toneWav(2, 440) },
    { name: 'tone-b.wav', mimeType: 'audio/wav', buffer: toneWav(2, 880) },
  ]);
  const items = page.getByTestId('upload-item');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="upload-item"][data-phase="done"]').length === 2, null, { timeout: 120_000 });
  assert.equal(await items.count(), 2);
  await page.getByText(/Events in 2 files/).waitFor();
  await shot('13-batch');
  const ids = await page.getByTestId('upload-open').evaluateAll((as) => as.map((a) => new URL(a.href).searchParams.get('id')));
  for (const id of ids) await remove(id);
  // A folder: its audio files are analysed, anything else in it is skipped.
  const folder = mkdtempSync(join(tmpdir(), 'soundlens-folder-'));
  writeFileSync(join(folder, 'tone-d.wav'), toneWav(1, 500));
  writeFileSync(join(folder, 'tone-e.wav'), toneWav(1, 700));
  writeFileSync(join(folder, 'readme.txt'), 'not audio');
  try {
    await page.getByTestId('folder-input').setInputFiles(folder);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="upload-item"][data-phase="done"]').length === 2, null, { timeout: 120_000 });
    const names = await page.getByTestId('upload-item').allTextContents();
    assert.ok(names.some((n) => n.includes('tone-d.wav')) && names.some((n) => n.includes('tone-e.wav')) && !names.some((n) => n.includes('readme')), names.join(' | '));
    const more = await page.getByTestId('upload-open').evaluateAll((as) => as.map((a) => new URL(a.href).searchParams.get('id')));
    // Opening one file's result from the batch shows it.
    await page.getByTestId('upload-open').first().click();
    await page.getByTestId('result').waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('result').getAttribute('data-analysis-id'), more[0]);
    for (const id of more) await remove(id);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a 10-minute upload shows moving progress and can be cancelled', async (t) => {
  if (!caps.jobs) {
    t.skip('this server has no jobs');
    return;
  }
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  // Playwright passes buffers over 50 MB only as files.
  const long = join(mkdtempSync(join(tmpdir(), 'soundlens-e2e-')), 'metro-10min.wav');
  writeFileSync(long, repeatedWav(example, 60));
  await page.getByTestId('file-input').setInputFiles(long);
  const item = page.locator('[data-testid="upload-item"][data-phase="job"]');
  await item.waitFor({ timeout: 60_000 });
  const seen = new Set();
  for (let i = 0; i < 40 && seen.size < 2; i++) {
    const value = await item.getByRole('progressbar').getAttribute('aria-valuenow');
    if (value !== null) seen.add(value);
    await page.waitForTimeout(500);
  }
  assert.ok(seen.size >= 2, `progress moved (${[...seen].join(', ')})`);
  await shot('14-job');
  // Leaving the page and coming back finds the job again.
  await page.reload({ waitUntil: 'networkidle' });
  await page.locator('[data-testid="upload-item"][data-phase="job"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('upload-cancel').first().click();
  await page.locator('[data-testid="upload-item"][data-phase="cancelled"]').waitFor();
  rmSync(dirname(long), { recursive: true, force: true });
});

test('record 2 s from the (fake) microphone and analyse it', async () => {
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('record-start').click();
  await page.getByTestId('record-stop').waitFor();
  let level = 0;
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(100);
    level = Math.max(level, Number(await page.getByTestId('level-meter').getAttribute('aria-valuenow')));
  }
  assert.ok(level > 10, `the level meter moved (max ${level}%)`);
  await page.getByTestId('record-stop').click();
  await page.getByTestId('result').locator('h1', { hasText: /^recording-.*\.webm$/ }).waitFor({ timeout: 120_000 });
  assert.ok((await page.getByTestId('prediction-label').allTextContents()).length > 0, 'the recording got predictions');
  await waitForHeatmap();
  await remove(await page.getByTestId('result').getAttribute('data-analysis-id'));
});

test('history: search, filter by class, compare two side by side, delete', async () => {
  const ids = [];
  for (const [name, buffer] of [['metro-a.wav', readFileSync(example)], ['tone-c.wav', toneWav(1, 660)]]) {
    const response = await page.request.post(`${service.url}/api/v1/analyses`, { multipart: { file: { name, mimeType: 'audio/wav', buffer } } });
    assert.equal(response.status(), 201, await response.text());
    ids.push((await response.json()).id);
  }
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History', exact: true }).click();
  await page.getByTestId('history-item').first().waitFor();
  await page.getByTestId('history-search').fill('metro-a');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="history-item"]')].length === 1);
  await page.getByTestId('history-search').fill('');
  await page.getByTestId('history-class').fill('Train');
  await page.locator(`[data-testid="history-item"][data-analysis-id="${ids[0]}"]`).waitFor();
  assert.equal(await page.locator(`[data-testid="history-item"][data-analysis-id="${ids[1]}"]`).count(), 0, 'the tone is filtered out by class');
  await page.getByTestId('history-class').fill('');
  // A note and labels (a patient code), saved on the server and searchable.
  const metroItem = page.locator(`[data-testid="history-item"][data-analysis-id="${ids[0]}"]`);
  await metroItem.getByTestId('history-note').click();
  await metroItem.getByTestId('note-text').fill('Platform 4, morning');
  await metroItem.getByTestId('note-labels').fill('P-0042, night');
  await metroItem.getByTestId('note-save').click();
  await metroItem.getByText('P-0042', { exact: true }).waitFor();
  const saved = await (await page.request.get(`${service.url}/api/v1/analyses/${ids[0]}`)).json();
  assert.deepEqual([saved.note, saved.labels], ['Platform 4, morning', ['P-0042', 'night']]);
  await page.getByTestId('history-search').fill('p-0042');
  await page.waitForFunction((id) => { const items = [...document.querySelectorAll('[data-testid="history-item"]')]; return items.length === 1 && items[0].getAttribute('data-analysis-id') === id; }, ids[0]);
  await page.getByTestId('history-search').fill('');
  for (const id of ids) await page.locator(`[data-testid="history-item"][data-analysis-id="${id}"]`).getByTestId('history-pick').check();
  await shot('15-history');
  await page.getByTestId('compare-link').click();
  await page.getByTestId('compare').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="result"]').length === 2, null, { timeout: 60_000 });
  await shot('16-compare');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History', exact: true }).click();
  const item = page.locator(`[data-testid="history-item"][data-analysis-id="${ids[1]}"]`);
  await item.getByTestId('history-delete').click();
  await page.getByTestId('confirm-delete').click();
  await item.waitFor({ state: 'detached' });
  assert.equal((await page.request.get(`${service.url}/api/v1/analyses/${ids[1]}`)).status(), 404);
  await remove(ids[0]);
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
  await page.goto(`${service.url}/history/`, { waitUntil: 'networkidle' });
  await page.getByTestId('history-item').first().waitFor();
  assert.equal(await page.getByTestId('history-item').count(), 20);
  await page.getByRole('navigation', { name: 'History pages' }).getByRole('link', { name: 'Next' }).click();
  await page.waitForURL(/page=2/);
  await page.getByText(/Page 2 of \d+/).waitFor();
  const second = await page.getByTestId('history-item').evaluateAll((items) => items.map((el) => el.dataset.analysisId));
  assert.ok(!second.includes(ids[20]), 'the newest analysis is on page 1, not page 2');
  for (const id of ids) await remove(id);
});

// The left edge and width of each model's time axis: the same seconds at the same x.
async function axesAligned() {
  const boxes = await page.getByTestId('compare-axis').evaluateAll((axes) => axes.map((a) => {
    const r = a.getBoundingClientRect();
    return { model: a.dataset.model, x: r.x, width: r.width };
  }));
  assert.equal(boxes.length, 2, 'one time axis per model');
  assert.deepEqual(boxes.map((b) => b.model), ['mn04_as', 'yamnet']);
  assert.ok(boxes[0].width > 100, `the axes are drawn (${boxes[0].width} px)`);
  assert.ok(Math.abs(boxes[0].x - boxes[1].x) <= 0.5 && Math.abs(boxes[0].width - boxes[1].width) <= 0.5,
    `aligned time axes: ${JSON.stringify(boxes)}`);
  return boxes;
}

test('two models side by side: the metro example through mn04_as and yamnet, on one time axis', async (t) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('model-picker').waitFor();
  if (!caps.compareModels) {
    await page.getByText('Comparing models is not available on this server.').waitFor();
    t.skip('the server has no models= on POST /api/v1/analyses');
    return;
  }
  await page.getByTestId('compare-toggle').check();
  await page.getByTestId('model-select').selectOption('mn04_as');
  await page.getByTestId('model-select-2').selectOption('yamnet');
  await page.getByTestId('file-input').setInputFiles(example);
  await page.getByTestId('model-comparison').waitFor({ timeout: 180_000 });
  await page.waitForURL(/\/compare-models\/\?a=[0-9a-f]{32}&b=[0-9a-f]{32}/);
  const url = new URL(page.url());
  const ids = [url.searchParams.get('a'), url.searchParams.get('b')];
  for (const model of ['mn04_as', 'yamnet']) {
    assert.ok(await page.getByTestId(`compare-top-${model}`).isVisible(), `${model}'s top classes are shown`);
    assert.ok(await page.getByTestId(`track-${model}`).isVisible(), `${model}'s track is shown`);
  }
  const rail = /Train|Rail transport|Railroad car|Subway/;
  const sharedOf = (model) => page.getByTestId(`compare-top-${model}`).locator('li[data-shared="true"]').evaluateAll((items) => items.map((li) => li.dataset.label));
  const shared = await sharedOf('mn04_as');
  assert.ok(shared.some((s) => rail.test(s)), `a rail/train class in both top 5: ${JSON.stringify(shared)}`);
  assert.ok((await sharedOf('yamnet')).some((s) => rail.test(s)));
  assert.match(await page.getByTestId('compare-verdict').textContent(), /mn04_as hears Train/);
  assert.ok(await page.getByTestId('compare-correlation').locator('tbody tr').count() >= 1, 'profile correlation per shared class');
  assert.ok(await page.getByTestId('compare-events').locator('tbody tr').count() >= 1, 'events of both');
  await axesAligned();
  await shot('18-compare-models-1280');

  // Reloaded from its URL: the server compares the stored analyses again.
  await page.reload({ waitUntil: 'networkidle' });
  await page.getByTestId('model-comparison').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('compare-verdict').textContent(), /mn04_as hears Train/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await axesAligned();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling at 390 px (${overflow} px too wide)`);
  await shot('19-compare-models-390');
  await page.getByTestId('compare-tracks').screenshot({ path: join(shots, '19-compare-models-390-tracks.png') });
  await page.setViewportSize({ width: 1366, height: 900 });
  for (const id of ids) await remove(id);
});

test('phone width: the result stays usable', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  const id = await uploadAndWait(example, 'metro_station-paris.wav');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling (${overflow} px too wide)`);
  assert.ok(await page.getByTestId('decision-notice').isVisible());
  await shot('17-phone');
  await remove(id);
});

test('no part of the page failed anywhere in this run', () => {
  assert.deepEqual(caughtErrors, [], caughtErrors.join('\n'));
});
