// End to end, issue 22's calibrated server: `soundlens serve --calibration`
// (a real calibration made by `soundlens calibrate` on real clips) and the page
// saying so above the results: which classes, by which file, fitted on what.
// The real `soundlens serve` (e2e/service.mjs), Debian's Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

const clips = join(repoDir, '..', 'shared', 'audio', 'events-dev', 'clips');
const laughter = join(clips, 'laughter', 'laughter_10.flac');
const bin = resolve(process.env.SOUNDLENS_BIN ?? join(repoDir, 'build', 'src', 'soundlens'));

let work;
let service;
let browser;

before(async () => {
  // The calibration: Cough and Laughter against a forest's background, fitted as a user would.
  work = mkdtempSync(join(tmpdir(), 'soundlens-e2e-calibration-'));
  const add = (label, dir, stem, from, to) => {
    mkdirSync(join(work, 'ward', label), { recursive: true });
    for (let i = from; i <= to; ++i) {
      const name = `${stem}_${String(i).padStart(2, '0')}.flac`;
      symlinkSync(join(clips, dir, name), join(work, 'ward', label, name));
    }
  };
  add('Cough', 'cough', 'cough', 1, 6);
  add('Laughter', 'laughter', 'laughter', 1, 6);
  add('none', 'background_forest', 'forest', 0, 4);
  execFileSync(bin, ['calibrate', join(work, 'ward'), '--out', join(work, 'ward.json')], { cwd: repoDir, stdio: 'pipe' });
  service = await startService({ serveArgs: ['--calibration', join(work, 'ward.json')] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('an analysis by a calibrated server says which classes are calibrated and on what', async () => {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(laughter)], { type: 'audio/flac' }), 'laughter_10.flac');
  const response = await fetch(`${service.url}/api/v1/analyses`, { method: 'POST', body: form });
  assert.equal(response.status, 201, await response.clone().text());
  const analysis = await response.json();
  assert.deepEqual(analysis.calibration?.classes, ['Cough', 'Laughter']);

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${service.url}/?id=${analysis.id}`, { waitUntil: 'load', timeout: 60_000 });
  const notice = page.getByTestId('calibration');
  await notice.waitFor({ timeout: 30_000 });
  assert.equal(await notice.getAttribute('data-classes'), 'Cough;Laughter');
  const text = await notice.innerText();
  assert.match(text, /Calibrated probabilities for Cough, Laughter/);
  assert.match(text, /ward\.json/);
  assert.match(text, /fitted on 17 recordings of ward/);
  assert.match(text, /before, \d\.\d{3} after/);
  await page.close();

  // The model picker says which model the server calibrates, and by which file.
  const home = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await home.goto(`${service.url}/`, { waitUntil: 'load', timeout: 60_000 });
  await home.getByTestId('model-picker').waitFor({ timeout: 30_000 });
  const picked = home.getByTestId('model-select').locator('option[value="mn04_as"]');
  assert.match(await picked.innerText(), /mn04_as \(default, calibrated by ward\.json\)/);
  await home.close();
});

test('an analysis by a server without a calibration says nothing of one', async () => {
  // The same page code: the notice is absent when the analysis has no calibration object.
  const plain = await startService({});
  try {
    const form = new FormData();
    form.append('file', new Blob([readFileSync(laughter)], { type: 'audio/flac' }), 'laughter_10.flac');
    const analysis = await (await fetch(`${plain.url}/api/v1/analyses`, { method: 'POST', body: form })).json();
    assert.equal(analysis.calibration, undefined);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${plain.url}/?id=${analysis.id}`, { waitUntil: 'load', timeout: 60_000 });
    await page.getByTestId('result').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('calibration').count(), 0);
    await page.close();
  } finally {
    await plain.stop();
  }
});
