// What lies under the pointer: time, frequency, spectrogram value and CAM value.
import type { Explanation, Spectrogram } from './api-types';
import { sampleBilinear } from './bilinear';
import { columnAt } from './extent';
import { hzAtFraction } from './mel-axis';

export interface Probe {
  timeS: number;
  hz: number | null;
  melBin: number | null;
  level: number | null;
  cam: number | null;
}

/** fx, fy: position in the picture, 0..1 from the left and from the BOTTOM. */
export function probeAt(
  fx: number,
  fy: number,
  durationS: number,
  spectrogram: Spectrogram | null,
  explanation: Explanation | null,
): Probe {
  const timeS = fx * durationS;
  let hz: number | null = null;
  let melBin: number | null = null;
  let level: number | null = null;
  if (spectrogram && spectrogram.values?.length) {
    const rows = spectrogram.values.length;
    const cols = spectrogram.values[0]?.length ?? 0;
    const row = Math.min(rows - 1, Math.floor(fy * rows));
    melBin = row;
    if (spectrogram.center_hz?.length) hz = hzAtFraction(spectrogram.center_hz, fy);
    const col = Math.floor(columnAt(timeS, cols, spectrogram.seconds_per_column, durationS));
    const v = spectrogram.values[row]?.[col];
    level = typeof v === 'number' ? v : null;
  }
  let cam: number | null = null;
  if (explanation && explanation.map?.length) {
    const rows = explanation.map.length;
    const cols = explanation.map[0]?.length ?? 0;
    const x = columnAt(timeS, cols, explanation.seconds_per_column, durationS);
    if (x <= cols) cam = sampleBilinear(explanation.map, rows, cols, fy * rows, x);
  }
  return { timeS, hz, melBin, level, cam };
}
