// The live page's folding of a session's lines (lib/live-lines.ts), on lines
// as `soundlens live --json` writes them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { EMPTY, foldLine } = require('../.unit-build/live-lines.js');

const event = (index, label, onset_s, offset_s, extra = {}) => ({ index, label, onset_s, offset_s, probability: 0.6, peak_s: onset_s, low_hz: 0, high_hz: 15000, ...extra });
const fold = (lines) => lines.reduce(foldLine, { ...EMPTY, status: 'live' });

test('a hop line gives the current window, its level and the drops', () => {
  const v = fold([{ type: 'hop', time_s: 2.5, window_start_s: 0.5, top: [{ index: 0, label: 'Speech', probability: 0.9 }], watched: [], rms_dbfs: -30, peak_dbfs: -12, dropped_windows: 3, compute_ms: 9 }]);
  assert.equal(v.top[0].label, 'Speech');
  assert.equal(v.heardS, 2.5);
  assert.equal(v.dropped, 3);
  assert.deepEqual(v.level, { rms: -30, peak: -12 });
});

test('an end closes its start and the related starts it resolved into itself, and is counted', () => {
  const v = fold([
    { type: 'event_start', ...event(48, 'Throat clearing', 2.6, 3.0) },
    { type: 'event_start', ...event(47, 'Cough', 1.9, 2.5) },
    { type: 'event_start', ...event(23, 'Baby cry, infant cry', 9.4, 9.8) },
    { type: 'event', ...event(47, 'Cough', 1.9, 3.5, { alternatives: [{ index: 48, label: 'Throat clearing', probability: 0.3 }] }) },
  ]);
  assert.deepEqual(v.open.map((e) => e.label), ['Baby cry, infant cry']);
  assert.deepEqual(v.events.map((e) => e.label), ['Cough']);
  assert.deepEqual(v.counts, { Cough: 1 });
  const w = foldLine(v, { type: 'event', ...event(47, 'Cough', 12, 13) });
  assert.equal(w.counts.Cough, 2);
  assert.equal(w.events[0].onset_s, 12, 'newest first');
});

test('the summary closes what is open; stored and error end the session', () => {
  const v = fold([{ type: 'event_start', ...event(0, 'Speech', 1, 2) }, { type: 'summary', ended_by: 'stopped', duration_s: 20.5, windows: 38, dropped_windows: 0, event_counts: [] }]);
  assert.deepEqual(v.open, []);
  assert.equal(v.heardS, 20.5);
  const stored = foldLine(v, { type: 'stored', analysis_id: 'a'.repeat(32) });
  assert.equal(stored.status, 'stored');
  assert.equal(stored.analysisId, 'a'.repeat(32));
  const failed = foldLine(v, { type: 'error', code: 'empty_audio', message: 'the live session heard nothing' });
  assert.equal(failed.status, 'error');
  assert.match(failed.error, /heard nothing/);
});

test('warnings: the newest first, at most five', () => {
  const v = fold(Array.from({ length: 7 }, (_, i) => ({ type: 'warning', time_s: i, message: `w${i}` })));
  assert.deepEqual(v.warnings, ['w6', 'w5', 'w4', 'w3', 'w2']);
});

test('after the stop, the job storing the session: its stage and progress (never going back), then stored', () => {
  const live = { ...fold([]), status: 'live' };
  const queued = foldLine(live, { type: 'job', job_id: 'j'.repeat(32) });
  assert.equal(queued.status, 'stopping');
  assert.deepEqual(queued.job, { id: 'j'.repeat(32), stage: 'queued', progress: 0 });
  const running = foldLine(queued, { type: 'job', job_id: 'j'.repeat(32), state: 'running', stage: 'windows', progress: 0.4 });
  assert.deepEqual(running.job, { id: 'j'.repeat(32), stage: 'windows', progress: 0.4 });
  const older = foldLine(running, { type: 'job', job_id: 'j'.repeat(32), state: 'running', stage: 'events', progress: 0.3 });
  assert.equal(older.job.progress, 0.4, 'progress never goes back');
  const stored = foldLine(older, { type: 'stored', analysis_id: 'a'.repeat(32), job_id: 'j'.repeat(32) });
  assert.equal(stored.status, 'stored');
  assert.equal(stored.analysisId, 'a'.repeat(32));
  assert.equal(stored.job.progress, 1);
});
