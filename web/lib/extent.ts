// How the layers line up in time: the picture spans the recording's duration;
// each matrix covers cols * seconds_per_column, which may differ slightly.
import type { Analysis, Spectrogram } from './api-types';

export function recordingDuration(analysis: Analysis | null, spectrogram: Spectrogram | null): number {
  const candidates = [
    analysis?.duration_s,
    analysis?.audio?.duration_s,
    spectrogram?.duration_s,
    spectrogram && spectrogram.seconds_per_column ? spectrogram.cols * spectrogram.seconds_per_column : undefined,
  ];
  return candidates.find((d): d is number => typeof d === 'number' && d > 0) ?? 0;
}

/** The fraction of the picture's width a matrix of `cols` columns covers. */
export function spanFraction(cols: number, secondsPerColumn: number | undefined, durationS: number): number {
  if (!(cols > 0) || !(secondsPerColumn! > 0) || !(durationS > 0)) return 1;
  return (cols * secondsPerColumn!) / durationS;
}

/** Matrix column (fractional) at time t; stretched over the duration when seconds_per_column is unknown. */
export function columnAt(t: number, cols: number, secondsPerColumn: number | undefined, durationS: number): number {
  if (secondsPerColumn && secondsPerColumn > 0) return t / secondsPerColumn;
  return durationS > 0 ? (t / durationS) * cols : 0;
}
