// End to end, issue 21's review: a 120 s real mixture uploaded through the
// page opens with its event counts first (clinical classes leading, the clip's
// top classes below as "the strongest window anywhere"); one event confirmed
// by mouse and one rejected by keyboard; the counts say so at once, and after
// a reload; the CSV export carries both; a refused review says the server's
// reason; times corrected in fields (the CSV follows); a class's threshold
// raised (the count follows, by the stored peaks); the report of what was
// looked at read back with pdftotext. Screenshots at 1280 and 390 px. The real `soundlens serve`, Debian's Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

before(async () => {
  service = await startService();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

/** The CSV's rows as objects (RFC 4180 without quoted line breaks: event labels have none). */
function parseCsv(text) {
  const lines = text.trim().split(/\r\n/);
  const split = (line) => {
    const out = [''];
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') {
        out[out.length - 1] += '"';
        i++;
      } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) out.push('');
      else out[out.length - 1] += c;
    }
    return out;
  };
  const head = split(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

const countOf = async (page, label, what) =>
  Number(await page.locator(`[data-testid="counts-first-row"][data-class="${label}"] [data-testid="counts-first-${what}"]`).textContent());

test('a long recording: counts first, confirm by mouse, reject by keyboard, kept after a reload and in the CSV', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('file-input').setInputFiles(mixture);
  const counts = page.getByTestId('counts-first');
  await counts.waitFor({ timeout: 400_000 });
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');

  // The counts come before the clip's top classes, which say what they are.
  const [countsBox, topBox] = [await counts.boundingBox(), await page.getByTestId('predictions').boundingBox()];
  assert.ok(countsBox.y < topBox.y, 'the counts are above the top classes');
  await page.getByRole('heading', { name: 'Strongest window anywhere' }).waitFor();
  const order = await page.getByTestId('counts-first-row').evaluateAll((rows) => rows.map((r) => r.dataset.class));
  const clinical = ['Cough', 'Sneeze', 'Snoring', 'Breathing', 'Wheeze', 'Baby cry, infant cry', 'Crying, sobbing'];
  const firstOther = order.findIndex((label) => !clinical.includes(label));
  assert.ok(firstOther !== 0 || !order.some((label) => clinical.includes(label)), `a clinical class leads when there is one: ${order.join(', ')}`);
  assert.ok(order.slice(0, firstOther < 0 ? order.length : firstOther).every((label) => clinical.includes(label)), `clinical first: ${order.join(', ')}`);
  await page.screenshot({ path: join(shots, 'review-counts-first-1280.png') });

  // Confirm the first row by mouse.
  const table = page.getByRole('table', { name: 'Events' });
  await table.waitFor({ timeout: 60_000 });
  const rows = table.getByTestId('event-row');
  assert.ok((await rows.count()) >= 4, 'at least four events to review');
  const first = rows.nth(0);
  const second = rows.nth(1);
  const firstPosition = Number(await first.getAttribute('data-position'));
  const secondPosition = Number(await second.getAttribute('data-position'));
  const firstLabel = (await first.locator('td').first().textContent()).trim();
  const secondLabel = (await second.locator('td').first().textContent()).trim();
  const confirmedBefore = await countOf(page, firstLabel, 'confirmed');
  await first.getByTestId('confirm-event').click();
  await page.waitForFunction((p) => document.querySelector(`tr[data-position="${p}"]`)?.dataset.review === 'confirmed', firstPosition);
  assert.equal(await countOf(page, firstLabel, 'confirmed'), confirmedBefore + 1, 'the count of confirmed events grows at once');

  // Reject the next one by keyboard: focus the first row, j to the next, x.
  const countedBefore = await countOf(page, secondLabel, 'count');
  await first.focus();
  await page.keyboard.press('j');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.position), String(secondPosition), 'j moves to the next event');
  const outline = await second.evaluate((tr) => getComputedStyle(tr).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused row shows its focus');
  await page.keyboard.press('x');
  await page.waitForFunction((p) => document.querySelector(`tr[data-position="${p}"]`)?.dataset.review === 'rejected', secondPosition);
  await page.waitForFunction(
    ([label, n]) => Number(document.querySelector(`[data-testid="counts-first-row"][data-class="${label}"] [data-testid="counts-first-count"]`)?.textContent) === n,
    [secondLabel, countedBefore - 1],
    { timeout: 10_000 },
  );
  // Relabel the third event with the picker: the row shows the new class, and says what it was.
  const third = rows.nth(2);
  const thirdPosition = Number(await third.getAttribute('data-position'));
  const thirdLabel = (await third.locator('td').first().textContent()).trim();
  const relabelTo = thirdLabel === 'Cough' ? 'Sneeze' : 'Cough';
  await third.locator('td').nth(1).click();
  await page.getByTestId('relabel-input').fill(relabelTo.toLowerCase());
  await page.getByTestId('relabel-apply').click();
  await page.waitForFunction(
    ([p, label]) => document.querySelector(`tr[data-position="${p}"] td`)?.textContent === label,
    [thirdPosition, relabelTo],
    { timeout: 10_000 },
  );
  assert.match(await third.getByTestId('review-status').textContent(), new RegExp(`unreviewed \\(was ${thirdLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  // Let the PATCHes land before reloading.
  await page.waitForLoadState('networkidle');
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'review-table-1280.png') });

  // Reloaded: both kept.
  await page.goto(`${service.url}/?id=${id}`, { waitUntil: 'load' });
  await page.getByRole('table', { name: 'Events' }).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator(`tr[data-position="${firstPosition}"]`).getAttribute('data-review'), 'confirmed');
  assert.equal(await page.locator(`tr[data-position="${secondPosition}"]`).getAttribute('data-review'), 'rejected');
  assert.equal(await countOf(page, secondLabel, 'rejected') >= 1, true);

  // The CSV export says the same.
  const csv = parseCsv(await (await fetch(`${service.url}/api/v1/analyses/${id}/events.csv`)).text());
  const analysis = await (await fetch(`${service.url}/api/v1/analyses/${id}`)).json();
  const at = (position) => analysis.events[position];
  assert.equal(csv[firstPosition].review, 'confirmed');
  assert.equal(csv[secondPosition].review, 'rejected');
  assert.equal(Number(csv[firstPosition].onset_s).toFixed(2), at(firstPosition).onset_s.toFixed(2));
  assert.equal(csv.filter((r) => r.review !== 'unreviewed').length, 2, 'only the two reviewed');
  assert.equal(csv[thirdPosition].label, relabelTo, 'the relabelled class wins in the CSV');

  // The confirmed event as a labelled clip, in the training layout: <class>/<file>.wav (entry names are stored as they are).
  const zip = await fetch(`${service.url}/api/v1/analyses/${id}/reviewed-clips.zip`);
  assert.equal(zip.status, 200);
  const names = Buffer.from(await zip.arrayBuffer()).toString('latin1');
  assert.match(names, new RegExp(`${firstLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/dev_1_e${firstPosition}_\\d+ms\\.wav`), 'the confirmed event is a clip in its class folder');
  assert.equal((names.match(/\.wav/g) ?? []).length, 3, 'one clip, named in its local header, the directory and clips.csv');

  // Times corrected in the fields under the selected row (in the table): typed as the page writes times (m:ss.ss).
  const fifth = page.getByRole('table', { name: 'Events' }).getByTestId('event-row').nth(4);
  const fifthPosition = Number(await fifth.getAttribute('data-position'));
  await fifth.locator('td').nth(1).click();
  const detail = page.getByRole('table', { name: 'Events' }).getByTestId('event-detail');
  await detail.waitFor();
  assert.equal(await detail.evaluate((tr) => tr.previousElementSibling?.dataset.position), String(fifthPosition), 'the fields are under the selected row');
  const onsetField = detail.getByTestId('time-onset');
  assert.match(await onsetField.inputValue(), /^\d+:\d\d\.\d\d$/, 'the field shows the time as the page writes it');
  const detectedOnset = at(fifthPosition).onset_s;
  const correctedOnset = Math.round((detectedOnset + 0.2) * 100) / 100;
  const clock = (s) => `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, '0')}`;
  await onsetField.fill(clock(correctedOnset));
  await detail.getByTestId('time-offset').fill(String(at(fifthPosition).offset_s + 0.3));
  const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/events/${fifthPosition}`));
  await detail.getByTestId('time-apply').click();
  assert.equal((await saved).status(), 200, 'the correction is saved');
  await page.getByTestId('time-undo').waitFor({ timeout: 10_000 });
  const corrected = parseCsv(await (await fetch(`${service.url}/api/v1/analyses/${id}/events.csv`)).text());
  assert.equal(Number(corrected[fifthPosition].onset_s).toFixed(2), correctedOnset.toFixed(2), 'the corrected onset in the CSV');
  const lane = page.locator(`[data-testid="lane-event"][data-position="${fifthPosition}"]`);
  assert.equal(Number(await lane.getAttribute('data-onset-s')).toFixed(2), correctedOnset.toFixed(2), 'the lane moved with it');

  // On the spectrogram: the row selected the event's span, with grips on its edges; dragging the right one
  // 40 px stores the new offset when the mouse lets go (no other step).
  const selection = page.getByTestId('selection');
  await selection.waitFor();
  assert.equal(await selection.getAttribute('data-event-position'), String(fifthPosition), 'the selection is the event');
  assert.equal(await page.getByTestId('edge-grip').count(), 2, 'both edges have a grip');
  await page.getByTestId('spectrogram').scrollIntoViewIfNeeded();
  const band = await selection.boundingBox();
  const dragged = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/events/${fifthPosition}`));
  await page.mouse.move(band.x + band.width - 1, band.y + band.height / 2);
  await page.mouse.down();
  await page.mouse.move(band.x + band.width + 20, band.y + band.height / 2, { steps: 4 });
  await page.mouse.move(band.x + band.width + 40, band.y + band.height / 2, { steps: 4 });
  await page.mouse.up();
  assert.equal((await dragged).status(), 200, 'the drag stored the times');
  const draggedEnd = Number(await selection.getAttribute('data-end'));
  const draggedStart = Number(await selection.getAttribute('data-start'));
  assert.ok(Math.abs(draggedStart - correctedOnset) < 0.01, `the onset stays (${draggedStart})`);
  assert.ok(draggedEnd > at(fifthPosition).offset_s + 0.3 + 0.05, `the offset moved right (${draggedEnd})`);
  await page.waitForFunction(() => document.querySelector('[data-testid="edge-drag-status"]')?.dataset.state === 'saved', null, { timeout: 10_000 });
  const afterDrag = parseCsv(await (await fetch(`${service.url}/api/v1/analyses/${id}/events.csv`)).text());
  assert.equal(Number(afterDrag[fifthPosition].offset_s).toFixed(2), draggedEnd.toFixed(2), 'the dragged offset in the CSV');
  await page.screenshot({ path: join(shots, 'review-drag-edge-1280.png') });
  // Stored: after a reload, the row and its lane carry the dragged times.
  await page.goto(`${service.url}/?id=${id}`, { waitUntil: 'load' });
  await page.getByRole('table', { name: 'Events' }).waitFor({ timeout: 60_000 });
  const reloadedRow = page.locator(`tr[data-testid="event-row"][data-position="${fifthPosition}"]`);
  assert.equal(Number(await reloadedRow.getAttribute('data-onset-s')).toFixed(2), correctedOnset.toFixed(2), 'the typed onset after a reload');
  assert.equal(Number(await page.locator(`[data-testid="lane-event"][data-position="${fifthPosition}"]`).getAttribute('data-offset-s')).toFixed(2), draggedEnd.toFixed(2), 'the dragged offset after a reload');
  await reloadedRow.locator('td').nth(1).click();

  // A hostile time is refused on the page with the field named, and nothing is sent.
  let sent = 0;
  const count = (r) => r.method() === 'PATCH' && (sent += 1);
  page.on('request', count);
  for (const [bad, said] of [['-3', /^Onset must not be negative/], ['1:75', /^Onset must be a time as m:ss\.s or a number of seconds/], ['99:00.00', /^Onset is beyond the end of the recording/]]) {
    await page.getByTestId('time-onset').fill(bad);
    await page.getByTestId('time-apply').click();
    assert.match(await page.getByTestId('time-problem').textContent(), said, bad);
  }
  page.off('request', count);
  assert.equal(sent, 0, 'nothing was sent for a refused time');

  // A threshold above the detection threshold counts only the unreviewed events whose peak reaches it.
  const now = await (await fetch(`${service.url}/api/v1/analyses/${id}`)).json();
  const shownIndex = (e) => e.review.index ?? e.index;
  const candidate = now.event_counts.find((c) => {
    const peaks = now.events.filter((e) => shownIndex(e) === c.index && e.review.status === 'unreviewed').map((e) => e.probability);
    return peaks.length >= 2 && Math.min(...peaks) < Math.max(...peaks) && c.threshold < Math.max(...peaks);
  });
  assert.ok(candidate, 'a class with unreviewed events of different peaks');
  const peaks = now.events.filter((e) => shownIndex(e) === candidate.index && e.review.status === 'unreviewed').map((e) => e.probability).sort((x, y) => x - y);
  const raised = Math.round(((peaks[0] + peaks[peaks.length - 1]) / 2) * 1000) / 1000;
  const stands = now.events.filter((e) => shownIndex(e) === candidate.index && (e.review.status === 'confirmed' || (e.review.status === 'unreviewed' && e.probability >= raised))).length;
  const row = page.locator(`[data-testid="counts-first-row"][data-class="${candidate.label}"]`);
  await row.getByTestId('counts-first-threshold').fill(String(raised));
  await page.waitForFunction(
    ([label, n]) => Number(document.querySelector(`[data-testid="counts-first-row"][data-class="${label}"] [data-testid="counts-first-count"]`)?.firstChild?.textContent) === n,
    [candidate.label, stands],
    { timeout: 10_000 },
  );
  assert.match(await row.getByTestId('counts-first-count-note').textContent(), new RegExp(`of ${candidate.count} at`));
  const unreviewedStanding = now.events.filter((e) => shownIndex(e) === candidate.index && e.review.status === 'unreviewed' && e.probability >= raised).length;
  assert.equal(Number(await row.getByTestId('counts-first-unreviewed').textContent()), unreviewedStanding, 'the unreviewed under the threshold leave its column too');
  await row.getByTestId('counts-first-threshold').fill(String(candidate.threshold / 2));
  assert.match(await row.getByTestId('counts-first-threshold-note').textContent(), /analyse again with a lower event threshold/);
  // Its confusions: the runner-up heard most often in its detected events, counted here from the stored events.
  const runnerUps = new Map();
  for (const e of now.events.filter((x) => x.index === candidate.index)) for (const a of e.alternatives ?? []) runnerUps.set(a.label, (runnerUps.get(a.label) ?? 0) + 1);
  const top = [...runnerUps].sort((x, y) => y[1] - x[1])[0];
  const confusionText = await row.locator('td').last().textContent();
  if (top) assert.ok(confusionText.includes(`${top[0]}`) && confusionText.includes(`runner-up in ${top[1]}`), `${candidate.label} is confused with ${top[0]} (${top[1]}): ${confusionText}`);
  else assert.match(confusionText, /none seen/);
  await row.getByTestId('counts-first-threshold').fill(String(raised));
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'review-threshold-1280.png') });
  // The events under it are hidden from the table and the lanes too, and the page says so (confirmed ones stay).
  const hiddenByHand = now.events.filter((e) => shownIndex(e) === candidate.index && e.review.status !== 'confirmed' && e.probability < raised).length;
  assert.ok(hiddenByHand >= 1, 'the raised threshold hides at least one event');
  const rowsOf = () => page.getByRole('table', { name: 'Events' }).getByTestId('event-row').evaluateAll(
    (trs, label) => trs.filter((tr) => tr.querySelector('td')?.textContent === label).length, candidate.label);
  const classRowsByHand = now.events.filter((e) => shownIndex(e) === candidate.index).length;
  assert.equal(await rowsOf(), classRowsByHand - hiddenByHand, `the table shows ${candidate.label}'s events at or above ${raised}`);
  const note = page.getByTestId('threshold-hidden');
  assert.equal(Number(await note.getAttribute('data-hidden')), hiddenByHand);
  assert.match(await note.textContent(), new RegExp(`hidden by your thresholds \\(${candidate.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at ${raised}\\).*They stay stored and in the exports`));
  if (await page.getByTestId('zoom-all').isEnabled()) await page.getByTestId('zoom-all').click();
  assert.equal(await page.getByTestId('lane-event').count(), now.events.length - hiddenByHand, 'the lanes leave them out');
  // Kept for this analysis in this browser: after a reload the threshold, the count and the table are the same.
  await page.goto(`${service.url}/?id=${id}`, { waitUntil: 'load' });
  await page.getByRole('table', { name: 'Events' }).waitFor({ timeout: 60_000 });
  assert.equal(await row.getByTestId('counts-first-threshold').inputValue(), String(raised), 'the threshold is kept');
  assert.equal(Number(await row.getByTestId('counts-first-count').evaluate((td) => td.firstChild.textContent)), stands);
  assert.equal(await rowsOf(), classRowsByHand - hiddenByHand);
  await page.getByTestId('threshold-hidden').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'review-threshold-hidden-1280.png') });
  // Shown again: the detection threshold back, every event in the table.
  await page.getByTestId('threshold-reset').click();
  assert.equal(await rowsOf(), classRowsByHand);
  assert.equal(await row.getByTestId('counts-first-threshold').inputValue(), String(candidate.threshold));
  assert.equal(await page.getByTestId('threshold-hidden').count(), 0);
  await row.getByTestId('counts-first-threshold').fill(String(raised));

  // A refused review is undone and says why: the server's reason in the message.
  await page.route('**/api/v1/analyses/*/events/*', (route) =>
    route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'bad_request', message: 'onset_s must not be negative', status: 400 } }) }),
  );
  const fourth = page.getByRole('table', { name: 'Events' }).getByTestId('event-row').nth(3);
  const fourthState = await fourth.getAttribute('data-review');
  await fourth.getByTestId('reject-event').click();
  const alert = page.getByTestId('events').getByTestId('error-message');
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.textContent(), /was not saved\. .*The service says: Onset_s must not be negative\./);
  assert.equal(await fourth.getAttribute('data-review'), fourthState, 'the optimistic change is undone');
  await page.unroute('**/api/v1/analyses/*/events/*');

  // The report of what was looked at: the clip's top class pinned (its map shown, with the faithfulness
  // the page computed), named with its method and the same faithfulness in the PDF's text (pdftotext).
  // (Cough scores under 0.05 on this mixture's clip level: its checks would give no verdict.)
  const strongest = analysis.predictions[0];
  await page.goto(`${service.url}/?id=${id}&pin=${strongest.index}`, { waitUntil: 'load' });
  await page.getByTestId('faithfulness').waitFor({ timeout: 300_000 });
  const explained = await (await fetch(`${service.url}/api/v1/analyses/${id}/explanation?class=${strongest.index}&faithfulness=1`)).json();
  assert.equal(typeof explained.faithfulness?.score, 'number', `the page's explanation of ${strongest.label} has its faithfulness`);
  const href = await page.getByTestId('export-report.pdf').getAttribute('href');
  assert.ok(href.includes(`report.pdf?classes=${strongest.index}`), `the report link names the pinned class: ${href}`);
  const pdf = Buffer.from(await (await fetch(new URL(href, service.url))).arrayBuffer());
  const pdfPath = join(tmpdir(), `review-report-${process.pid}.pdf`);
  writeFileSync(pdfPath, pdf);
  const text = execFileSync('pdftotext', [pdfPath, '-']).toString().replace(/\s+/g, ' ');
  rmSync(pdfPath);
  assert.ok(text.includes(`pinned or viewed on the page: ${strongest.label} (${strongest.index})`), `the report names the pinned class: ${text.slice(0, 1500)}`);
  assert.ok(text.includes(`${strongest.label} by gradcam`), `the report names the method the page computed: ${text.slice(0, 1500)}`);
  assert.ok(text.includes(`Faithfulness ${explained.faithfulness.score.toFixed(2)}`), `the report says ${strongest.label}'s faithfulness ${explained.faithfulness.score.toFixed(2)}`);
  assert.ok(!text.includes('Not computed: faithfulness'), 'the faithfulness the page computed is not said to be not computed');
  // The whole 2-minute overview on the dim scheme (the default for long recordings), with the map over it.
  assert.equal(await page.getByTestId('colour-map').inputValue(), 'dim');
  await page.getByTestId('spectrogram').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'review-overview-dim-1280.png') });

  // Phone width: the reviewed page.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, 'review-counts-first-390.png') });
  await page.getByTestId('counts-first').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'review-threshold-390.png') });
  await page.getByRole('table', { name: 'Events' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'review-table-390.png') });
  await context.close();

  // On a phone, by finger: a row's event selected, its left grip dragged 30 px to the left stores an earlier onset.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const touchPage = await phone.newPage();
  await touchPage.goto(`${service.url}/?id=${id}`, { waitUntil: 'load' });
  const touchRow = touchPage.getByRole('table', { name: 'Events' }).getByTestId('event-row').nth(6);
  await touchRow.waitFor({ timeout: 60_000 });
  const touchPosition = Number(await touchRow.getAttribute('data-position'));
  const detected = analysis.events[touchPosition];
  await touchRow.locator('td').nth(1).click();
  const touchSelection = touchPage.getByTestId('selection');
  await touchPage.waitForFunction((p) => document.querySelector('[data-testid="selection"]')?.dataset.eventPosition === String(p), touchPosition);
  // The row brought the spectrogram into view (smoothly): measure once it is there.
  await touchPage.waitForFunction(() => {
    const box = document.querySelector('[data-testid="spectrogram"]').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }, null, { timeout: 5000 });
  await touchPage.waitForTimeout(300);
  const grip = await touchSelection.boundingBox();
  const cdp = await phone.newCDPSession(touchPage);
  const touch = (type, x) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: grip.y + grip.height / 2 }] });
  const touched = touchPage.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/events/${touchPosition}`));
  // A finger lands 10 px inside the edge: within its reach (a mouse would need 6 px).
  await touch('touchStart', grip.x + 10);
  for (let dx = 0; dx <= 40; dx += 8) await touch('touchMove', grip.x + 10 - dx);
  await touch('touchEnd');
  assert.equal((await touched).status(), 200, 'the drag by finger stored the times');
  const touchedStart = Number(await touchSelection.getAttribute('data-start'));
  assert.ok(touchedStart < detected.onset_s - 0.05, `the onset moved earlier (${touchedStart} from ${detected.onset_s})`);
  const afterTouch = parseCsv(await (await fetch(`${service.url}/api/v1/analyses/${id}/events.csv`)).text());
  assert.equal(Number(afterTouch[touchPosition].onset_s).toFixed(2), touchedStart.toFixed(2), 'the onset dragged by finger in the CSV');
  assert.equal(Number(afterTouch[touchPosition].offset_s).toFixed(2), detected.offset_s.toFixed(2), 'the offset stays');
  await touchPage.getByTestId('edge-drag-status').waitFor();
  await touchPage.screenshot({ path: join(shots, 'review-touch-drag-390.png') });
  // Undone from the same line: the detected times back.
  const undone = touchPage.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/events/${touchPosition}`));
  await touchPage.getByTestId('edge-drag-undo').click();
  assert.equal((await undone).status(), 200);
  const afterUndo = (await (await fetch(`${service.url}/api/v1/analyses/${id}`)).json()).events[touchPosition];
  assert.equal(afterUndo.review.onset_s ?? null, null, 'back to the detected onset');
  // The times' fields under the selected row, on the phone: in view although the table scrolls sideways.
  const phoneDetail = touchPage.getByTestId('event-detail');
  await phoneDetail.scrollIntoViewIfNeeded();
  const fieldBox = await phoneDetail.getByTestId('time-onset').boundingBox();
  assert.ok(fieldBox.x >= 0 && fieldBox.x + fieldBox.width <= 390, `the onset field is on screen (${JSON.stringify(fieldBox)})`);
  await touchPage.screenshot({ path: join(shots, 'review-time-fields-390.png') });
  await phone.close();
});
