// The lines of a live session's event stream (the JSON of `soundlens live --json`, then the service's
// `stored` or `error`), and how the page folds them into what it shows. Pure: unit-tested.
export interface LivePrediction {
  index: number;
  label: string;
  probability: number;
}

export interface LiveEvent {
  index: number;
  label: string;
  onset_s: number;
  offset_s: number;
  probability: number;
  peak_s: number;
  low_hz: number | null;
  high_hz: number | null;
  /** Related classes resolved into this event (on its end line). */
  alternatives?: { index: number; label: string; probability: number }[];
}

export type LiveLine =
  | { type: 'hop'; time_s: number; window_start_s: number; top: LivePrediction[]; watched: LivePrediction[]; rms_dbfs: number; peak_dbfs: number; dropped_windows: number; compute_ms: number }
  | ({ type: 'event_start' } & LiveEvent)
  | ({ type: 'event' } & LiveEvent)
  | { type: 'warning'; time_s: number; message: string }
  | { type: 'summary'; ended_by: string; duration_s: number; windows: number; dropped_windows: number; event_counts: { label: string; count: number; per_hour: number | null }[] }
  | { type: 'job'; job_id: string; state?: string; stage?: string; progress?: number }
  | { type: 'stored'; analysis_id: string }
  | { type: 'error'; code: string; message: string };

export type LiveStatus = 'idle' | 'starting' | 'live' | 'stopping' | 'stored' | 'error';

export interface LiveView {
  status: LiveStatus;
  session: { id: string; model: string; window_s: number; hop_s: number } | null;
  top: LivePrediction[];
  watched: LivePrediction[];
  level: { rms: number; peak: number };
  heardS: number;
  dropped: number;
  open: LiveEvent[];
  events: LiveEvent[];
  counts: Record<string, number>;
  warnings: string[];
  analysisId: string | null;
  /** After the stop: the job analysing and storing the session, its stage and progress (0..1). */
  job: { id: string; stage: string; progress: number } | null;
  error: string | null;
}

export const EMPTY: LiveView = {
  status: 'idle',
  session: null,
  top: [],
  watched: [],
  level: { rms: -120, peak: -120 },
  heardS: 0,
  dropped: 0,
  open: [],
  events: [],
  counts: {},
  warnings: [],
  analysisId: null,
  job: null,
  error: null,
};


const sameEvent = (a: LiveEvent, b: LiveEvent) => a.index === b.index && Math.abs(a.onset_s - b.onset_s) < 1e-6;

/** One line folded into the view. */
export function foldLine(view: LiveView, line: LiveLine): LiveView {
  switch (line.type) {
    case 'hop':
      return { ...view, top: line.top, watched: line.watched, level: { rms: line.rms_dbfs, peak: line.peak_dbfs }, heardS: Math.max(view.heardS, line.time_s), dropped: line.dropped_windows };
    case 'event_start':
      return { ...view, open: [...view.open.filter((e) => !sameEvent(e, line)), line] };
    case 'event': {
      // The end closes its own start, and the starts of related classes it resolved into itself (a Throat
      // clearing start inside what ends as a Cough event with Throat clearing as its alternative).
      const resolved = new Set([line.index, ...(line.alternatives ?? []).map((a) => a.index)]);
      const overlaps = (e: LiveEvent) => e.onset_s <= line.offset_s && e.onset_s >= line.onset_s - 1e-6;
      const open = view.open.filter((e) => !(Math.abs(e.onset_s - line.onset_s) < 1e-6 || e.index === line.index || (resolved.has(e.index) && overlaps(e))));
      return { ...view, open, events: [line, ...view.events], counts: { ...view.counts, [line.label]: (view.counts[line.label] ?? 0) + 1 } };
    }
    case 'warning':
      return { ...view, warnings: [line.message, ...view.warnings].slice(0, 5) };
    case 'summary':
      return { ...view, open: [], heardS: line.duration_s, dropped: line.dropped_windows };
    case 'job':
      return {
        ...view,
        status: view.status === 'stored' ? view.status : 'stopping',
        job: { id: line.job_id, stage: line.stage ?? view.job?.stage ?? 'queued', progress: Math.max(view.job?.progress ?? 0, line.progress ?? 0) },
      };
    case 'stored':
      return { ...view, status: 'stored', analysisId: line.analysis_id, job: view.job ? { ...view.job, progress: 1 } : null };
    case 'error':
      return { ...view, status: 'error', error: line.message };
    default:
      return view;
  }
}

