// The JSON of the soundlens HTTP API (see ../shared/DESIGN.md), in one place.
// Fields the page can live without are optional: a response that lacks them
// must degrade the page, never break it.

export interface Prediction {
  index?: number;
  label: string;
  probability: number;
}

export interface AudioInfo {
  format?: string;
  codec?: string;
  sample_rate?: number;
  channels?: number;
  duration_s?: number;
}

export interface TimelineWindow {
  start_s: number;
  end_s: number;
  predictions: Prediction[];
  /** The clip's top classes, with their probability in this window. */
  classes?: Prediction[];
}

export interface Explanation extends Prediction {
  method?: string;
  layer?: string;
  score?: string;
  rows: number;
  cols: number;
  seconds_per_column?: number;
  mel_bins_per_row?: number;
  /** rows arrays of cols values in [0, 1]; row 0 is the lowest frequency. */
  map: number[][];
}

export interface Timings {
  decode?: number;
  features?: number;
  inference?: number;
  explain?: number;
  render?: number;
  total?: number;
  [stage: string]: number | undefined;
}

export interface Analysis {
  id: string;
  filename?: string;
  created_at?: string;
  model?: string;
  audio?: AudioInfo;
  predictions?: Prediction[];
  timeline?: TimelineWindow[];
  explanations?: Explanation[];
  window_s?: number;
  hop_s?: number;
  duration_s?: number;
  timings_ms?: Timings;
}

export interface Spectrogram {
  rows: number;
  cols: number;
  seconds_per_column?: number;
  duration_s?: number;
  /** Centre frequency of each mel bin, low to high. */
  center_hz?: number[];
  min?: number;
  max?: number;
  /** rows arrays of cols values; row 0 is the lowest frequency. */
  values: number[][];
}

export interface AnalysisSummary {
  id: string;
  filename?: string;
  created_at?: string;
  model?: string;
  duration_s?: number;
  predictions?: Prediction[];
}

export interface AnalysisPage {
  items: AnalysisSummary[];
  total?: number;
  limit?: number;
  offset?: number;
}

export interface Health {
  status?: string;
  model_loaded?: boolean;
  version?: string;
  max_upload_bytes?: number;
  [fact: string]: unknown;
}

export type ErrorCode =
  | 'unsupported_format'
  | 'too_large'
  | 'too_long'
  | 'empty_audio'
  | 'silent_audio'
  | 'too_short'
  | 'busy'
  | 'model_not_loaded'
  | 'bad_request'
  | 'not_found'
  | 'internal';

export interface ApiErrorBody {
  error: { code: ErrorCode | string; message?: string; status?: number };
}

export interface AnalysisRequest {
  file: Blob;
  filename: string;
  model?: string;
  top_k?: number;
  window_s?: number;
  hop_s?: number;
}
