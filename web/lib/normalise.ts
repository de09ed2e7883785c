// The one place where the service's JSON is shaped: every reply passes
// through here in the API client, so components get complete values (see
// api-types.ts) and never test fields themselves. A reply is taken as its
// generated type (lib/generated/api-schema.ts) says: tests/http/api/
// contract_test.cpp holds every route's real replies to those schemas. What
// stays here is what a schema cannot say: optional parts (absent in analyses
// stored by older servers) become null / empty, null numbers in a list are
// drawn as 0, one spelling of a method, sort orders, only raised quality
// flags, band edges that match the rows, a drawable value range, and the two
// models of a comparison in order.
import type {
  Analysis,
  AnalysisPage,
  AnalysisSummary,
  AudioEvent,
  Calibration,
  Comparison,
  EventCount,
  EventAlternative,
  EventReview,
  EventExplanation,
  Explanation,
  Health,
  Job,
  JobState,
  ModelInfo,
  QualityFlag,
  Redaction,
  ReviewResult,
  Robustness,
  SessionInfo,
  Spectrogram,
  TimelineWindow,
  Wire,
} from './api-types';

const orNull = <T>(v: T | null | undefined): T | null => v ?? null;
const byStart = <T extends { start_s: number }>(x: T, y: T) => x.start_s - y.start_s;

/** The server says "grad-cam" in one place and "gradcam" in another: one spelling here. */
export function methodName(v: string | undefined): string {
  const name = (v ?? 'gradcam').toLowerCase();
  return name === 'grad-cam' ? 'gradcam' : name === 'grad-cam++' ? 'gradcam++' : name;
}

/** An explanation; null when it has no map to draw. */
export function explanation(v: unknown): Explanation | null {
  const e = v as Wire.Explanation;
  const rows = e.map?.length ?? 0;
  if (rows === 0 || (e.map[0]?.length ?? 0) === 0) return null;
  return {
    ...e,
    method: methodName(e.method),
    rows,
    cols: e.map[0]!.length,
    row_edges_hz: e.row_edges_hz?.length === rows + 1 ? e.row_edges_hz : null,
    completeness_error: orNull(e.completeness_error),
    faithfulness: orNull(e.faithfulness),
    sanity: orNull(e.sanity),
    listen: orNull(e.listen),
  };
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * An event's explanation (explanation?event=N); throws when it has no map, or
 * lacks the event or the window it was computed on (a server that ignored `event`).
 */
export function eventExplanation(v: unknown): EventExplanation {
  const base = explanation(v);
  if (!base) throw new Error('The service sent an explanation without a map.');
  // Declared optional in the schema (only a reply to ?event= has them): checked, not assumed.
  const { event: e, window: w } = (v ?? {}) as { event?: Partial<EventExplanation['event']>; window?: Partial<EventExplanation['window']> };
  if (!e || !finite(e.index) || !finite(e.class_index) || !finite(e.onset_s) || !finite(e.offset_s)) throw new Error('The service sent an explanation without its event.');
  if (!w || !finite(w.start_s) || !finite(w.end_s) || w.end_s <= w.start_s) throw new Error('The service sent an explanation without the window it was computed on.');
  return {
    ...base,
    event: { index: e.index, class_index: e.class_index, label: e.label ?? base.label, onset_s: e.onset_s, offset_s: e.offset_s },
    window: { start_s: w.start_s, end_s: w.end_s },
  };
}

function timelineWindow(w: Wire.TimelineWindow): TimelineWindow {
  return { ...w, probabilities: w.probabilities ? w.probabilities.map((p) => p ?? 0) : null };
}

const UNREVIEWED: EventReview = { status: 'unreviewed', index: null, label: null, onset_s: null, offset_s: null, reviewer: null, reviewed_at: null };

function event(e: Wire.AudioEvent | Wire.CompareEvent, position = 0): AudioEvent {
  const review = 'review' in e && e.review && typeof e.review === 'object' ? { ...UNREVIEWED, ...e.review } : UNREVIEWED;
  // A compare event's alternatives are not declared; an entry without a class index is dropped.
  const alternatives = (Array.isArray(e.alternatives) ? (e.alternatives as EventAlternative[]) : [])
    .filter((x) => x && typeof x === 'object' && Number.isInteger(x.index) && typeof x.label === 'string')
    .map((x) => ({ index: x.index, label: x.label, probability: typeof x.probability === 'number' ? x.probability : 0 }));
  // A comparison's events are open objects: their `models` (fused analyses) are read as AudioEvent declares them.
  const models = Array.isArray(e.models) ? (e.models as AudioEvent['models']) : undefined;
  return { ...e, models, probability: e.probability ?? 0, low_hz: orNull(e.low_hz), high_hz: orNull(e.high_hz), position, review, alternatives };
}

/** A review's answer (PATCH .../events/{event_index}). */
export function reviewResult(v: unknown): ReviewResult {
  const r = v as Wire.EventReviewResult;
  if (!r?.event || !Array.isArray(r.event_counts)) throw new Error('The service answered the review without the event.');
  return { event: event(r.event, r.event_index), event_counts: r.event_counts.map(eventCount) };
}

const eventCount = (c: Wire.EventCount): EventCount => ({ ...c, per_hour: orNull(c.per_hour) });

/** Only raised checks are kept: the server sends every check with `raised`. */
function quality(checks: Wire.QualityCheck[]): QualityFlag[] {
  return checks.filter((q) => q.raised).map((q) => ({ name: q.name, message: q.message, value: orNull(q.value), unit: orNull(q.unit) }));
}

/** Spans sorted by start; one ending before it starts is dropped. */
function redaction(r: Wire.Redaction | undefined): Redaction | null {
  if (!r || typeof r !== 'object' || !Array.isArray(r.spans)) return null;
  return { spans: r.spans.filter((s) => s.end_s >= s.start_s).sort(byStart), fraction: r.fraction, threshold: r.threshold };
}

/** null unless it names its calibrated classes. */
function calibration(c: Wire.Calibration | undefined): Calibration | null {
  if (!c || typeof c !== 'object' || !Array.isArray(c.classes) || c.classes.length === 0) return null;
  return {
    file: c.file,
    method: c.method,
    classes: c.classes,
    fitted_on: c.fitted_on ?? '',
    files: c.files ?? 0,
    ece_before: orNull(c.ece_before),
    ece_after: orNull(c.ece_after),
  };
}

export function analysis(v: unknown): Analysis {
  const a = (v ?? {}) as Wire.StoredAnalysis & { classes?: number[] };
  if (!a.id) throw new Error('The service answered without an analysis.');
  return {
    ...a,
    timeline: (a.timeline ?? []).map(timelineWindow).sort(byStart),
    explanations: (a.explanations ?? []).map(explanation).filter((e): e is Explanation => e !== null),
    events: a.events ? a.events.map((e, i) => event(e, i)).sort((x, y) => x.onset_s - y.onset_s) : null,
    event_counts: a.event_counts ? a.event_counts.map(eventCount) : null,
    quality: a.quality ? quality(a.quality) : null,
    classes: a.classes ?? [],
    audio_stored: a.audio_stored !== false,
    redaction: redaction(a.redaction),
    calibration: calibration(a.calibration),
  };
}

/** A robustness reply; throws when it has no measurement to show. */
export function robustness(v: unknown): Robustness {
  const r = v as Wire.Robustness;
  if (!Array.isArray(r?.changes) || !Array.isArray(r.as_recorded) || r.as_recorded.length === 0) {
    throw new Error('The service sent a robustness reply without its measurements.');
  }
  return { ...r, sentences: r.sentences ?? [], skipped: r.skipped ?? [] };
}

/** A flat span (digital silence) still gets a drawable range: min < max. */
export function spectrogram(v: unknown): Spectrogram {
  const s = v as Wire.Spectrogram;
  return s.max > s.min ? s : { ...s, max: s.min + 1 };
}

const summary = (a: Wire.AnalysisSummary): AnalysisSummary => ({ ...a, duration_s: orNull(a.duration_s), predictions: a.predictions ?? [] });

export function analysisPage(v: unknown): AnalysisPage {
  const p = v as Wire.AnalysisPage;
  return { ...p, items: p.items.map(summary) };
}

/** /health answers 200 or 503 (loading, busy) with the same body. */
export function health(v: unknown): Health {
  const h = v as Wire.Health;
  return { ...h, model: orNull(h.model), max_upload_bytes: orNull(h.max_upload_bytes), sign_in: h.sign_in === true };
}

/** A session reply; null when it has no user or no CSRF token (then the page cannot write). */
export function session(v: unknown): SessionInfo | null {
  const s = (v ?? {}) as Partial<Wire.Session>;
  return s.user && s.csrf_token ? (s as Wire.Session) : null;
}

/** A job, bare or in its envelope ({ job }: POST replies); null when the reply has none. */
export function job(v: unknown): Job | null {
  const j = ((v as Partial<Wire.JobEnvelope> | null)?.job ?? v) as Wire.Job | null;
  if (!j?.id) return null;
  const error = j.error ? { code: j.error.code ?? 'internal', message: j.error.message ?? '' } : null;
  const [a, b] = j.compared_ids ?? [];
  const compared: [string, string] | null = a && b ? [a, b] : null;
  return { id: j.id, state: j.state, stage: j.stage, progress: j.progress ?? null, eta_s: j.eta_s, analysis_id: j.analysis_id, error, compared_ids: compared };
}

export function isFinal(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}

export function models(v: unknown): ModelInfo[] {
  return ((v as Wire.ModelList).models ?? []).map(({ name, architecture, available, loaded, default: isDefault, calibration }) => ({
    name,
    architecture,
    available,
    loaded,
    default: isDefault,
    calibratedBy: calibration?.file ?? null,
  }));
}

/** The comparison of two models (POST models=, GET /api/v1/compare); throws when a part is missing. */
export function comparison(v: unknown): Comparison {
  const c = v as Wire.Comparison;
  const [first, second] = c.models ?? [];
  if (c.models?.length !== 2 || !first || !second || first === second) throw new Error('The service sent a comparison without its two models.');
  const pair: [string, string] = [first, second];
  const results: [Analysis, Analysis] = [analysis(c.results?.[first]), analysis(c.results?.[second])];
  const { events, ...agreement } = c.agreement;
  const perModel = <T>(f: (name: string) => T): Record<string, T> => ({ [first]: f(first), [second]: f(second) });
  return {
    ...c,
    models: pair,
    results,
    agreement: {
      ...agreement,
      top_only: perModel((n) => agreement.top_only[n] ?? []),
      events_both: events.both.map(({ index, label, overlap_s, ...byName }) => ({
        index,
        label,
        overlap_s,
        byModel: perModel((n) => event(byName[n] as Wire.CompareEvent)),
      })),
      events_only: perModel((n) => (events.only[n] ?? []).map((e, i) => event(e, i))),
    },
  };
}
