// The one place where the service's JSON is shaped: every reply passes
// through here in the API client, so components get complete values (see
// api-types.ts) and never test fields themselves. Where the generated types
// (lib/generated/api-schema.ts) say all a reply is, it is taken as they say:
// tests/http/contract_test.cpp holds every route's real replies to those
// schemas. What stays here is what a schema cannot say: one spelling of a
// method, sort orders, only raised quality flags, a drawable value range,
// the two models of a comparison in order, and analyses stored by older
// servers (missing parts become null / empty: "not available").
import type {
  Analysis,
  AnalysisPage,
  Comparison,
  AnalysisSummary,
  AudioEvent,
  ClassRef,
  EventCount,
  Explanation,
  Faithfulness,
  Health,
  SessionInfo,
  Job,
  JobState,
  MatchedEvent,
  ModelInfo,
  Prediction,
  QualityFlag,
  Redaction,
  Sanity,
  Spectrogram,
  TimelineWindow,
  Wire,
} from './api-types';

type Raw = Record<string, unknown>;

const obj = (v: unknown): Raw => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Raw) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const nums = (v: unknown): number[] => arr(v).map((x) => num(x) ?? 0);
const isPresent = (v: unknown) => v !== undefined && v !== null;

function grid(v: unknown): number[][] {
  return arr(v).map((row) => arr(row).map((x) => num(x) ?? 0));
}

export function prediction(v: unknown): Prediction | null {
  const p = obj(v);
  const label = str(p.label);
  if (label === null) return null;
  return { index: num(p.index), label, probability: num(p.probability) ?? 0 };
}

const predictions = (v: unknown): Prediction[] => arr(v).map(prediction).filter((p): p is Prediction => p !== null);

function classRef(v: unknown): ClassRef | null {
  const c = obj(v);
  const index = num(c.index);
  return index === null ? null : { index, label: str(c.label) ?? `class ${index}` };
}

function faithfulness(v: unknown): Faithfulness | null {
  if (!isPresent(v)) return null;
  const f = obj(v);
  const score = num(f.score);
  if (score === null) return null;
  return {
    score,
    random_score: num(f.random_score) ?? NaN,
    morf_auc: num(f.morf_auc),
    lerf_auc: num(f.lerf_auc),
    steps: nums(f.steps),
    morf: nums(f.morf),
    lerf: nums(f.lerf),
  };
}

const sanity = (v: unknown): Sanity | null => (isPresent(v) ? (v as Sanity) : null);

/** The server says "grad-cam" in one place and "gradcam" in another: one spelling here. */
export function methodName(v: unknown): string {
  const name = (str(v) ?? 'gradcam').toLowerCase();
  return name === 'grad-cam' ? 'gradcam' : name === 'grad-cam++' ? 'gradcam++' : name;
}

export function explanation(v: unknown): Explanation | null {
  const e = obj(v);
  const map = grid(e.map);
  const label = str(e.label);
  if (map.length === 0 || (map[0]?.length ?? 0) === 0 || label === null) return null;
  const edges = nums(e.row_edges_hz);
  const layer = str(e.layer);
  return {
    index: num(e.index),
    label,
    probability: num(e.probability) ?? 0,
    method: methodName(e.method),
    layer,
    layers: arr(e.layers).map(str).filter((x): x is string => x !== null).concat(isPresent(e.layers) || !layer ? [] : [layer]),
    score: str(e.score),
    contrast: classRef(e.contrast),
    rows: map.length,
    cols: map[0]!.length,
    seconds_per_column: num(e.seconds_per_column),
    frames_per_column: num(e.frames_per_column),
    mel_bins_per_row: num(e.mel_bins_per_row),
    row_edges_hz: edges.length === map.length + 1 ? edges : null,
    map,
    completeness_error: num(e.completeness_error),
    faithfulness: faithfulness(e.faithfulness),
    sanity: sanity(e.sanity),
    listen: isPresent(e.listen)
      ? { kept_probability: num(obj(e.listen).kept_probability) ?? NaN, removed_probability: num(obj(e.listen).removed_probability) ?? NaN }
      : null,
  };
}

function timelineWindow(v: unknown): TimelineWindow | null {
  const w = obj(v);
  const start = num(w.start_s);
  const end = num(w.end_s);
  if (start === null || end === null) return null;
  const all = Array.isArray(w.probabilities) ? nums(w.probabilities) : null;
  return { start_s: start, end_s: end, predictions: predictions(w.predictions), classes: predictions(w.classes), probabilities: all };
}

function event(v: unknown): AudioEvent | null {
  const e = obj(v);
  const onset = num(e.onset_s);
  const offset = num(e.offset_s);
  const label = str(e.label);
  if (onset === null || offset === null || label === null) return null;
  return { index: num(e.index), label, onset_s: onset, offset_s: offset, probability: num(e.probability) ?? 0, low_hz: num(e.low_hz), high_hz: num(e.high_hz) };
}

function eventCount(v: unknown): EventCount | null {
  const c = obj(v);
  const label = str(c.label);
  return label === null ? null : { index: num(c.index), label, count: num(c.count) ?? 0, per_hour: num(c.per_hour) };
}

/** Only raised flags are kept; a server may send every check with `raised` and `name` instead of `flag`. */
function qualityFlag(v: unknown): QualityFlag | null {
  const q = obj(v);
  const flag = str(q.flag) ?? str(q.name);
  if (flag === null || q.raised === false) return null;
  return { flag, value: num(q.value), message: str(q.message) ?? '' };
}

function notNull<T>(v: T | null): v is T {
  return v !== null;
}

function redaction(v: unknown): Redaction | null {
  if (v === null || typeof v !== 'object') return null;
  const r = obj(v);
  const spans = arr(r.spans)
    .map((x) => {
      const span = obj(x);
      const start = num(span.start_s), end = num(span.end_s);
      return start === null || end === null || end < start ? null : { start_s: start, end_s: end };
    })
    .filter(notNull)
    .sort((x, y) => x.start_s - y.start_s);
  return { spans, fraction: num(r.fraction) ?? 0, threshold: num(r.threshold) ?? 0 };
}

function labels(v: unknown): string[] {
  return arr(v).map(str).filter(notNull);
}

export function analysis(v: unknown): Analysis {
  const a = obj(v);
  const id = str(a.id);
  if (!id) throw new Error('The service answered without an analysis.');
  const audio = obj(a.audio);
  const timings: Record<string, number> = {};
  for (const [stage, ms] of Object.entries(obj(a.timings_ms))) if (num(ms) !== null) timings[stage] = ms as number;
  const timeline = arr(a.timeline).map(timelineWindow).filter(notNull).sort((x, y) => x.start_s - y.start_s);
  const duration = num(a.duration_s) ?? num(audio.duration_s) ?? timeline[timeline.length - 1]?.end_s ?? 0;
  return {
    id,
    filename: str(a.filename) ?? 'Recording',
    created_at: str(a.created_at),
    model: str(a.model),
    audio: {
      format: str(audio.format),
      codec: str(audio.codec),
      sample_rate: num(audio.sample_rate),
      channels: num(audio.channels),
      duration_s: num(audio.duration_s),
    },
    duration_s: duration,
    window_s: num(a.window_s),
    hop_s: num(a.hop_s),
    predictions: predictions(a.predictions),
    timeline,
    explanations: arr(a.explanations).map(explanation).filter(notNull),
    events: Array.isArray(a.events) ? a.events.map(event).filter(notNull).sort((x, y) => x.onset_s - y.onset_s) : null,
    event_counts: Array.isArray(a.event_counts) ? a.event_counts.map(eventCount).filter(notNull) : null,
    quality: Array.isArray(a.quality) ? a.quality.map(qualityFlag).filter(notNull) : null,
    classes: arr(a.classes).map(num).filter(notNull),
    timings_ms: timings,
    note: str(a.note),
    labels: labels(a.labels),
    audio_stored: a.audio_stored !== false,
    redaction: redaction(a.redaction),
  };
}

/** A flat span (digital silence) still gets a drawable range: min < max. */
export function spectrogram(v: unknown): Spectrogram {
  const s = v as Wire.Spectrogram;
  return s.max > s.min ? s : { ...s, max: s.min + 1 };
}

function summary(v: unknown): AnalysisSummary | null {
  const a = obj(v);
  const id = str(a.id);
  if (!id) return null;
  return {
    id,
    filename: str(a.filename) ?? id,
    created_at: str(a.created_at),
    model: str(a.model),
    duration_s: num(a.duration_s),
    predictions: predictions(a.predictions),
    note: str(a.note),
    labels: labels(a.labels),
  };
}

export function analysisPage(v: unknown): AnalysisPage {
  const p = obj(v);
  const items = arr(p.items).map(summary).filter(notNull);
  return { items, total: num(p.total) ?? items.length, limit: num(p.limit) ?? items.length, offset: num(p.offset) ?? 0 };
}

export function health(v: unknown): Health {
  const h = obj(v);
  return {
    status: str(h.status) ?? 'unknown',
    model_loaded: h.model_loaded !== false,
    model: str(h.model),
    version: str(h.version),
    auth: str(h.auth),
    max_upload_bytes: num(h.max_upload_bytes),
    sign_in: h.sign_in === true,
  };
}

/** A session reply; null when it has no user or no CSRF token (then the page cannot write). */
export function session(v: unknown): SessionInfo | null {
  const s = obj(v) as Partial<Wire.Session>;
  return s.user && s.csrf_token ? (s as Wire.Session) : null;
}

const JOB_STATES: JobState[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

export function job(v: unknown): Job | null {
  const j = obj(obj(v).job ?? v);
  const id = str(j.id);
  if (!id) return null;
  const state = str(j.state) as JobState | null;
  const error = isPresent(j.error) ? { code: str(obj(j.error).code) ?? 'internal', message: str(obj(j.error).message) ?? '' } : null;
  return {
    id,
    state: state && JOB_STATES.includes(state) ? state : 'queued',
    stage: str(j.stage),
    progress: num(j.progress),
    eta_s: num(j.eta_s),
    analysis_id: str(j.analysis_id),
    error,
  };
}

export function isFinal(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

export function models(v: unknown): ModelInfo[] {
  return arr(obj(v).models)
    .map((m): ModelInfo | null => {
      const o = obj(m);
      const name = str(o.name);
      if (!name) return null;
      return { name, architecture: str(o.architecture), available: o.available === true, loaded: o.loaded === true, default: o.default === true };
    })
    .filter(notNull);
}

function byModel<T>(v: unknown, names: string[], item: (x: unknown) => T | null): Record<string, T[]> {
  const o = obj(v);
  return Object.fromEntries(names.map((n) => [n, arr(o[n]).map(item).filter(notNull)]));
}

/** The comparison of two models (POST models=, GET /api/v1/compare); throws when a part is missing. */
export function comparison(v: unknown): Comparison {
  const c = obj(v);
  const names = arr(c.models).map(str).filter(notNull);
  if (names.length !== 2 || names[0] === names[1]) throw new Error('The service sent a comparison without its two models.');
  const results = obj(c.results);
  const pair: [string, string] = [names[0]!, names[1]!];
  const agreement = obj(c.agreement);
  const events = obj(agreement.events);
  return {
    models: pair,
    results: [analysis(results[pair[0]]), analysis(results[pair[1]])],
    agreement: {
      top_shared: arr(agreement.top_shared).map(classRef).filter(notNull),
      top_only: byModel(agreement.top_only, pair, prediction),
      profile_correlation: arr(agreement.profile_correlation)
        .map((r) => {
          const ref = classRef(r);
          return ref ? { ...ref, pearson: num(obj(r).pearson) } : null;
        })
        .filter(notNull),
      events_both: arr(events.both)
        .map((m): MatchedEvent | null => {
          const o = obj(m);
          const ref = classRef(m);
          const first = event(o[pair[0]]);
          const second = event(o[pair[1]]);
          if (!ref || !first || !second) return null;
          return { ...ref, overlap_s: num(o.overlap_s) ?? 0, byModel: { [pair[0]]: first, [pair[1]]: second } };
        })
        .filter(notNull),
      events_only: byModel(events.only, pair, event),
    },
  };
}
