// The page's view of the soundlens API. The wire types are generated from the
// server's OpenAPI description (lib/generated/api-schema.ts, see
// scripts/gen-api-types.mjs); the types here are what the API client hands to
// components AFTER normalising (lib/normalise.ts): arrays are arrays, numbers
// are finite, and a field the server does not send yet is null / empty, so
// components never check shapes themselves.
import type * as Wire from './generated/api-schema';
import { PARAMETER_CHOICES } from './generated/api-schema';

export type { Wire };

export interface Prediction {
  index: number | null;
  label: string;
  probability: number;
}

export type ClassRef = Pick<Wire.Prediction, 'index' | 'label'>;

export interface AudioInfo {
  format: string | null;
  codec: string | null;
  sample_rate: number | null;
  channels: number | null;
  duration_s: number | null;
}

export interface TimelineWindow {
  start_s: number;
  end_s: number;
  /** The window's own top classes. */
  predictions: Prediction[];
  /** The clip's top (and pinned) classes, with their probability in this window. */
  classes: Prediction[];
  /** All 527 probabilities of the window, when the server sends them. */
  probabilities: number[] | null;
}

export interface Faithfulness {
  score: number;
  random_score: number;
  morf_auc: number | null;
  lerf_auc: number | null;
  steps: number[];
  morf: number[];
  lerf: number[];
}

export type Sanity = NonNullable<Wire.Explanation['sanity']>;

export interface Explanation {
  index: number | null;
  label: string;
  probability: number;
  method: string;
  layer: string | null;
  layers: string[];
  score: string | null;
  contrast: ClassRef | null;
  rows: number;
  cols: number;
  seconds_per_column: number | null;
  frames_per_column: number | null;
  mel_bins_per_row: number | null;
  /** rows + 1 band edges in Hz, lowest first, when the server sends them. */
  row_edges_hz: number[] | null;
  /** rows arrays of cols values in [0, 1]; row 0 is the lowest frequency. */
  map: number[][];
  completeness_error: number | null;
  faithfulness: Faithfulness | null;
  sanity: Sanity | null;
  listen: { kept_probability: number; removed_probability: number } | null;
}

export interface AudioEvent {
  index: number | null;
  label: string;
  onset_s: number;
  offset_s: number;
  probability: number;
  low_hz: number | null;
  high_hz: number | null;
}

export interface EventCount {
  index: number | null;
  label: string;
  count: number;
  per_hour: number | null;
}

export type QualityFlagName = 'narrowband' | 'clipping' | 'mostly_silent' | 'shorter_than_one_cell' | 'low_confidence';

export interface QualityFlag {
  flag: QualityFlagName | string;
  value: number | null;
  message: string;
}

/** What --redact-speech silenced before the recording was stored (spans sorted by start). */
export type Redaction = Pick<Wire.Redaction, 'spans' | 'fraction' | 'threshold'>;

export interface Analysis {
  id: string;
  filename: string;
  created_at: string | null;
  model: string | null;
  audio: AudioInfo;
  duration_s: number;
  window_s: number | null;
  hop_s: number | null;
  predictions: Prediction[];
  timeline: TimelineWindow[];
  explanations: Explanation[];
  /** null when the server does not compute events (an older server). */
  events: AudioEvent[] | null;
  event_counts: EventCount[] | null;
  quality: QualityFlag[] | null;
  /** Classes the request pinned. */
  classes: number[];
  timings_ms: Record<string, number>;
  note: string | null;
  labels: string[];
  /** false when the server keeps no recordings (--store-audio no): audio routes answer 410. */
  audio_stored: boolean;
  redaction: Redaction | null;
}

/** The span's columns (start_s..end_s), row 0 the lowest mel bin; min < max always. */
export type Spectrogram = Wire.Spectrogram;

export interface AnalysisSummary {
  id: string;
  filename: string;
  created_at: string | null;
  model: string | null;
  duration_s: number | null;
  predictions: Prediction[];
  note: string | null;
  labels: string[];
}

export interface AnalysisPage {
  items: AnalysisSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface Health {
  status: string;
  model_loaded: boolean;
  model: string | null;
  version: string | null;
  auth: string | null;
  /** The server's runtime upload limit; null when this server does not report it. */
  max_upload_bytes: number | null;
  /** True when the server requires authentication and the page may sign in with a name and password. */
  sign_in: boolean;
}

/** A web session (POST or GET /api/v1/session). */
export type SessionInfo = Wire.Session;

export type JobState = Wire.Job['state'];

/** A job as the page follows it: progress is null until the server first says it. */
export type Job = Pick<Wire.Job, 'id' | 'state' | 'stage' | 'eta_s' | 'analysis_id'> & {
  progress: number | null;
  error: { code: string; message: string } | null;
};

/** What an upload produced: the analysis (201) or a job to follow (202). */
export type UploadResult = { kind: 'analysis'; analysis: Analysis } | { kind: 'job'; job: Job };

export type ApiErrorBody = Wire.Error;
export type ErrorCode = Wire.Error['error']['code'];

export interface AnalysisRequest {
  file: Blob;
  filename: string;
  model?: string;
  top_k?: number;
  classes?: number[];
  window_s?: number;
  hop_s?: number;
  async?: boolean;
}

/** A model the server knows (GET /api/v1/models). */
export interface ModelInfo {
  name: string;
  architecture: string | null;
  /** Its weights are on the server: it can be picked. */
  available: boolean;
  loaded: boolean;
  default: boolean;
}

export interface CorrelatedClass {
  index: number;
  label: string;
  /** Pearson correlation of the two maps' time profiles; null when one is constant. */
  pearson: number | null;
}

/** Events of one class that both models place, overlapping. */
export interface MatchedEvent {
  index: number;
  label: string;
  overlap_s: number;
  /** Each model's event, keyed by model name. */
  byModel: Record<string, AudioEvent>;
}

export interface Agreement {
  top_shared: ClassRef[];
  /** Per model: its top classes the other lacks. */
  top_only: Record<string, Prediction[]>;
  profile_correlation: CorrelatedClass[];
  events_both: MatchedEvent[];
  events_only: Record<string, AudioEvent[]>;
}

/** Two models' analyses of one recording (POST models=, GET /api/v1/compare). */
export interface Comparison {
  /** The two model names, in order. */
  models: [string, string];
  /** Each model's stored analysis, in the order of models. */
  results: [Analysis, Analysis];
  agreement: Agreement;
}

/** The explanation methods the server declares (its /openapi.json), in its order. */
export const METHODS = PARAMETER_CHOICES['GET /api/v1/analyses/{id}/explanation'].method;
export type Method = (typeof METHODS)[number];

export interface ExplanationQuery {
  classIndex: number;
  method?: string;
  contrast?: number | null;
  sanity?: boolean;
  faithfulness?: boolean;
}
