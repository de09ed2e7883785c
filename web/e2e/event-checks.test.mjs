// End to end, issue 20 (checks on every event): a real cough recording with
// two events (Laughter, then Cough) uploaded through the page; its Cough row's
// "Check" asks the real server for that event's explanation on its own window
// (explanation?event=N&listen=1, by the method chosen on the page) and the row
// says the verdict in the page's words, matching the server's numbers; "Check
// all shown" asks one event at a time, never two side by side, and stops when
// told; a refusal shows the server's reason and the row can try again.
// Screenshots of the checked table at 1366 and 390 px (the row stays within a
// phone's width). A server without `event` gets the controls disabled, "not
// available on this server" (the last test: the real server's description less `event`). The real `soundlens serve`, Debian's Chromium.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { repoDir, startService } from './service.mjs';

// 2.5 s of real voluntary coughing (covid19-cough, CC0): mn04_as finds Laughter then Cough in it, in a fraction of a second.
const coughs = join(repoDir, '..', 'shared', 'audio', 'cough', '00096021-2cb2-4098-b906-4878a5e225a3.flac');
const shots = resolve(process.env.SOUNDLENS_SCREENSHOTS ?? join(import.meta.dirname, 'screenshots'));
mkdirSync(shots, { recursive: true });

let service;
let browser;
let hasEvent = false;

before(async () => {
  service = await startService();
  const spec = await (await fetch(`${service.url}/openapi.json`)).json();
  hasEvent = !!spec.paths?.['/api/v1/analyses/{id}/explanation']?.get?.parameters?.some((p) => p.name === 'event' && p.in === 'query');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await service?.stop();
});

const isEventCheck = (url) => /\/api\/v1\/analyses\/[^/]+\/explanation\?/.test(url) && new URL(url).searchParams.has('event');

/** Opens the page at `width`, uploads the cough recording, waits for its events table; every event check it asks is recorded. */
async function openResult(width, height) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  const asked = [];
  let open = 0;
  let mostAtOnce = 0;
  page.on('request', (r) => {
    if (!isEventCheck(r.url())) return;
    asked.push(new URL(r.url()).searchParams);
    open += 1;
    mostAtOnce = Math.max(mostAtOnce, open);
  });
  const done = (r) => {
    if (isEventCheck(r.url())) open -= 1;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
  await page.getByTestId('file-input').setInputFiles(coughs);
  const table = page.getByRole('table', { name: 'Events' });
  await table.waitFor({ timeout: 120_000 });
  const id = await page.getByTestId('result').getAttribute('data-analysis-id');
  return { context, page, table, id, asked, mostAtOnce: () => mostAtOnce };
}

const rowOf = (table, label) => table.getByTestId('event-row').filter({ has: table.page().locator('td', { hasText: new RegExp(`^${label}$`) }) }).first();
const percent = (x) => `${Math.round(x * 100)} %`;
const probability = (x) => `${x * 100 < 10 ? (x * 100).toFixed(1) : (x * 100).toFixed(0)} %`;

/** The verdict the row must show, computed here from the server's own reply (the margin 0.1 over the random map, as lib/trust.ts). */
function expectedLine(reply) {
  const f = reply.faithfulness;
  const l = reply.listen;
  if (f?.absent_class || f?.score === null || l?.absent_class) return 'Class absent: no verdict';
  const margin = f.score - (Number.isFinite(f.random_score) ? f.random_score : 0);
  const head = margin >= 0.1 ? 'Faithful' : margin <= -0.1 ? 'Not faithful: worse than a random map' : 'Not faithful';
  if (!l) return head;
  if (l.under_half) return `${head} · kept ${probability(l.kept_probability)} vs removed ${probability(l.removed_probability)} (${percent(l.kept_fraction)} of the spectrogram)`;
  return `${head} · no part under half the spectrogram keeps ${reply.event.label}`;
}

test('an event\'s Check shows its verdict in the page\'s words, from the server\'s check on the event\'s window', async (t) => {
  if (!hasEvent) return t.skip('the server does not declare explanation?event=');
  const { context, page, table, id, asked } = await openResult(1366, 900);
  try {
    const cough = rowOf(table, 'Cough');
    await cough.waitFor();
    const position = Number(await cough.getAttribute('data-position'));
    const button = cough.getByRole('button', { name: /^Check the explanation of event \d+, Cough at / });
    await button.click();
    // The spinner, unless the server was quicker than the next frame.
    await page.waitForFunction((p) => {
      const row = document.querySelector(`[data-testid="event-check-row"][data-check-position="${p}"]`);
      return row?.querySelector('[data-testid="event-check-loading"], [data-testid="event-check"], [data-testid="event-check-failed"]');
    }, position, { timeout: 5000 });
    const verdict = page.locator(`[data-testid="event-check-row"][data-check-position="${position}"] [data-testid="event-check-verdict"]`);
    await verdict.waitFor({ timeout: 120_000 });
    const shown = (await verdict.textContent()).trim();

    // What was asked: this event, the listening search, the page's method (Grad-CAM, the default, sends none).
    assert.equal(asked.length, 1);
    assert.equal(asked[0].get('event'), String(position));
    assert.equal(asked[0].get('listen'), '1');
    assert.equal(asked[0].has('class'), false, 'event and class never together');
    // The same check from the API (cached there): the row says what it measured.
    const reply = await (await fetch(`${service.url}/api/v1/analyses/${id}/explanation?event=${position}&listen=1&faithfulness=1`)).json();
    assert.equal(reply.event.index, position);
    assert.equal(reply.event.label, 'Cough');
    assert.ok(reply.window.start_s <= reply.event.onset_s + 1e-6 && reply.window.end_s >= reply.event.offset_s - 1e-6, 'the window covers the event');
    assert.equal(shown, expectedLine(reply), 'the verdict from the server\'s numbers, in the page\'s words');
    // "why" holds the whole recording's sentences and the window.
    const row = page.locator(`[data-testid="event-check-row"][data-check-position="${position}"]`);
    await row.getByText('why').click();
    assert.match(await row.getByTestId('event-check-sentences').textContent(), /Checked on \d+:\d\d\.\d–\d+:\d\d\.\d, the event's own window\./);
    assert.equal(await button.isDisabled(), true, 'checked once: kept on the page');

    // Another method chosen on the page: the row can be checked again, by that method.
    const picker = page.getByTestId('method-picker');
    const methods = await picker.locator('option').evaluateAll((os) => os.map((o) => o.value));
    if (methods.includes('layercam') && !(await picker.isDisabled())) {
      await picker.selectOption('layercam');
      const again = cough.getByRole('button', { name: /^Check the explanation of event \d+, Cough at .*[^)]$/ });
      await again.click();
      await verdict.waitFor({ timeout: 120_000 });
      await page.waitForFunction(() => !document.querySelector('[data-testid="event-check-loading"]'), null, { timeout: 120_000 });
      assert.equal(asked.at(-1).get('method'), 'layercam');
      await picker.selectOption('gradcam');
      await verdict.waitFor();
    }
    await table.scrollIntoViewIfNeeded();
  } finally {
    await context.close();
  }
});

test('"Check all shown" checks the rows one at a time, stops when told, and a refusal says the server\'s reason', async (t) => {
  if (!hasEvent) return t.skip('the server does not declare explanation?event=');
  const { context, page, table, asked, mostAtOnce } = await openResult(1366, 900);
  try {
    const rows = table.getByTestId('event-row');
    const n = await rows.count();
    assert.ok(n >= 2, `at least two events (${n})`);

    // Stop: the first request is held back (then passed to the server), Stop is pressed meanwhile.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route((url) => isEventCheck(url.href), async (route) => {
      await held;
      await route.continue().catch(() => {}); // aborted by the page's Stop
    });
    await page.getByTestId('check-all').click();
    await page.getByTestId('check-all-stop').waitFor();
    assert.match(await page.getByTestId('check-all-stop').textContent(), new RegExp(`Stop checking \\(0 of ${n} done\\)`));
    await page.getByTestId('event-check-loading').waitFor();
    await table.scrollIntoViewIfNeeded();
    await table.screenshot({ path: join(shots, 'event-checks-loading-1366.png') });
    await page.getByTestId('check-all-stop').click();
    release();
    await page.getByTestId('check-all').waitFor();
    await page.waitForTimeout(500);
    assert.equal(asked.length, 1, 'stopped: no further event asked');
    assert.equal(await page.getByTestId('event-check-row').count(), 0, 'the stopped check leaves no verdict');
    await page.unroute(() => true);

    // A busy server for the first row: its reason is said, "check all" stops there; then everything again, one at a time.
    const busy = { error: { code: 'busy', message: 'all 2 explanation slots are taken' } };
    let refused = 0;
    await page.route((url) => isEventCheck(url.href), (route) => {
      if (refused++ === 0) return route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '2' }, body: JSON.stringify(busy) });
      return route.continue();
    });
    await page.getByTestId('check-all').click();
    await page.getByTestId('check-all-stopped').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('check-all-stopped').textContent(), /stopped after 1 of \d+: The service is busy.*All 2 explanation slots are taken.*Try again in 2 s/);
    assert.match(await page.getByTestId('event-check-failed').first().textContent(), /All 2 explanation slots are taken/);
    await page.unroute(() => true);

    const before = asked.length;
    await page.getByTestId('check-all').click();
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="event-check"]').length === count, n, { timeout: 300_000 });
    assert.equal(mostAtOnce(), 1, 'never two event checks side by side');
    assert.equal(asked.length - before, n, 'each row asked once');
    assert.match(await page.getByTestId('check-all').textContent(), /all checked/);
    const lines = await page.getByTestId('event-check-verdict').allTextContents();
    for (const line of lines) assert.match(line.trim(), /^(Faithful|Not faithful|Not faithful: worse than a random map|Class absent: no verdict)( · .+)?$/);
    const coughAt = await rowOf(table, 'Cough').getAttribute('data-position');
    await page.locator(`[data-testid="event-check-row"][data-check-position="${coughAt}"]`).getByText('why').click();
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'event-checks-1366.png') });
    await table.screenshot({ path: join(shots, 'event-checks-table-1366.png') });
  } finally {
    await context.close();
  }
});

test('at phone width the checked rows stay within the screen', async (t) => {
  if (!hasEvent) return t.skip('the server does not declare explanation?event=');
  const { context, page, table } = await openResult(390, 844);
  try {
    const button = table.getByTestId('check-event').first();
    const b = await button.boundingBox();
    assert.ok(b.x >= 0 && b.x + b.width <= 390, `the Check button is in reach without scrolling sideways: ${b.x}–${b.x + b.width}`);
    await page.getByTestId('check-all').click();
    const n = await table.getByTestId('event-row').count();
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="event-check"]').length === count, n, { timeout: 300_000 });
    // The reasons of the Cough row open too: the longest text there is.
    const cough = rowOf(table, 'Cough');
    const position = await cough.getAttribute('data-position');
    await page.locator(`[data-testid="event-check-row"][data-check-position="${position}"]`).getByText('why').click();
    await table.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow} px too wide)`);
    const boxes = await page.locator('[data-testid="event-check"], [data-testid="event-check-sentences"]').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON()));
    for (const box of boxes) assert.ok(box.left >= 0 && box.right <= 390, `a verdict and its reasons inside the screen: ${box.left}–${box.right}`);
    await page.screenshot({ path: join(shots, 'event-checks-390.png') });
  } finally {
    await context.close();
  }
});

test('a server whose /openapi.json does not declare `event`: the checks are disabled, "not available on this server", nothing asked', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  // The running server's own description, less the `event` parameter (what an older server says).
  await context.route(/\/openapi\.json$/, async (route) => {
    const spec = await (await route.fetch()).json();
    const op = spec.paths?.['/api/v1/analyses/{id}/explanation']?.get;
    if (op) op.parameters = op.parameters.filter((p) => p.name !== 'event');
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(spec) });
  });
  const page = await context.newPage();
  const asked = [];
  page.on('request', (r) => isEventCheck(r.url()) && asked.push(r.url()));
  try {
    await page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
    await page.getByTestId('file-input').setInputFiles(coughs);
    const table = page.getByRole('table', { name: 'Events' });
    await table.waitFor({ timeout: 120_000 });
    await page.getByTestId('check-unavailable').waitFor();
    assert.match(await page.getByTestId('check-unavailable').textContent(), /not available on this server/);
    assert.equal(await page.getByTestId('check-all').isDisabled(), true);
    for (const button of await table.getByTestId('check-event').all()) assert.equal(await button.isDisabled(), true);
    assert.equal(asked.length, 0, 'never faked, never asked');
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'event-checks-unavailable-1366.png') });
  } finally {
    await context.close();
  }
});
