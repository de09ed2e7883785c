// End to end, issue 21's web parts: every click lands (a row, a lane, a
// minimap tick brings the spectrogram into view and plays; listening plays the
// selected span; a click on the spectrogram plays from there; one time
// format), errors carry the server's reason in the message, no 401 from the
// session on a page that needs no sign-in, and trust in plain words with a
// stale mark. The real `soundlens serve` (e2e/service.mjs), Debian's Chromium.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const long90 = join(repoDir, '..', 'shared', 'audio', 'awkward', '04_long_90s_concat.wav');
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });
const TIME = /^\d+:\d\d\.\d$/; // m:ss.s

let service;
let browser;
let caps;
let analysisId;
let analysis;

before(async () => {
  service = await startService();
  const spec = await (await fetch(`${service.url}/openapi.json`)).json();
  const param = (name) => spec.paths?.['/api/v1/analyses/{id}/explanation']?.get?.parameters?.some((p) => p.name === name);
  caps = { faithfulness: !!param('faithfulness'), listen: !!spec.paths?.['/api/v1/analyses/{id}/explanation.wav'], listenSearch: !!param('listen') };
  browser = await launchBrowser();
  // The 90 s recording with Cough (47) pinned, stored once through the API; each test opens it.
  const form = new FormData();
  form.append('file', new Blob([readFileSync(long90)], { type: 'audio/wav' }), '04_long_90s_concat.wav');
  form.append('classes', '47');
  const response = await fetch(`${service.url}/api/v1/analyses`, { method: 'POST', body: form });
  assert.ok([201, 202].includes(response.status), `upload: ${response.status} ${await response.clone().text()}`);
  const body = await response.json();
  analysisId = body.id;
  if (response.status === 202) {
    // A long recording is a job: wait for it.
    const deadline = Date.now() + 300_000;
    for (let job = body.job; ; ) {
      if (job.state === 'done' || job.analysis_id) {
        analysisId = job.analysis_id;
        break;
      }
      assert.ok(!['failed', 'cancelled'].includes(job.state) && Date.now() < deadline, `job: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 1000));
      job = await (await fetch(`${service.url}/api/v1/jobs/${body.job.id}`)).json();
      job = job.job ?? job;
    }
  }
  analysis = await (await fetch(`${service.url}/api/v1/analyses/${analysisId}`)).json();
  console.log(`analysis ${analysisId}: ${analysis.duration_s} s, ${analysis.events?.length ?? 'no'} events`);
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

async function openResult(width, height = 900, pins = '47') {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${service.url}/?id=${analysisId}&pin=${pins}`, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap-canvas"]')?.dataset.drawn === 'spectrogram+cam', null, { timeout: 60_000 });
  await page.getByRole('table', { name: 'Events' }).waitFor({ timeout: 30_000 });
  return { context, page };
}

/** The spectrogram's bounding box lies inside the viewport (polled: the page scrolls smoothly). */
async function spectrogramInView(page) {
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="spectrogram"]').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
  }, null, { timeout: 5000 }).catch(() => undefined);
  const box = await page.getByTestId('spectrogram').boundingBox();
  const viewport = page.viewportSize();
  return { box, viewport, inside: box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0 && box.x + box.width <= viewport.width };
}

const playerState = (page) => page.getByTestId('audio-player').evaluate((a) => ({ paused: a.paused, t: a.currentTime }));

for (const width of [1280, 390]) {
  test(`${width} px: a click on an event row brings the spectrogram into view and plays the event`, async (t) => {
    if (!analysis.events?.length) {
      t.skip('this server sends no events');
      return;
    }
    const { context, page } = await openResult(width, width < 500 ? 844 : 900);
    const rows = page.getByTestId('event-row');
    // One time format in the table: m:ss.s for onset, offset and length.
    const cells = await rows.first().locator('td').allTextContents();
    assert.ok(cells.slice(1, 4).every((c) => TIME.test(c)), `times as m:ss.s: ${cells.join(' | ')}`);
    const last = rows.last();
    await last.scrollIntoViewIfNeeded();
    assert.equal((await spectrogramInView(page)).inside, false, 'the row is far enough below the picture for the test to mean something');
    const onset = Number(await last.getAttribute('data-onset-s'));
    await last.click();
    const seen = await spectrogramInView(page);
    assert.ok(seen.inside, `the spectrogram (${JSON.stringify(seen.box)}) is inside the ${seen.viewport.width}x${seen.viewport.height} viewport`);
    await page.waitForFunction(() => !document.querySelector('[data-testid="audio-player"]').paused, null, { timeout: 20_000 });
    const played = await playerState(page);
    assert.ok(played.t >= onset - 0.05 && played.t < onset + 3, `plays from the event's onset ${onset} s (at ${played.t} s)`);
    await page.screenshot({ path: join(shots, `viewer-row-click-${width}.png`) });
    await context.close();
  });
}

test('an event lane and a minimap tick also bring the spectrogram to the event and play it', async (t) => {
  if (!analysis.events?.length) {
    t.skip('this server sends no events');
    return;
  }
  const { context, page } = await openResult(1280);
  const tick = page.getByTestId('minimap-event').last();
  const label = await tick.getAttribute('aria-label');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await tick.click();
  assert.ok((await spectrogramInView(page)).inside, 'the spectrogram is in view after a minimap tick');
  await page.waitForFunction(() => !document.querySelector('[data-testid="audio-player"]').paused, null, { timeout: 20_000 });
  const view = await page.getByTestId('heatmap-canvas').evaluate((c) => [Number(c.dataset.viewStart), Number(c.dataset.viewEnd)]);
  const event = analysis.events.at(-1);
  assert.ok(view[0] <= event.onset_s && view[1] >= event.offset_s, `view ${view} holds the event ${label}`);
  await page.getByTestId('audio-player').evaluate((a) => a.pause());
  const lane = page.getByTestId('event-lanes').getByRole('button').first();
  await lane.click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="audio-player"]').paused, null, { timeout: 20_000 });
  assert.match(await lane.getAttribute('aria-label'), /from \d+:\d\d\.\d to \d+:\d\d\.\d/);
  await context.close();
});

test('a click on the spectrogram plays from there', async () => {
  const { context, page } = await openResult(1280);
  const area = page.getByTestId('spectrogram');
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  assert.equal((await playerState(page)).paused, true, 'nothing plays before the click');
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.5);
  await page.waitForFunction(() => !document.querySelector('[data-testid="audio-player"]').paused, null, { timeout: 20_000 });
  const { t } = await playerState(page);
  const expected = analysis.duration_s * 0.25;
  assert.ok(t >= expected - 1 && t < expected + 3, `plays from about ${expected.toFixed(1)} s (at ${t.toFixed(2)} s)`);
  assert.match(await area.getAttribute('aria-valuetext'), TIME);
  await context.close();
});

test('"what the model used" and "what it ignored" play the selected event\'s span, not from 0:00', async (t) => {
  if (!caps.listen || !analysis.events?.length) {
    t.skip('no explanation audio or no events on this server');
    return;
  }
  const { context, page } = await openResult(1280);
  const event = [...analysis.events].sort((a, b) => b.onset_s - a.onset_s)[0];
  await page.getByTestId('event-class-filter').selectOption(event.label);
  await page.getByTestId('event-row').last().click();
  await page.getByTestId('audio-player').evaluate((a) => a.pause());
  const listen = page.getByTestId('listen');
  await listen.scrollIntoViewIfNeeded();
  const start = Number(await listen.getAttribute('data-span-start'));
  const end = Number(await listen.getAttribute('data-span-end'));
  assert.ok(Math.abs(start - event.onset_s) < 0.01 && Math.abs(end - event.offset_s) < 0.01, `the span is the event's (${start}-${end})`);
  for (const part of ['kept', 'removed']) {
    await page.getByTestId(`listen-${part}`).click();
    const heard = await page.waitForFunction(() => {
      const a = document.querySelector('[data-testid="listen-audio"]');
      return a && a.currentTime > 0 ? a.currentTime : false;
    }, null, { timeout: 60_000 }).then((h) => h.jsonValue());
    assert.ok(heard >= start - 0.05 && heard <= end + 0.5, `${part}: plays inside ${start}-${end} (at ${heard})`);
    // It stops at the span's end.
    await page.waitForFunction(() => document.querySelector('[data-testid="listen-audio"]').paused, null, { timeout: 5000 + (end - start) * 1000 });
    const stopped = await page.getByTestId('listen-audio').evaluate((a) => a.currentTime);
    assert.ok(stopped <= end + 0.5, `${part}: stopped at ${stopped} (span ends ${end})`);
  }
  assert.match(await listen.textContent(), /Listen to the selection \(\d+:\d\d\.\d–\d+:\d\d\.\d\)/);
  await context.close();
});

test('listening says how much of the spectrogram the model used and both probabilities, or in plain words that no part under half keeps the class', async (t) => {
  if (!caps.listen || !caps.listenSearch) {
    t.skip('no listening search on this server');
    return;
  }
  // Classes whose search gives each verdict, asked as the page asks (so the page's request is answered from the cache):
  // Cough (pinned) and the clip's top classes, until one map keeps its class under half the spectrogram and one does not.
  const candidates = [...new Set([47, ...analysis.predictions.slice(0, 8).map((p) => p.index)])];
  const found = new Map();
  for (const index of candidates) {
    if (found.has('kept') && found.has('not-under-half')) break;
    const response = await fetch(`${service.url}/api/v1/analyses/${analysisId}/explanation?class=${index}&faithfulness=0&listen=1`);
    assert.equal(response.status, 200, `listen=1 for class ${index}: ${await response.clone().text()}`);
    const e = await response.json();
    const verdict = e.listen.absent_class ? 'absent' : e.listen.under_half ? 'kept' : 'not-under-half';
    if (!found.has(verdict)) found.set(verdict, e);
  }
  assert.ok(found.size > 0, 'some verdict');
  const percent = (x) => `${Math.round(x * 100)} %`;
  const prob = (x) => `${x * 100 < 10 ? (x * 100).toFixed(1) : (x * 100).toFixed(0)} %`;
  for (const [verdict, e] of found) {
    const { context, page } = await openResult(1280, 900, String(e.index));
    const listen = page.getByTestId('listen');
    await listen.scrollIntoViewIfNeeded();
    await page.getByTestId('listen-kept').click();
    const result = page.getByTestId('listen-result');
    await result.waitFor({ timeout: 120_000 });
    assert.equal(await result.getAttribute('data-verdict'), verdict, `${e.label}: the page's verdict is the search's`);
    const text = (await result.textContent()).replace(/\s+/g, ' ');
    // Both probabilities and the whole recording's, as the search measured them.
    for (const x of [e.listen.kept_probability, e.listen.removed_probability, e.listen.probability]) assert.ok(text.includes(prob(x)), `${e.label}: ${prob(x)} in "${text}"`);
    if (verdict === 'kept') assert.ok(text.includes(`the map's top ${percent(e.listen.kept_fraction)} of the spectrogram keeps ${e.label}`), text);
    if (verdict === 'not-under-half') {
      assert.match(text, new RegExp(`No part of the map under half of the spectrogram keeps ${e.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at 80 % of its probability`));
      assert.match(text, /a finding about the map, not a failure of the tool/);
    }
    if (verdict === 'absent') assert.match(text, /is absent from this recording/);
    await page.screenshot({ path: join(shots, `viewer-listen-${verdict}-1280.png`) });
    await context.close();
  }
  if (!found.has('not-under-half')) t.diagnostic(`no class of ${candidates.join(', ')} gave a map that needs more than half the spectrogram: its message was not seen on this recording`);
});

test('trust in plain words: sentences with margins, the scale explained, a stale mark while the next map computes', async (t) => {
  if (!caps.faithfulness) {
    t.skip('no faithfulness on this server');
    return;
  }
  for (const width of [1280, 390]) {
    const { context, page } = await openResult(width, width < 500 ? 844 : 900);
    const faith = page.getByTestId('faithfulness');
    await faith.waitFor({ timeout: 120_000 });
    const text = await faith.textContent();
    assert.match(text, /Removing the map's top cells first lowers \S.* (faster|slower|about as fast|does not lower)/);
    assert.match(text, /a random map of the same cells by -?\d\.\d\d: a margin of [+−]\d\.\d\d/);
    assert.match(text, /0 means no difference/);
    assert.doesNotMatch(text, /MoRF|LeRF|rank correlation/, 'the terms live in tooltips only');
    const verdict = await faith.getAttribute('data-verdict');
    const margin = Number(await faith.getAttribute('data-margin'));
    assert.equal(verdict, margin >= 0.1 ? 'better' : margin <= -0.1 ? 'worse' : 'unclear', `verdict ${verdict} for margin ${margin}`);
    await faith.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `viewer-trust-${width}.png`) });
    if (width === 1280) {
      // Another class: its map and check compute; the old check stays, marked.
      const other = page.getByTestId('predictions').getByRole('button', { pressed: false }).first();
      await other.click();
      await page.getByTestId('trust-stale').waitFor({ timeout: 10_000 });
      await page.getByTestId('trust-panel').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.screenshot({ path: join(shots, 'viewer-trust-stale-1280.png') });
      await page.getByTestId('trust-stale').waitFor({ state: 'detached', timeout: 180_000 });
      assert.ok(await faith.isVisible(), 'the new check replaces the stale one');
    }
    await context.close();
  }
});

test('robustness on demand: the shown class against noise, phone lines and gain, in a sentence and bars', async (t) => {
  const spec = await (await fetch(`${service.url}/openapi.json`)).json();
  if (!spec.paths?.['/api/v1/analyses/{id}/robustness']) {
    t.skip('no robustness route on this server');
    return;
  }
  for (const width of [1280, 390]) {
    const { context, page } = await openResult(width, width < 500 ? 844 : 900);
    const panel = page.getByTestId('robustness-panel');
    await panel.waitFor({ timeout: 120_000 });
    await page.getByTestId('robustness-button').click();
    const sentence = page.getByTestId('robustness-sentence').first();
    await sentence.waitFor({ timeout: 120_000 });
    assert.match(await sentence.textContent(), /\(\d\.\d\d as recorded\) (stays above|falls below|is below)/);
    const bars = await page.getByTestId('robustness-bars').locator('li').count();
    assert.ok(bars >= 18, `a bar per change and one as recorded: ${bars}`);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `viewer-robustness-${width}.png`) });
    await context.close();
  }
});

test('a partial lane says what "partial" means', async (t) => {
  // Pinned after the analysis (not in its request), class 500 is reported only where it is in a window's top list.
  const { context, page } = await openResult(1280, 900, '47,500');
  if (!(await page.getByTestId('lane-partial').count())) {
    await context.close();
    t.skip('every lane is fully reported in this analysis');
    return;
  }
  assert.match(await page.getByTestId('lane-partial').first().getAttribute('title'), /not followed in every analysis window/);
  assert.match(await page.getByTestId('partial-note').textContent(), /gaps are windows where it was not reported/);
  await context.close();
});

test('an error says the server\'s reason in the message itself', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  const body = Buffer.from('These are notes, not a recording.\n'.repeat(20));
  const form = new FormData();
  form.append('file', new Blob([body], { type: 'text/plain' }), 'notes.txt');
  const reason = (await (await fetch(`${service.url}/api/v1/analyses`, { method: 'POST', body: form })).json()).error.message;
  await page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: body });
  const alert = page.getByTestId('error-message');
  await alert.waitFor({ timeout: 30_000 });
  const shown = await alert.locator('p').first().textContent();
  assert.match(shown, /“notes\.txt”: This file is not audio we can read/);
  const head = reason.replace(/\d+\.\d{3,}/g, '').slice(0, 30).replace(/^./, (c) => c.toUpperCase());
  assert.ok(shown.includes(`The service says: ${head}`), `the server's reason "${reason}" in the message: ${shown}`);
  await page.screenshot({ path: join(shots, 'viewer-error-1280.png') });
  await context.close();
});

test('no 401 from /api/v1/session in the console on a page that needs no sign-in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const logged = [];
  const unauthorised = [];
  page.on('console', (m) => m.type() === 'error' && logged.push(m.text()));
  page.on('response', (r) => r.status() === 401 && unauthorised.push(r.url()));
  for (const path of ['/', '/history/', `/?id=${analysisId}`]) await page.goto(`${service.url}${path}`, { waitUntil: 'networkidle' });
  assert.deepEqual(unauthorised, [], 'no request was answered 401');
  assert.deepEqual(logged.filter((m) => /401|Unauthorized/i.test(m)), [], 'nothing about 401 in the console');
  await context.close();
});
