// What lies under the pointer: time, frequency, spectrogram level, the map's
// value, and the map cell (its band in Hz and its time span).
import type { Explanation, Spectrogram } from './api-types';
import { camSecondsPerColumn } from './draw-layers';
import { hzAtFraction } from './mel-axis';
import { timeAt, type TimeView } from './time-view';

export interface CellInfo {
  row: number;
  col: number;
  lowHz: number | null;
  highHz: number | null;
  startS: number;
  endS: number;
}

export interface Probe {
  timeS: number;
  hz: number | null;
  level: number | null;
  cam: number | null;
  cell: CellInfo | null;
}

/** A map row's band in Hz: from row_edges_hz, else from the spectrogram's bin centres. */
export function rowBand(explanation: Explanation, row: number, centerHz: number[]): [number | null, number | null] {
  if (explanation.row_edges_hz) return [explanation.row_edges_hz[row] ?? null, explanation.row_edges_hz[row + 1] ?? null];
  if (centerHz.length === 0) return [null, null];
  const perRow = centerHz.length / explanation.rows;
  const low = centerHz[Math.floor(row * perRow)];
  const high = centerHz[Math.min(centerHz.length - 1, Math.ceil((row + 1) * perRow) - 1)];
  return [low ?? null, high ?? null];
}

/** fx, fy: position in the picture, 0..1 from the left and from the BOTTOM. */
export function probeAt(
  fx: number,
  fy: number,
  view: TimeView,
  durationS: number,
  spectrogram: Spectrogram | null,
  explanation: Explanation | null,
  cells: boolean,
): Probe {
  const timeS = timeAt(fx, view);
  let hz: number | null = null;
  let level: number | null = null;
  const centers = spectrogram?.center_hz ?? [];
  if (spectrogram && spectrogram.rows > 0) {
    const row = Math.min(spectrogram.rows - 1, Math.floor(fy * spectrogram.rows));
    if (centers.length) hz = hzAtFraction(centers, fy);
    const col = Math.floor((timeS - spectrogram.start_s) / (spectrogram.seconds_per_column || 1));
    const v = spectrogram.values[row]?.[col];
    level = typeof v === 'number' ? v : null;
  } else if (explanation?.row_edges_hz) {
    const e = explanation.row_edges_hz;
    const r = Math.min(explanation.rows - 1, Math.floor(fy * explanation.rows));
    hz = (e[r]! + e[r + 1]!) / 2;
  }
  let cam: number | null = null;
  let cell: CellInfo | null = null;
  if (explanation) {
    const { rows, cols, map } = explanation;
    const spc = camSecondsPerColumn(explanation, durationS);
    const x = timeS / spc;
    const col = Math.floor(x);
    const row = Math.min(rows - 1, Math.max(0, Math.floor(fy * rows)));
    if (col >= 0 && col < cols) {
      const [lowHz, highHz] = rowBand(explanation, row, centers);
      cell = { row, col, lowHz, highHz, startS: col * spc, endS: Math.min((col + 1) * spc, Math.max(durationS, (col + 1) * spc)) };
      if (cells || cols < 2) cam = map[row]?.[col] ?? null;
      else {
        // Bilinear between cell centres, as drawn.
        const cx = Math.min(cols - 1, Math.max(0, x - 0.5));
        const cy = Math.min(rows - 1, Math.max(0, fy * rows - 0.5));
        const c0 = Math.floor(cx);
        const r0 = Math.floor(cy);
        const c1 = Math.min(cols - 1, c0 + 1);
        const r1 = Math.min(rows - 1, r0 + 1);
        const tx = cx - c0;
        const ty = cy - r0;
        const at = (r: number, c: number) => map[r]?.[c] ?? 0;
        cam = (at(r0, c0) * (1 - tx) + at(r0, c1) * tx) * (1 - ty) + (at(r1, c0) * (1 - tx) + at(r1, c1) * tx) * ty;
      }
    }
  }
  return { timeS, hz, level, cam, cell };
}
