// Unit tests of the page's pure functions (lib/), compiled by
// `tsc -p tsconfig.unit.json` to .unit-build/ (CommonJS) and run with node --test.
// Each checks against an independent computation, not against its own output.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const lib = (name) => require(`../.unit-build/${name}.js`);
const { clampView, zoomView, panView, timeTicks, xOf, timeAt, MIN_SPAN_S } = lib('time-view');
const { fractionAtHz, hzAtFraction, frequencyTicks } = lib('mel-axis');
const { lanePoints, fullyReported } = lib('lanes');
const normalise = lib('normalise');
const { filterParams, isFiltering } = lib('history-filter');
const { levelToDb } = lib('levels');
const { camColumns } = lib('draw-layers');
const { probeAt } = lib('probe');

const close = (a, b, eps, what) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`);

test('zoom keeps the anchor where it is on screen, and the view inside the recording', () => {
  const view = { start: 10, end: 30 };
  const anchor = 15; // a quarter of the way
  const z = zoomView(view, 0.5, anchor, 100);
  close(z.end - z.start, 10, 1e-9, 'span halves');
  close((anchor - z.start) / (z.end - z.start), 0.25, 1e-9, 'anchor stays at a quarter');
  const out = zoomView({ start: 0, end: 10 }, 4, 1, 20);
  assert.deepEqual(out, { start: 0, end: 20 }, 'zooming out past the recording shows all of it');
  const tiny = zoomView(view, 1e-6, 20, 100);
  close(tiny.end - tiny.start, MIN_SPAN_S, 1e-9, 'never below the minimum span');
  assert.deepEqual(panView({ start: 80, end: 90 }, 50, 100), { start: 90, end: 100 }, 'pan stops at the end');
  assert.deepEqual(clampView(-5, 5, 100), { start: 0, end: 10 });
  close(timeAt(xOf(42, view), view), 42, 1e-9, 'xOf and timeAt invert');
});

test('time ticks are round, inside the view and at most the asked number', () => {
  for (const [start, end] of [[0, 10], [3.3, 5.1], [0, 8 * 3600], [7200.2, 7201]]) {
    const ticks = timeTicks({ start, end }, 8);
    assert.ok(ticks.length >= 1 && ticks.length <= 9, `${ticks.length} ticks for ${start}-${end}`);
    assert.ok(ticks.every((t) => t >= start - 1e-9 && t <= end + 1e-9), 'inside the view');
    const steps = ticks.slice(1).map((t, i) => +(t - ticks[i]).toFixed(6));
    assert.ok(steps.every((s) => s === steps[0]), 'evenly spaced');
  }
});

// Kaldi mel bin centres, computed here from the mel formula (independent of the service).
const mel = (hz) => 1127 * Math.log(1 + hz / 700);
const hzOfMel = (m) => 700 * (Math.exp(m / 1127) - 1);
const centres = Array.from({ length: 128 }, (_, i) => hzOfMel(mel(0) + ((i + 1) * (mel(15000) - mel(0))) / 129));

test('the Hz axis: a frequency and its position invert; ticks keep clear of the bottom corner', () => {
  for (const hz of [100, 440, 1000, 5000, 12000]) {
    const f = fractionAtHz(centres, hz);
    close(hzAtFraction(centres, f), hz, hz * 1e-9 + 1e-6, `round trip at ${hz} Hz`);
  }
  const ticks = frequencyTicks(centres, 0.09);
  assert.ok(ticks.length >= 4, 'several ticks');
  assert.ok(ticks.every((t) => t.fraction >= 0.06), `no tick in the bottom 6 % (${ticks.map((t) => t.hz)})`);
  assert.ok(ticks.slice(1).every((t, i) => t.fraction - ticks[i].fraction >= 0.09), 'ticks apart');
});

test('lanes: one point per window at its centre; a class missing from a window is a gap', () => {
  const timeline = [
    { start_s: 0, end_s: 10, predictions: [{ index: 1, label: 'a', probability: 0.5 }], classes: [{ index: 47, label: 'Cough', probability: 0.2 }] },
    { start_s: 5, end_s: 15, predictions: [], classes: [] },
    { start_s: 10, end_s: 20, predictions: [{ index: 47, label: 'Cough', probability: 0.7 }], classes: [] },
  ];
  const points = lanePoints(timeline, 47, 18);
  assert.deepEqual(points.map((p) => p.t), [5, 10, 14], 'centres; the last window is cut at the end of the recording');
  assert.deepEqual(points.map((p) => p.p), [0.2, null, 0.7]);
  assert.equal(fullyReported(points), false);
  const all = timeline.map((w, i) => ({ ...w, probabilities: Array.from({ length: 527 }, (_, c) => (c === 47 ? 0.1 * (i + 1) : 0)) }));
  const full = lanePoints(all, 47, 18);
  assert.deepEqual(full.map((p) => p.p), [0.2, 0.2, 0.7], 'a window without the class in its lists reads all 527 probabilities');
  assert.equal(fullyReported(full), true);
});

const explanation = (map, spc) => normalise.explanation({ index: 0, label: 'x', probability: 1, method: 'grad-cam', map, seconds_per_column: spc });

test('the map for a view: zoomed out, a pixel shows the maximum of its columns', () => {
  const cols = 1000;
  const row = Array.from({ length: cols }, (_, c) => ((c * 7919) % 1000) / 1000);
  const e = explanation([row, row.map((v) => 1 - v)], 0.32);
  const w = 50; // 20 columns per pixel
  const { values, covered } = camColumns(e, { start: 0, end: cols * 0.32 }, w, cols * 0.32, false);
  for (let px = 0; px < w; px++) {
    assert.equal(covered[px], 1);
    const expected = Math.max(...row.slice(px * 20, px * 20 + 20));
    close(values[px], expected, 1e-6, `pixel ${px}`);
    close(values[w + px], Math.max(...row.slice(px * 20, px * 20 + 20).map((v) => 1 - v)), 1e-6, `row 1 pixel ${px}`);
  }
});

test('the map for a view: zoomed in, cell centres hold the cell values; cells mode holds each cell', () => {
  const e = explanation([[0, 1, 0.5, 0.25]], 1);
  const view = { start: 0, end: 4 };
  const { values } = camColumns(e, view, 400, 4, false);
  for (const [c, v] of [[0, 0], [1, 1], [2, 0.5], [3, 0.25]]) close(values[c * 100 + 50], v, 0.011, `centre of cell ${c}`);
  close(values[100], 0.5 * 0 + 0.5 * 1, 0.011, 'half way between cells 0 and 1');
  const cells = camColumns(e, view, 400, 4, true).values;
  for (let px = 0; px < 400; px++) assert.equal(cells[px], [0, 1, 0.5, 0.25][Math.floor(px / 100)], `cells mode pixel ${px}`);
  const outside = camColumns(e, { start: 3, end: 6 }, 30, 6, false).covered;
  assert.deepEqual([outside[5], outside[15]], [1, 0], 'no map past its last column');
});

test('the read-out in cells mode names the cell: band from row_edges_hz, time span from seconds_per_column', () => {
  const e = normalise.explanation({ label: 'x', map: [[0.1, 0.2], [0.3, 0.4]], seconds_per_column: 0.32, row_edges_hz: [0, 1000, 15000] });
  const probe = probeAt(0.75, 0.75, { start: 0, end: 0.64 }, 0.64, null, e, true);
  assert.deepEqual([probe.cell.row, probe.cell.col, probe.cell.lowHz, probe.cell.highHz], [1, 1, 1000, 15000]);
  close(probe.cell.startS, 0.32, 1e-9, 'cell start');
  close(probe.cell.endS, 0.64, 1e-9, 'cell end');
  assert.equal(probe.cam, 0.4);
});

test('normalising: privacy — audio kept unless the server says not, redaction spans checked and sorted', () => {
  const plain = normalise.analysis({ id: 'a' });
  assert.deepEqual([plain.audio_stored, plain.redaction], [true, null]);
  const r = normalise.analysis({
    id: 'b',
    audio_stored: false,
    redaction: { spans: [{ start_s: 4, end_s: 5 }, { start_s: 1, end_s: 2 }, { start_s: 3, end_s: 2 }, { start_s: 'x' }], fraction: 0.25, threshold: 0.5 },
  });
  assert.equal(r.audio_stored, false);
  assert.deepEqual(r.redaction.spans, [{ start_s: 1, end_s: 2 }, { start_s: 4, end_s: 5 }], 'reversed and malformed spans dropped');
  assert.deepEqual([r.redaction.fraction, r.redaction.threshold], [0.25, 0.5]);
  assert.equal(normalise.analysis({ id: 'c', redaction: 'yes' }).redaction, null);
});

test('normalising: a calibration is kept only when it names its classes; unmeasured errors are null', () => {
  assert.equal(normalise.analysis({ id: 'a' }).calibration, null);
  assert.equal(normalise.analysis({ id: 'b', calibration: 'yes' }).calibration, null);
  assert.equal(normalise.analysis({ id: 'c', calibration: { file: 'w.json', method: 'platt', classes: [] } }).calibration, null);
  const c = normalise.analysis({
    id: 'd',
    calibration: { file: 'w.json', method: 'platt', classes: ['Cough'], fitted_on: 'ward', files: 17, ece_before: 0.2, ece_after: null },
  }).calibration;
  assert.deepEqual(c, { file: 'w.json', method: 'platt', classes: ['Cough'], fitted_on: 'ward', files: 17, ece_before: 0.2, ece_after: null });
  const sparse = normalise.analysis({ id: 'e', calibration: { file: 'w.json', method: 'platt', classes: ['Cough'] } }).calibration;
  assert.deepEqual([sparse.fitted_on, sparse.files, sparse.ece_before, sparse.ece_after], ['', 0, null, null]);
});

test('normalising: optional parts become null or empty, the rest is taken as the schema says', () => {
  const window = (start_s, extra = {}) => ({ start_s, end_s: start_s + 1, predictions: [], classes: [], ...extra });
  const a = normalise.analysis({ id: 'abc', filename: 'x.wav', timeline: [window(2, { probabilities: [0.1, null] }), window(0)], explanations: [] });
  assert.equal(a.filename, 'x.wav');
  assert.deepEqual(a.timeline.map((w) => w.start_s), [0, 2], 'windows sorted by start');
  assert.deepEqual(a.timeline.map((w) => w.probabilities), [null, [0.1, 0]], 'not sent = null; a null probability is drawn as 0');
  assert.deepEqual([a.events, a.event_counts, a.quality, a.classes], [null, null, null, []], 'absent = not available');
  assert.throws(() => normalise.analysis({ predictions: [] }), /without an analysis/);
  const q = normalise.analysis({ id: 'x', quality: [{ name: 'clipping', raised: true, value: 0.2, message: 'm' }, { name: 'narrowband', raised: false, message: '' }, { name: 'low_confidence', raised: true, message: '' }] });
  assert.deepEqual(q.quality.map((f) => f.name), ['clipping', 'low_confidence'], 'only raised flags');
  assert.deepEqual([q.quality[1].value, q.quality[1].unit], [null, null]);
  const events = normalise.analysis({ id: 'e', events: [{ index: 1, label: 'b', onset_s: 5, offset_s: 6, probability: 0.5 }, { index: 0, label: 'a', onset_s: 1, offset_s: 2, probability: 0.4, low_hz: 100, high_hz: 200 }] }).events;
  assert.deepEqual(events.map((e) => [e.onset_s, e.low_hz, e.high_hz]), [[1, 100, 200], [5, null, null]], 'sorted by onset; no band = null');
  assert.equal(normalise.explanation({ label: 'x', map: [] }), null, 'no map, no explanation');
  const e = normalise.explanation({ label: 'x', map: [[1]], method: 'grad-cam' });
  assert.deepEqual([e.method, e.faithfulness, e.sanity, e.listen, e.completeness_error], ['gradcam', null, null, null, null]);
  assert.equal(normalise.explanation({ label: 'x', map: [[1]], row_edges_hz: [0, 5] }).row_edges_hz.length, 2);
  assert.equal(normalise.explanation({ label: 'x', map: [[1]], row_edges_hz: [0] }).row_edges_hz, null, 'edges must be rows + 1');
  const wire = { rows: 2, cols: 2, seconds_per_column: 0.5, duration_s: 1, start_s: 10, end_s: 11, center_hz: [100, 200], min: 1, max: 4, values: [[1, 2], [3, 4]] };
  assert.deepEqual(normalise.spectrogram(wire), wire, 'a reply the schema describes is taken as it is');
  const flat = normalise.spectrogram({ ...wire, min: -100, max: -100, values: [[-100, -100], [-100, -100]] });
  assert.deepEqual([flat.min, flat.max], [-100, -99], 'silence still has a range to draw');
  assert.equal(normalise.job({ job: { id: 'j', state: 'running', progress: 0.4 } }).progress, 0.4);
  const failed = normalise.job({ id: 'j', state: 'failed', stage: null, progress: 1, eta_s: null, analysis_id: null, error: { message: 'm' } });
  assert.deepEqual(failed.error, { code: 'internal', message: 'm' }, 'a failed job always has a code');
  assert.equal(normalise.job({}), null);
  assert.equal(normalise.health({ status: 'ok' }).max_upload_bytes, null);
  assert.equal(normalise.health({ max_upload_bytes: 104857600 }).max_upload_bytes, 104857600);
});

test('history filter: the query parameters the server filters by', () => {
  const f = (x) => ({ text: '', className: '', from: '', to: '', ...x });
  assert.deepEqual(filterParams(f({})), {});
  assert.ok(!isFiltering(f({ text: '   ' })), 'blank text does not filter');
  assert.deepEqual(filterParams(f({ text: ' BED2 ', className: 'Cough ', from: '2026-11-20', to: '2026-11-21' })), { q: 'BED2', class: 'Cough', from: '2026-11-20', to: '2026-11-21' });
  assert.ok(isFiltering(f({ to: '2026-11-21' })));
});

test('levels in dB: each front end back to 10 log10(power)', () => {
  // EfficientAT: v = (ln(p + 1e-5) + 4.5) / 5; for p = 1 (0 dB) and p = 0.01 (-20 dB).
  for (const [p, db] of [[1, 0], [0.01, -20]]) close(levelToDb((Math.log(p + 1e-5) + 4.5) / 5, 'mn04_as'), db, 0.01, `mn04 ${db} dB`);
  close(levelToDb(-30, 'cnn14'), -30, 0, 'PANNs is in dB already');
  // YAMNet: ln(magnitude + 0.001); magnitude 0.1 is -20 dB.
  close(levelToDb(Math.log(0.1), 'yamnet'), -20, 1e-9, 'yamnet');
  assert.equal(levelToDb(1, 'unknown'), null);
});

test('an 8 h map: one view of it costs the same few milliseconds zoomed out or in', () => {
  const cols = Math.round((8 * 3600) / 0.32); // 90,000 columns
  const rows = Array.from({ length: 4 }, (_, r) => Array.from({ length: cols }, (_, c) => ((c * (r + 3)) % 97) / 97));
  const e = explanation(rows, 0.32);
  const timings = [];
  camColumns(e, { start: 0, end: 8 * 3600 }, 1300, 8 * 3600, false); // the first call compiles the function
  for (const span of [8 * 3600, 3600, 60, 2]) {
    const started = performance.now();
    camColumns(e, { start: Math.max(0, Math.min(3600, 8 * 3600 - span)), end: Math.min(8 * 3600, Math.max(0, Math.min(3600, 8 * 3600 - span)) + span) }, 1300, 8 * 3600, false);
    timings.push(performance.now() - started);
  }
  console.log(`8 h map, 1300 px: ${timings.map((t) => t.toFixed(1)).join(', ')} ms (whole, 1 h, 1 min, 2 s)`);
  assert.ok(Math.max(...timings) < 100, `each view within 100 ms (${Math.max(...timings).toFixed(1)})`);
});

// Two models compared: the comparison's JSON as the server sends it (POST models=, GET /api/v1/compare).
const { agreementSentences, timeProfile, sharedDuration, trackClasses, explanationOf } = lib('compare');
const stored = (id, model, predictions, explanations = [], events = []) => ({
  id, model, filename: 'metro.wav', duration_s: 10, predictions, explanations, events,
});
const rawComparison = (topB) => ({
  models: ['mn04_as', 'yamnet'],
  results: {
    mn04_as: stored('a', 'mn04_as', [{ index: 329, label: 'Train', probability: 0.73 }, { index: 300, label: 'Vehicle', probability: 0.24 }],
      [{ index: 329, label: 'Train', probability: 0.73, contrast: null, rows: 2, cols: 3, seconds_per_column: 0.32, map: [[0, 1, 0], [0, 1, 1]] }],
      [{ index: 329, label: 'Train', onset_s: 1, offset_s: 4, probability: 0.7 }]),
    yamnet: stored('b', 'yamnet', topB, [], [{ index: 329, label: 'Train', onset_s: 2, offset_s: 5, probability: 0.8 }, { index: 0, label: 'Speech', onset_s: 6, offset_s: 7 }]),
  },
  agreement: {
    top_shared: [{ index: 329, label: 'Train' }],
    top_only: { mn04_as: [{ index: 300, label: 'Vehicle', probability: 0.24 }], yamnet: [] },
    profile_correlation: [{ index: 329, label: 'Train', pearson: 0.12 }],
    events: {
      both: [{ index: 329, label: 'Train', overlap_s: 2, mn04_as: { index: 329, label: 'Train', onset_s: 1, offset_s: 4 }, yamnet: { index: 329, label: 'Train', onset_s: 2, offset_s: 5 } }],
      only: { mn04_as: [], yamnet: [{ index: 0, label: 'Speech', onset_s: 6, offset_s: 7 }] },
    },
  },
});

test('a comparison is normalised: results in the order of models, events per model', () => {
  const c = normalise.comparison(rawComparison([{ index: 329, label: 'Train', probability: 0.86 }]));
  assert.deepEqual(c.models, ['mn04_as', 'yamnet']);
  assert.deepEqual(c.results.map((r) => r.id), ['a', 'b']);
  assert.equal(c.agreement.events_both[0].byModel.yamnet.onset_s, 2);
  assert.equal(c.agreement.events_only.yamnet[0].label, 'Speech');
  assert.equal(c.agreement.profile_correlation[0].pearson, 0.12);
  const nullPearson = rawComparison([]);
  nullPearson.agreement.profile_correlation[0].pearson = null;
  assert.equal(normalise.comparison(nullPearson).agreement.profile_correlation[0].pearson, null);
  assert.throws(() => normalise.comparison({ models: ['mn04_as', 'mn04_as'] }), /two models/);
  assert.throws(() => normalise.comparison({ models: ['a', 'b'], results: {} }), /without an analysis/);
});

test('the sentences say where the models agree and where they do not', () => {
  const same = agreementSentences(normalise.comparison(rawComparison([{ index: 329, label: 'Train', probability: 0.86 }])));
  assert.equal(same[0].text, 'Both models hear Train first.');
  assert.equal(same[0].disagree, false);
  // r = 0.12 < 0.3: different moments; only yamnet has Speech events.
  assert.ok(same.some((s) => s.disagree && /different moments/.test(s.text) && /r = 0\.12/.test(s.text)));
  assert.ok(same.some((s) => s.text === 'Only yamnet finds Speech as events; mn04_as does not.'));
  // Train events unmatched by overlap are not "only": mn04_as has Train events too.
  assert.ok(!same.some((s) => /Only .* finds Train/.test(s.text)));
  const other = agreementSentences(normalise.comparison(rawComparison([{ index: 0, label: 'Speech', probability: 0.9 }, { index: 329, label: 'Train', probability: 0.5 }])));
  assert.equal(other[0].text, 'The models disagree: mn04_as hears Train, yamnet hears Speech.');
  const two = rawComparison([{ index: 329, label: 'Train', probability: 0.86 }]);
  two.agreement.profile_correlation.push({ index: 300, label: 'Vehicle', pearson: 0.05 }, { index: 1, label: 'Music', pearson: 0.8 });
  assert.ok(agreementSentences(normalise.comparison(two)).some((s) =>
    s.text === "They place Train and Vehicle at different moments (the maps' time profiles correlate at r = 0.12 and 0.05)."));
  const none = rawComparison([{ index: 0, label: 'Speech', probability: 0.9 }]);
  none.agreement.top_shared = [];
  none.agreement.profile_correlation = [];
  assert.match(agreementSentences(normalise.comparison(none))[0].text, /no class is in both top 5/);
});

test('a track draws the map summed over its rows, scaled to its peak, on the shared duration', () => {
  const c = normalise.comparison(rawComparison([{ index: 329, label: 'Train', probability: 0.86 }]));
  const e = explanationOf(c.results[0], 329);
  assert.ok(e);
  assert.equal(explanationOf(c.results[1], 329), null, 'yamnet did not explain it here');
  const p = timeProfile(e);
  assert.deepEqual(p.values, [0, 1, 0.5]); // column sums 0, 2, 1
  assert.equal(p.secondsPerColumn, 0.32);
  assert.equal(sharedDuration(c), 10);
  assert.deepEqual(trackClasses(c).map((x) => x.index), [329, 300]);
});

test('writes carry the CSRF token, reads do not', () => {
  const { needsCsrf } = lib('csrf');
  for (const method of ['POST', 'post', 'PATCH', 'patch', 'PUT', 'DELETE', 'delete']) assert.equal(needsCsrf(method), true, method);
  for (const method of ['GET', 'get', 'HEAD', 'OPTIONS', undefined]) assert.equal(needsCsrf(method), false, String(method));
});

test('a session reply needs a user and a CSRF token; health says whether to sign in', () => {
  assert.deepEqual(normalise.session({ user: 'ann', role: 'member', csrf_token: 'abc', expires_at: '2026-01-01T00:00:00Z' }), {
    user: 'ann', role: 'member', csrf_token: 'abc', expires_at: '2026-01-01T00:00:00Z',
  });
  assert.equal(normalise.session({ user: 'ann' }), null);
  assert.equal(normalise.session({ csrf_token: 'abc' }), null);
  assert.equal(normalise.session(null), null);
  assert.equal(normalise.health({ status: 'ok', sign_in: true }).sign_in, true);
  assert.equal(normalise.health({ status: 'ok' }).sign_in, false);
  assert.equal(normalise.health({ status: 'ok', sign_in: 'yes' }).sign_in, false);
});

const { formatTime, formatSpan, formatSeconds } = lib('format');
const { faithfulnessVerdict, describeFaithfulness, describeSanityStep, FAITHFULNESS_MARGIN } = lib('trust');

test('one time format, m:ss.s, on both sides of a minute and past an hour', () => {
  assert.equal(formatTime(110.08), '1:50.1', 'the issue’s 110.08 s');
  assert.equal(formatTime(7.5), '0:07.5', 'below a minute');
  assert.equal(formatTime(0), '0:00.0');
  assert.equal(formatTime(59.96), '1:00.0', 'rounded once: never 0:60.0');
  assert.equal(formatTime(3723.44), '1:02:03.4', 'past an hour');
  assert.equal(formatTime(65.432, 2), '1:05.43', 'more decimals when asked');
  assert.equal(formatTime(Number.NaN), '—');
  assert.equal(formatSpan(70.21, 71.04), '1:10.2–1:11.0');
  assert.equal(formatSeconds(110.08), '1:50.1', 'lengths past a minute use the same format, not "1 min 50 s"');
  assert.equal(formatSeconds(0.3), '0.30 s', 'short lengths stay in seconds');
});

const faith = (over) => ({ score: 0.6, random_score: 0.02, morf_auc: 0.2, lerf_auc: 0.8, steps: [], morf: [], lerf: [], ...over });

test('the faithfulness verdict needs a margin over the random map, not just a sign', () => {
  assert.equal(faithfulnessVerdict(0.01, 0.0).verdict, 'unclear', '0.01 against 0.00 is not better than chance');
  assert.equal(faithfulnessVerdict(0.0 + FAITHFULNESS_MARGIN * 0.99, 0).verdict, 'unclear', 'just under the margin');
  assert.equal(faithfulnessVerdict(0.05 + FAITHFULNESS_MARGIN * 1.01, 0.05).verdict, 'better', 'just over the margin');
  assert.equal(faithfulnessVerdict(-0.3, 0.02).verdict, 'worse');
  assert.equal(faithfulnessVerdict(0.5, Number.NaN).verdict, 'better', 'no random score: compared with 0');
  close(faithfulnessVerdict(1.1, 0.05).margin, 1.05, 1e-12, 'margin');
});

test('each check is a sentence with its margin; the scale is explained; no jargon outside tooltips', () => {
  const words = describeFaithfulness(faith({}), 'Cough');
  // top cells drop 1 - 0.2 = 0.8, bottom cells 1 - 0.8 = 0.2: four times as fast.
  assert.match(words.checks[0], /Removing the map's top cells first lowers Cough 4× faster than removing its bottom cells first/);
  assert.match(words.checks[1], /by 0\.60, a random map of the same cells by 0\.02: a margin of \+0\.58/);
  assert.equal(words.verdict, 'better');
  assert.match(words.verdictText, /better than a random map \(margin \+0\.58\)/);
  assert.match(words.scale, /0 means no difference .* 1 means the top cells carry all of it/);
  const unclear = describeFaithfulness(faith({ score: 0.01, random_score: 0, morf_auc: 0.5, lerf_auc: 0.51 }), 'Cough');
  assert.equal(unclear.verdict, 'unclear');
  assert.match(unclear.verdictText, /not clearly better than a random one \(margin \+0\.01, less than 0\.10\)/);
  assert.match(unclear.checks[0], /about as fast/);
  for (const text of [...words.checks, words.verdictText, words.scale, ...unclear.checks]) {
    assert.doesNotMatch(text, /MoRF|LeRF|rank correlation|AUC/i, `plain words: ${text}`);
  }
  assert.match(describeSanityStep('the last block', 0.12), /unrelated order .*0\.12; 1 = the same order/);
  assert.match(describeSanityStep('the head', 0.9), /much the same order/);
});

test('an absent class gets no verdict and no score, in words, and nothing reads a missing number', () => {
  // What the server sends for a class under 0.05 on the clip (a pinned Cough on a door knock).
  const absent = faith({ absent_class: true, score: null, random_score: null, morf_auc: null, lerf_auc: null,
    message: 'the class scores 0.000 on this clip (under 0.05): it is absent, so the map explains a class the model does not hear and the checks give no verdict' });
  const words = describeFaithfulness(absent, 'Cough');
  assert.equal(words.verdict, 'absent');
  assert.match(words.verdictText, /No verdict: Cough is absent from this recording/);
  assert.match(words.checks[0], /^The class scores 0\.000 on this clip .*no verdict\.$/);
  assert.equal(faithfulnessVerdict(null, null).verdict, 'unclear');
});

test('axis ticks use the same m:ss format, with the precision the span needs', () => {
  const { tickLabel } = lib('time-view');
  assert.equal(tickLabel(87.5, 1.5), '1:27.50');
  assert.equal(tickLabel(7.5, 10), '0:07.5');
  assert.equal(tickLabel(15, 90), '0:15');
  assert.equal(tickLabel(3723, 7200), '1:02:03');
});

const review = lib('review');
const unreviewed = { status: 'unreviewed', index: null, label: null, onset_s: null, offset_s: null, reviewer: null, reviewed_at: null };
const ev = (position, index, label, onset, r = {}) => ({ position, index, label, onset_s: onset, offset_s: onset + 1, probability: 0.5, low_hz: null, high_hz: null, review: { ...unreviewed, ...r } });

test('counts after review: rejected events do not count, a relabelled one counts under its new class', () => {
  const events = [
    ev(0, 47, 'Cough', 0, { status: 'confirmed' }),
    ev(1, 47, 'Cough', 2, { status: 'rejected' }),
    ev(2, 47, 'Cough', 4, { status: 'confirmed', index: 49, label: 'Sneeze' }),
    ev(3, 49, 'Sneeze', 6),
    ev(4, 47, 'Cough', 8, { status: 'confirmed', index: 48, label: 'Throat clearing' }),
  ];
  const detected = [{ index: 47, label: 'Cough', count: 4, per_hour: 8 }, { index: 49, label: 'Sneeze', count: 1, per_hour: 2 }, { index: 43, label: 'Snoring', count: 0, per_hour: 0 }];
  const counts = review.reviewedCounts(events, detected, 1800);
  // Counted by hand: Sneeze 1 confirmed + 1 unreviewed; Cough 1 confirmed, 1 rejected; Throat clearing 1 (relabel only); Snoring pinned at 0.
  assert.deepEqual(counts.map((c) => [c.label, c.count, c.detected, c.confirmed, c.rejected, c.unreviewed]), [
    ['Sneeze', 2, 1, 1, 0, 1],
    ['Cough', 1, 4, 1, 1, 0],
    ['Throat clearing', 1, 0, 1, 0, 0],
    ['Snoring', 0, 0, 0, 0, 0],
  ]);
  close(counts[0].per_hour, 4, 1e-12, 'two per half hour is four per hour');
  // Already reviewed counts keep the detector's count in `detected`: counting again gives the same.
  assert.deepEqual(review.reviewedCounts(events, counts, 1800).map((c) => c.count).sort(), counts.map((c) => c.count).sort());
  // A class's detection threshold stays with it (the counts view's control and the events it hides do not flicker while a review is sent).
  const withThresholds = review.reviewedCounts(events, detected.map((d) => ({ ...d, threshold: d.index / 100 })), 1800);
  assert.deepEqual(withThresholds.map((c) => [c.label, c.threshold]), [['Sneeze', 0.49], ['Cough', 0.47], ['Throat clearing', undefined], ['Snoring', 0.43]]);
});

test('a change to a review: left out kept, null back to the detected value; the shown class and times', () => {
  const r = review.applyChange(unreviewed, { status: 'confirmed' });
  assert.equal(r.status, 'confirmed');
  const relabelled = review.applyChange(r, { label: 49, onset_s: 1.5 }, { index: 49, label: 'Sneeze' });
  assert.deepEqual([relabelled.status, relabelled.index, relabelled.label, relabelled.onset_s, relabelled.offset_s], ['confirmed', 49, 'Sneeze', 1.5, null]);
  const shown = review.shownEvent(ev(0, 47, 'Cough', 1, relabelled));
  assert.deepEqual(shown, { index: 49, label: 'Sneeze', onset_s: 1.5, offset_s: 2 });
  const back = review.applyChange(relabelled, { label: null, onset_s: null });
  assert.deepEqual(review.shownEvent(ev(0, 47, 'Cough', 1, back)), { index: 47, label: 'Cough', onset_s: 1, offset_s: 2 });
});

test('j and k step through the rows and stop at the ends', () => {
  const rows = [0, 1, 2];
  assert.equal(review.stepRow(rows, null, 1), 0, 'nothing selected: j starts at the first');
  assert.equal(review.stepRow(rows, null, -1), 2, 'k starts at the last');
  assert.equal(review.stepRow(rows, 0, 1), 1);
  assert.equal(review.stepRow(rows, 2, 1), 2, 'stays on the last');
  assert.equal(review.stepRow(rows, 0, -1), 0, 'stays on the first');
  assert.equal(review.stepRow([], 0, 1), null);
});

test('counts first: pinned classes, then the clinical ones with events, then the rest by count', () => {
  const c = (index, label, count) => ({ index, label, count, per_hour: count, detected: count, confirmed: 0, rejected: 0, unreviewed: count });
  const counts = [c(74, 'Dog', 9), c(0, 'Speech', 12), c(43, 'Snoring', 3), c(47, 'Cough', 4), c(49, 'Sneeze', 0)];
  const order = review.countsFirst(counts, [16, 43], (i) => (i === 16 ? 'Laughter' : `class ${i}`)).map((x) => x.label);
  // Laughter pinned without events (0), Snoring pinned; Cough clinical with events; Sneeze clinical at 0 goes with the rest.
  assert.deepEqual(order, ['Laughter', 'Snoring', 'Cough', 'Speech', 'Dog', 'Sneeze']);
});

const thresholds = lib('thresholds');
const { mapVisibility } = lib('colormap');
const withPeak = (position, index, label, probability, r = {}, alternatives = []) => ({ ...ev(position, index, label, position, r), probability, alternatives });

test('a threshold counts the unreviewed events whose peak reaches it; confirmed always, rejected never', () => {
  const events = [
    withPeak(0, 47, 'Cough', 0.9),
    withPeak(1, 47, 'Cough', 0.3),
    withPeak(2, 47, 'Cough', 0.1, { status: 'confirmed' }),
    withPeak(3, 47, 'Cough', 0.95, { status: 'rejected' }),
    withPeak(4, 49, 'Sneeze', 0.6, { index: 47, label: 'Cough' }), // relabelled to Cough: counts under Cough
    withPeak(5, 47, 'Cough', 0.8, { index: 49, label: 'Sneeze' }), // relabelled away
  ];
  // By hand: at 0.02 (detection) every standing Cough event: 0, 1, 2, 4 = 4; at 0.5: 0, 2 (confirmed), 4 = 3; at 0.95: 2 only.
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.02).count, 4);
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.5).count, 3);
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.95).count, 1);
  assert.equal(thresholds.standingAtThreshold(events, 49, 0.5).count, 1, 'the relabelled one under Sneeze, at its peak 0.8');
});

test('a class is confused with the runner-ups of its events and the relabels either way, most frequent first', () => {
  const tc = { index: 48, label: 'Throat clearing', probability: 0.2 };
  const sn = { index: 49, label: 'Sneeze', probability: 0.1 };
  const events = [
    withPeak(0, 47, 'Cough', 0.9, {}, [tc, sn]),
    withPeak(1, 47, 'Cough', 0.9, {}, [tc]),
    withPeak(2, 47, 'Cough', 0.9, { index: 49, label: 'Sneeze' }, [tc]),
    withPeak(3, 49, 'Sneeze', 0.9, { index: 47, label: 'Cough' }),
    withPeak(4, 0, 'Speech', 0.9, {}, [{ index: 47, label: 'Cough', probability: 0.3 }]), // Speech's runner-up, not Cough's
  ];
  assert.deepEqual(thresholds.confusions(events, 47).map((c) => [c.label, c.runnerUp, c.relabelled]), [
    ['Throat clearing', 3, 0],
    ['Sneeze', 1, 2],
  ]);
  assert.deepEqual(thresholds.confusions(events, 47, 1).map((c) => c.label), ['Throat clearing']);
  assert.deepEqual(thresholds.confusions([], 47), []);
});

test('a raised threshold hides the unreviewed and rejected events under it, never a confirmed one; other classes untouched', () => {
  const events = [
    withPeak(0, 47, 'Cough', 0.9),
    withPeak(1, 47, 'Cough', 0.3),
    withPeak(2, 47, 'Cough', 0.1, { status: 'confirmed' }),
    withPeak(3, 47, 'Cough', 0.2, { status: 'rejected' }),
    withPeak(4, 49, 'Sneeze', 0.4, { index: 47, label: 'Cough' }), // shown as Cough: Cough's threshold applies
    withPeak(5, 47, 'Cough', 0.2, { index: 49, label: 'Sneeze' }), // shown as Sneeze: not Cough's
    withPeak(6, 0, 'Speech', 0.1),
  ];
  const detection = (i) => ({ 47: 0.25, 49: 0.3, 0: 0.8 })[i] ?? null;
  // Cough raised to 0.5; Sneeze set to its detection threshold (no effect); Speech below its detection (no effect); 16 has no detection threshold.
  const raised = thresholds.raisedThresholds(new Map([[47, 0.5], [49, 0.3], [0, 0.05], [16, 0.9]]), detection);
  assert.deepEqual([...raised], [[47, 0.5]]);
  const hidden = events.filter((e) => thresholds.hiddenByThreshold(e, raised)).map((e) => e.position);
  // By hand: Cough-shown events with peak < 0.5 and not confirmed: 1 (0.3), 3 (0.2, rejected), 4 (0.4, relabelled to Cough).
  assert.deepEqual(hidden, [1, 3, 4]);
  // The count agrees with what stays: standing (not rejected) Cough events not hidden = 0 and 2.
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.5).count, 2);
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.5).unreviewed, 1, 'of those, one unreviewed (event 0, peak 0.9); event 2 is confirmed');
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.5).rejected, 0, 'the rejected event 3 (0.2) is hidden too');
  assert.equal(thresholds.standingAtThreshold(events, 47, 0.1).rejected, 1);
  assert.deepEqual(events.filter((e) => !thresholds.hiddenByThreshold(e, new Map())).length, events.length, 'no threshold hides nothing');
  // The counts at those thresholds: Cough's at 0.5 (2 over 3600 s is 2 per hour), Speech's as it was.
  const counts = [{ index: 47, label: 'Cough', count: 4, per_hour: 4 }, { index: 0, label: 'Speech', count: 1, per_hour: 1 }];
  assert.deepEqual(thresholds.countsAtThresholds(counts, events, raised, 3600), [
    { index: 47, label: 'Cough', count: 2, unreviewed: 1, rejected: 0, per_hour: 2, atDetection: 4 },
    { index: 0, label: 'Speech', count: 1, per_hour: 1, atDetection: null },
  ]);
});

test('thresholds kept in the browser are read back defensively', () => {
  const { parseStoredThresholds, storedThresholdsText } = thresholds;
  const kept = new Map([[49, 0.7], [47, 0.5]]);
  assert.deepEqual([...parseStoredThresholds(storedThresholdsText(kept))].sort(), [[47, 0.5], [49, 0.7]]);
  assert.equal(storedThresholdsText(kept), '{"47":0.5,"49":0.7}');
  for (const hostile of [null, '', 'not json', '[0.5]', '"0.5"', 'null', '42', '{"__proto__":{"x":1}}']) assert.equal(parseStoredThresholds(hostile).size, 0, String(hostile));
  const mixed = parseStoredThresholds('{"47":0.5,"527":0.5,"-1":0.5,"1.5":0.5,"abc":0.5,"48":1.5,"49":-0.1,"50":"0.5","51":null,"0049":0.2,"52":1}');
  assert.deepEqual([...mixed], [[47, 0.5], [52, 1]], 'only class indices 0-526 with a number from 0 to 1');
});

test('the listening search in words: kept under half, not under half (a finding about the map), absent', () => {
  const { describeListening } = lib('listening');
  const kept = describeListening({ kept_probability: 0.61, removed_probability: 0.2, probability: 0.73, keep_fraction: 0.8, kept_fraction: 0.125, keeps_class: true, under_half: true }, 'Cough');
  assert.equal(kept.verdict, 'kept');
  assert.match(kept.headline, /top 13 % of the spectrogram keeps Cough \(at least 80 % of its probability\)/);
  assert.match(kept.detail, /gives Cough 61 % \(the whole recording 73 %\); on everything else, 20 %/);
  const wide = describeListening({ kept_probability: 0.6, removed_probability: 0.5, probability: 0.7, keep_fraction: 0.8, kept_fraction: 0.75, keeps_class: true, under_half: false }, 'Dog');
  assert.equal(wide.verdict, 'not-under-half');
  assert.match(wide.headline, /^No part of the map under half of the spectrogram keeps Dog at 80 % of its probability/);
  assert.match(wide.headline, /a finding about the map, not a failure of the tool/);
  assert.match(wide.detail, /^It takes the map's top 75 % to keep it\./);
  const never = describeListening({ kept_probability: 0.1, removed_probability: 0.5, probability: 0.7, keep_fraction: 0.8, kept_fraction: 0.75, keeps_class: false, under_half: false }, 'Dog');
  assert.match(never.detail, /^The map's top 75 % still does not keep it\. On it alone the model gives Dog 10 %/);
  const absent = describeListening({ kept_probability: 0.01, removed_probability: 0.02, probability: 0.03, kept_fraction: 0.5, absent_class: true, keeps_class: false, under_half: false }, 'Sneeze');
  assert.equal(absent.verdict, 'absent');
  assert.match(absent.headline, /^Sneeze is absent from this recording \(3\.0 %\)/);
  // Only the two probabilities the schema requires: the rest reads as a dash, never "NaN".
  const bare = describeListening({ kept_probability: 0.4, removed_probability: 0.1 }, 'Cough');
  assert.doesNotMatch(`${bare.headline} ${bare.detail}`, /NaN|undefined/);
});

test('a typed threshold is a number from 0 to 1, else a sentence', () => {
  assert.equal(thresholds.parseThreshold(' 0.25 '), 0.25);
  assert.equal(thresholds.parseThreshold('1'), 1);
  for (const bad of ['', 'abc', '-0.1', '1.5', 'NaN', 'Infinity', '1e400']) assert.equal(typeof thresholds.parseThreshold(bad), 'string', bad);
});

test('corrected times: numbers inside the recording, onset before offset, else a sentence naming the field', () => {
  assert.deepEqual(review.checkTimes('1.5', '2.25', 120), { onset_s: 1.5, offset_s: 2.25 });
  assert.deepEqual(review.checkTimes('0', '120', 120), { onset_s: 0, offset_s: 120 });
  assert.match(review.checkTimes('', '2', 120), /^Onset must be a time as m:ss\.s or a number of seconds/);
  assert.match(review.checkTimes('1', 'x', 120), /^Offset must be a time/);
  assert.match(review.checkTimes('-1', '2', 120), /^Onset must not be negative/);
  assert.match(review.checkTimes('1', '121', 120), /^Offset is beyond the end/);
  assert.match(review.checkTimes('2', '2', 120), /before offset/);
  assert.match(review.checkTimes('Infinity', '2', 120), /^Onset must be a time/);
  // In the page's own format too, as the fields show them.
  assert.deepEqual(review.checkTimes('1:50.08', '1:52.5', 120), { onset_s: 110.08, offset_s: 112.5 });
  assert.match(review.checkTimes('-0:01.0', '2', 120), /^Onset must not be negative/);
  assert.match(review.checkTimes('1:61', '2', 120), /^Onset must be a time/);
  assert.match(review.checkTimes('1', '2:00.5', 120), /^Offset is beyond the end of the recording \(2:00\.00\)/);
});

test('a typed time: m:ss.s, h:mm:ss.s or seconds, else NaN', () => {
  const { parseTime } = lib('format');
  assert.equal(parseTime('1:50.08'), 110.08);
  assert.equal(parseTime(' 0:07.5 '), 7.5);
  assert.equal(parseTime('1:02:03.4'), 3723.4);
  assert.equal(parseTime('110.08'), 110.08);
  assert.equal(parseTime('110.08 s'), 110.08);
  assert.equal(parseTime('12'), 12);
  assert.equal(parseTime('-3'), -3);
  // Every time the page writes reads back as itself (to its precision).
  for (const t of [0, 7.5, 59.96, 110.08, 3723.44]) close(parseTime(formatTime(t, 2)), t, 0.005, `round trip of ${t}`);
  for (const bad of ['', ':', '1:', ':30', '1:5', '1:60', '1:2:03', 'abc', '1e3', 'Infinity', '0x10', '1,5', '--1', '1:00:00:00']) assert.ok(Number.isNaN(parseTime(bad)), bad);
});

test('new times of an event: a time equal to the detected one is no correction; a selection is the event\'s span within 5 ms', () => {
  const e = { ...ev(0, 47, 'Cough', 10), onset_s: 10, offset_s: 11 };
  assert.deepEqual(review.timesChange(e, { onset_s: 10.0002, offset_s: 11.4 }), { onset_s: null, offset_s: 11.4 });
  assert.deepEqual(review.timesChange(e, { onset_s: 9.5, offset_s: 11 }), { onset_s: 9.5, offset_s: null });
  assert.equal(review.isEventSpan(e, { start: 10.004, end: 10.996 }), true);
  assert.equal(review.isEventSpan(e, { start: 10.01, end: 11 }), false);
  assert.equal(review.isEventSpan(e, null), false);
  const corrected = { ...e, review: { ...e.review, offset_s: 11.4 } };
  assert.equal(review.isEventSpan(corrected, { start: 10, end: 11.4 }), true, 'the corrected span is the shown one');
});

test('the dim scheme keeps a faint map more visible than grey at every value, over every spectrogram level', () => {
  for (const value of [0.15, 0.3, 0.5, 0.8]) {
    const grey = mapVisibility('grey', value, 0.65);
    const dim = mapVisibility('dim', value, 0.65);
    assert.ok(dim > grey * 1.15, `value ${value}: dim ${dim.toFixed(1)} vs grey ${grey.toFixed(1)}`);
  }
  // The measure itself: no map (opacity 0) is invisible.
  assert.equal(mapVisibility('dim', 0.5, 0), 0);
});

test('the report is of the pinned classes, then the others viewed, each once, at most 8', () => {
  const { reportView } = lib('report-view');
  assert.equal(reportView([], []), '');
  assert.equal(reportView([47], []), '47');
  const viewed = [{ index: 329, method: 'gradcam' }, { index: 47, method: 'layercam' }, { index: 329, method: 'gradcam' }, { index: 49, method: 'gradcam' }];
  assert.equal(reportView([49, 47], viewed), '49,47,329');
  const many = Array.from({ length: 12 }, (_, i) => ({ index: i, method: 'gradcam' }));
  assert.equal(reportView([], many).split(',').length, 8);
  assert.equal(reportView([-1, 1.5, 3], []), '3');
});

test('an event\'s alternatives are normalised: [] when absent, entries without a class index dropped', () => {
  const base = { index: 47, label: 'Cough', onset_s: 1, offset_s: 2, probability: 0.9 };
  const a = normalise.analysis({
    id: 'alt',
    events: [
      { ...base },
      { ...base, onset_s: 3, alternatives: [{ index: 48, label: 'Throat clearing', probability: 0.2 }, { label: 'no index' }, null, { index: 1.5, label: 'x' }, { index: 49, label: 'Sneeze' }] },
      { ...base, onset_s: 5, alternatives: 'nope' },
    ],
  });
  assert.deepEqual(a.events.map((e) => e.alternatives), [
    [],
    [{ index: 48, label: 'Throat clearing', probability: 0.2 }, { index: 49, label: 'Sneeze', probability: 0 }],
    [],
  ]);
});

test('the model list says which model the server calibrates, and with which file', () => {
  const calibration = { file: 'ward.json', method: 'platt', classes: ['Cough'], fitted_on: 'ward', files: 17 };
  const list = normalise.models({
    models: [
      { name: 'mn04_as', architecture: 'a', available: true, loaded: true, default: true, calibration },
      { name: 'yamnet', architecture: 'b', available: true, loaded: false, default: false, calibration: null },
      { name: 'cnn14', architecture: 'c', available: false, loaded: false, default: false },
    ],
  });
  assert.deepEqual(list.map((m) => m.calibratedBy), ['ward.json', null, null]);
});

// An event's explanation as the server sends it (explanation?event=N&listen=1): the usual explanation, its event and window.
const eventReply = (over = {}) => ({
  index: 47, label: 'Cough', probability: 0.9, method: 'grad-cam', map: [[0, 1], [1, 0]], seconds_per_column: 0.5,
  faithfulness: faith({}),
  listen: { kept_probability: 0.81, removed_probability: 0.12, probability: 0.9, keep_fraction: 0.8, kept_fraction: 0.14, keeps_class: true, under_half: true },
  event: { index: 2, class_index: 47, label: 'Cough', onset_s: 70.2, offset_s: 71.9 },
  window: { start_s: 69.5, end_s: 72.6 },
  ...over,
});

test('an event\'s explanation is normalised with its event and window; one without them is refused, not guessed', () => {
  const e = normalise.eventExplanation(eventReply());
  assert.equal(e.method, 'gradcam', 'one spelling of the method');
  assert.deepEqual(e.event, { index: 2, class_index: 47, label: 'Cough', onset_s: 70.2, offset_s: 71.9 });
  assert.deepEqual(e.window, { start_s: 69.5, end_s: 72.6 });
  assert.equal(e.sanity, null, 'optional parts null');
  assert.throws(() => normalise.eventExplanation(eventReply({ event: undefined })), /without its event/);
  assert.throws(() => normalise.eventExplanation(eventReply({ window: { start_s: 3, end_s: 3 } })), /without the window/);
  assert.throws(() => normalise.eventExplanation(eventReply({ map: [] })), /without a map/);
});

test('an event\'s check in a few words, with the whole recording\'s logic: faithful, not faithful, absent, no part under half', () => {
  const { describeEventCheck } = lib('event-check');
  const words = (over) => describeEventCheck(normalise.eventExplanation(eventReply(over)));
  const good = words({});
  assert.equal(good.verdict, 'faithful');
  assert.equal(good.line, 'Faithful · kept 81 % vs removed 12 % (14 % of the spectrogram)');
  assert.ok(good.sentences.some((s) => /better than a random map \(margin \+0\.58\)/.test(s)), 'the verdict sentence of the page');
  assert.ok(good.sentences.some((s) => /top 14 % of the spectrogram keeps Cough/.test(s)), 'the listening sentence of the page');
  assert.ok(good.sentences.some((s) => s.includes('1:09.5–1:12.6')), 'the window it was checked on');
  assert.ok(good.sentences.some((s) => /gives Cough 81 % \(the event's window 90 %\); on everything else, 12 %/.test(s)), 'the window, not the whole recording');
  // Under the 0.1 margin over the random map: not faithful, as for the whole recording.
  assert.equal(words({ faithfulness: faith({ score: 0.05, random_score: 0.0 }) }).headline, 'Not faithful');
  assert.equal(words({ faithfulness: faith({ score: -0.4, random_score: 0.0 }) }).verdict, 'worse');
  const wide = words({ listen: { kept_probability: 0.7, removed_probability: 0.5, probability: 0.9, keep_fraction: 0.8, kept_fraction: 0.75, keeps_class: true, under_half: false } });
  assert.equal(wide.line, 'Faithful · no part under half the spectrogram keeps Cough');
  assert.equal(wide.listening, 'not-under-half');
  const absentByTrust = words({ faithfulness: faith({ absent_class: true, score: null, random_score: null, morf_auc: null, lerf_auc: null }) });
  assert.equal(absentByTrust.line, 'Class absent: no verdict');
  assert.ok(absentByTrust.sentences.some((s) => /No verdict: Cough is absent from this event's window/.test(s)));
  const absentByEar = words({ listen: { kept_probability: 0.01, removed_probability: 0.02, probability: 0.03, kept_fraction: 0.5, absent_class: true } });
  assert.equal(absentByEar.verdict, 'absent');
  const unmeasured = words({ faithfulness: undefined, listen: undefined });
  assert.equal(unmeasured.line, 'Faithfulness not measured');
  for (const w of [good, wide, absentByTrust, absentByEar, unmeasured]) {
    assert.doesNotMatch(`${w.line} ${w.sentences.join(' ')}`, /NaN|undefined|MoRF|LeRF/);
  }
});

test('a check is kept per analysis, event as reviewed and method', () => {
  const { eventCheckKey } = lib('event-check');
  const review = { status: 'unreviewed', index: null, label: null, onset_s: null, offset_s: null, reviewer: null, reviewed_at: null };
  const cough = { position: 3, index: 47, label: 'Cough', onset_s: 1, offset_s: 2, probability: 0.8, low_hz: null, high_hz: null, alternatives: [], review };
  const key = eventCheckKey('a', cough, 'gradcam');
  assert.equal(eventCheckKey('a', { ...cough }, 'gradcam'), key);
  assert.notEqual(eventCheckKey('b', cough, 'gradcam'), key, 'another analysis');
  assert.notEqual(eventCheckKey('a', { ...cough, position: 4 }, 'gradcam'), key, 'another event');
  assert.notEqual(eventCheckKey('a', cough, 'layercam'), key, 'another method');
  assert.notEqual(eventCheckKey('a', { ...cough, review: { ...review, index: 49, label: 'Sneeze' } }, 'gradcam'), key, 'relabelled: its new class is explained');
  assert.notEqual(eventCheckKey('a', { ...cough, review: { ...review, onset_s: 0.5 } }, 'gradcam'), key, 'corrected times: a new window');
});
