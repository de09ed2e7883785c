// The live page end to end: Debian's Chromium with a fake microphone playing a
// real recording (the first 30 s of an events-dev mixture: a cough at 1.9 s,
// baby cries at 9.4 s and 20.3 s, music at 15.7 s), the real `soundlens serve`.
// Events must appear while it plays; the stop stores the session as an
// analysis the history lists and the viewer opens. Screenshots at 1280 and 390 px.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const mixture = join(repoDir, '..', 'shared', 'audio', 'events-dev', 'dev_1.flac');
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });

let service;
let browser;
let work;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'soundlens-live-e2e-'));
  const wav = join(work, 'microphone.wav');
  // Chromium's fake capture reads 16-bit PCM WAV (and loops it).
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', mixture, '-t', '30', '-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', wav]);
  service = await startService();
  browser = await launchBrowser([`--use-file-for-fake-audio-capture=${wav}`]);
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function liveSession(width, height, name) {
  const context = await browser.newContext({ viewport: { width, height }, permissions: ['microphone'] });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${service.url}/live/`);
  // Cough pinned before the start: reported in every window.
  await page.getByLabel('Class to pin').fill('Cough');
  await page.getByLabel('Class to pin').press('Enter');
  await page.getByTestId('live-pinned').getByText('Cough').waitFor();
  await page.getByTestId('live-start').click();
  await page.getByTestId('live-top').waitFor({ timeout: 15_000 });
  // Events appear while the recording plays (the first ends by about 5 s).
  await page.getByTestId('live-event').first().waitFor({ timeout: 30_000 });
  const status = await page.getByTestId('live-status').textContent();
  assert.match(status, /Listening: [\d.]+ s analysed by mn04_as/);
  await page.waitForTimeout(12_000);  // more of the recording: the spectrogram scrolls, more events end
  await page.screenshot({ path: join(shots, `live-${name}.png`), fullPage: true });
  const events = await page.getByTestId('live-event').count();
  assert.ok(events >= 2, `${events} events after ~20 s`);
  await page.getByTestId('live-counts').waitFor();
  // A class pinned during the session is watched from then on: its probability in the pinned list.
  await page.getByLabel('Class to pin').fill('Music');
  await page.getByLabel('Class to pin').press('Enter');
  await page.getByTestId('live-pinned').locator('li', { hasText: 'Music' }).getByText(/^\d+\s?%$/).waitFor({ timeout: 10_000 });
  await page.getByTestId('live-stop').click();
  // The stop returns at once: the page follows the job storing the session (its progress while it runs),
  // then links to the analysis.
  const link = page.getByTestId('live-stored-link');
  await link.waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('live-status').textContent(), /Stored: [\d.]+ s, analysed by its job after the stop/);
  await page.screenshot({ path: join(shots, `live-${name}-stored.png`), fullPage: true });
  const href = await link.getAttribute('href');
  const id = new URL(href, service.url).searchParams.get('id');
  assert.match(id, /^[0-9a-f]{32}$/);
  // Stored as an analysis: its recording, its events; the viewer opens it.
  const stored = await (await fetch(`${service.url}/api/v1/analyses/${id}`)).json();
  assert.ok(stored.duration_s > 15, `stored ${stored.duration_s} s`);
  assert.ok(stored.events.length >= 1);
  assert.equal((await fetch(`${service.url}/api/v1/analyses/${id}/audio`)).status, 200);
  await link.click();
  await page.waitForURL(/\?id=/);
  await page.getByText(/live-\d{8}-\d{6}\.flac/).first().waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);
  await context.close();
  return id;
}

test('a live session on the microphone at 1280 px: events while it plays, stored at the stop', async () => {
  await liveSession(1280, 900, '1280');
});

test('the same on a phone (390 px)', async () => {
  const id = await liveSession(390, 844, '390');
  const history = await (await fetch(`${service.url}/api/v1/analyses?limit=10`)).json();
  assert.ok(history.items.some((item) => item.id === id));
});
