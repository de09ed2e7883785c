// The page's view of the soundlens API. Every type here is the generated wire
// type (lib/generated/api-schema.ts, from the server's /openapi.json, see
// scripts/gen-api-types.mjs) or a narrow derivation of it: what the API client
// hands to components AFTER lib/normalise.ts, where a field the schema marks
// optional is null / empty ("not available", e.g. in an analysis stored by an
// older server), so components never check shapes themselves. A local shape
// is kept only where the schema cannot say what the page needs; each names
// its schema gap.
import type * as Wire from './generated/api-schema';
import { PARAMETER_CHOICES, PARAMETER_DEFAULTS } from './generated/api-schema';

export type { Wire };

/** T with the fields K present, null where the reply left them out. */
type OrNull<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> | null };

export type Prediction = Wire.Prediction;
export type ClassRef = Pick<Wire.Prediction, 'index' | 'label'>;
export type AudioInfo = Wire.StoredAnalysis['audio'];

/**
 * A window's probabilities: the schema allows null entries (a non-finite
 * value); the page draws them as 0, and null stands for "not sent".
 */
export type TimelineWindow = Omit<Wire.TimelineWindow, 'probabilities'> & { probabilities: number[] | null };

export type Faithfulness = NonNullable<Wire.Explanation['faithfulness']>;
/** How one class holds up under noise, channels, gain and delays (GET .../robustness). */
export type Robustness = Wire.Robustness;
export type Sanity = NonNullable<Wire.Explanation['sanity']>;

/**
 * Schema gap: row_edges_hz is "rows + 1 band edges" only in the writer; the
 * schema says number[], so the page checks the length and keeps null otherwise.
 */
export type Explanation = OrNull<Omit<Wire.Explanation, 'row_edges_hz'>, 'completeness_error' | 'faithfulness' | 'sanity' | 'listen'> & {
  row_edges_hz: number[] | null;
};

/**
 * The event an explanation was computed for (explanation?event=N): its place
 * in the analysis' events, its class as reviewed and its times as reviewed.
 */
export type ExplainedEvent = NonNullable<Wire.Explanation['event']>;

/** The part of the recording an event's explanation was computed on; the map's times count from its start. */
export type ExplanationWindow = NonNullable<Wire.Explanation['window']>;

/** An event's explanation (explanation?event=N): the usual explanation, its event and its window. */
export type EventExplanation = Omit<Explanation, 'event' | 'window'> & { event: ExplainedEvent; window: ExplanationWindow };

/** A person's review of an event (PATCH .../events/{event_index}); unreviewed with nulls when none. */
export type EventReview = Wire.EventReviewState;
export type ReviewStatus = EventReview['status'];

/**
 * An event with its review (unreviewed when the reply had none: the CLI's or
 * an older server's) and its position in the analysis' events, which names it
 * in a review (the page sorts events; the server's order is by onset too).
 */
export type AudioEvent = OrNull<Omit<Wire.AudioEvent, 'review' | 'alternatives'>, 'low_hz' | 'high_hz'> & {
  position: number;
  review: EventReview;
  /** The runner-up classes heard in the same sound ([] when the reply had none). */
  alternatives: EventAlternative[];
};
export type EventAlternative = NonNullable<Wire.AudioEvent['alternatives']>[number];
/** Of a stored analysis: count and per_hour are after review, with detected / confirmed / rejected / unreviewed. */
export type EventCount = OrNull<Wire.EventCount, 'per_hour'>;

/** The answer to a review: the event as reviewed and the counts after it. */
export interface ReviewResult {
  event: AudioEvent;
  event_counts: EventCount[];
}

/** A raised quality check (the page keeps only those). */
export type QualityFlag = OrNull<Omit<Wire.QualityCheck, 'raised'>, 'value' | 'unit'>;

/** What --redact-speech silenced before the recording was stored (spans sorted by start). */
export type Redaction = Pick<Wire.Redaction, 'spans' | 'fraction' | 'threshold'>;

/**
 * What serve --calibration did to the model's probabilities: the classes calibrated, the file, the data it was fitted on
 * (the wire's model, weights and parameters, which let the server recompute a stored analysis, are not shown).
 */
export type Calibration = Required<Omit<Wire.Calibration, 'ece_before' | 'ece_after' | 'model' | 'weights_sha256' | 'parameters'>> & {
  ece_before: number | null;
  ece_after: number | null;
};

/**
 * An analysis as stored. Schema gap: `classes` (the classes the request
 * pinned) is read by the page but neither declared in StoredAnalysis nor
 * written by today's server (only per timeline window), so it is kept here
 * and is [] unless a reply carries it.
 */
export type Analysis = Omit<
  Wire.StoredAnalysis,
  'explanations' | 'timeline' | 'events' | 'event_counts' | 'quality' | 'audio_stored' | 'redaction' | 'probabilities' | 'calibration'
> & {
  explanations: Explanation[];
  timeline: TimelineWindow[];
  /** null when the server did not compute events (an older analysis). */
  events: AudioEvent[] | null;
  event_counts: EventCount[] | null;
  quality: QualityFlag[] | null;
  /** false when the server keeps no recordings (--store-audio no): audio routes answer 410. */
  audio_stored: boolean;
  redaction: Redaction | null;
  /** null unless the server calibrated the model (serve --calibration). */
  calibration: Calibration | null;
  classes: number[];
};

/** The span's columns (start_s..end_s), row 0 the lowest mel bin; min < max always. */
export type Spectrogram = Wire.Spectrogram;

export type AnalysisSummary = OrNull<Wire.AnalysisSummary, 'duration_s'> & { predictions: Prediction[] };
export type AnalysisPage = Omit<Wire.AnalysisPage, 'items'> & { items: AnalysisSummary[] };

export type Health = OrNull<Wire.Health, 'model' | 'max_upload_bytes'> & {
  /** True when the server requires authentication and the page may sign in with a name and password. */
  sign_in: boolean;
};

/** A web session (POST or GET /api/v1/session). */
export type SessionInfo = Wire.Session;

export type JobState = Wire.Job['state'];

/**
 * A job as the page follows it. progress is null until the server first
 * answers (the page makes the job from a 202 before that). Schema gap: a
 * failed job's error has optional code and message; the page fills them.
 */
export type Job = Pick<Wire.Job, 'id' | 'state' | 'stage' | 'eta_s' | 'analysis_id'> & {
  progress: number | null;
  error: { code: string; message: string } | null;
  /** A comparison's job, once done: its two analyses, in the order of its models (GET /api/v1/compare?a=&b=). */
  compared_ids: [string, string] | null;
};

/** What an upload produced: the analysis (201) or a job to follow (202). */
export type UploadResult = { kind: 'analysis'; analysis: Analysis } | { kind: 'job'; job: Job };
/** What an upload to compare two models produced: the comparison (201) or a job to follow (202). */
export type ComparisonResult = { kind: 'comparison'; comparison: Comparison } | { kind: 'job'; job: Job };

export type ApiErrorBody = Wire.Error;
export type ErrorCode = Wire.Error['error']['code'];

/** The upload form (multipart): the schema describes no request body the generator types. */
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

/**
 * A model the server knows (GET /api/v1/models); `available`: its weights are there, it can be picked;
 * `calibratedBy`: the calibration file the server applies to it (serve --calibration), else null.
 */
export type ModelInfo = Pick<Wire.ModelFacts, 'name' | 'architecture' | 'available' | 'loaded' | 'default'> & {
  calibratedBy: string | null;
};

/** Pearson correlation of the two maps' time profiles; null when one is constant. */
export type CorrelatedClass = Wire.Agreement['profile_correlation'][number];

/**
 * Events of one class that both models place, overlapping. Schema gap: the
 * wire puts each model's event under its name ([field: string]: unknown), so
 * the page moves them into byModel.
 */
export type MatchedEvent = Pick<Wire.MatchedEvent, 'index' | 'label' | 'overlap_s'> & { byModel: Record<string, AudioEvent> };

/** The wire's events.both / events.only, flattened; top_only per model. */
export type Agreement = Omit<Wire.Agreement, 'events'> & {
  events_both: MatchedEvent[];
  events_only: Record<string, AudioEvent[]>;
};

/**
 * Two models' analyses of one recording (POST models=, GET /api/v1/compare).
 * Schema gap: models is string[] (not exactly two) and results a map; the
 * page holds both in the order of models.
 */
export type Comparison = Omit<Wire.Comparison, 'models' | 'results' | 'agreement'> & {
  models: [string, string];
  results: [Analysis, Analysis];
  agreement: Agreement;
};

/** The explanation methods the server declares (its /openapi.json), in its order. */
export const METHODS = PARAMETER_CHOICES['GET /api/v1/analyses/{id}/explanation'].method;
export type Method = (typeof METHODS)[number];
/** The method a map is made with when none is asked: the server's one declaration (its /openapi.json). */
export const DEFAULT_METHOD: string = PARAMETER_DEFAULTS['GET /api/v1/analyses/{id}/explanation'].method;

export interface ExplanationQuery {
  classIndex: number;
  method?: string;
  contrast?: number | null;
  sanity?: boolean;
  faithfulness?: boolean;
  /** Run the listening search too (`listen` in the answer). */
  listen?: boolean;
}

/** An event's explanation: its faithfulness always, the listening search on request, by one method. */
export interface EventExplanationQuery {
  /** The event's place in the analysis' events (AudioEvent.position). */
  event: number;
  method?: string;
  listen?: boolean;
}
