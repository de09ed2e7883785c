// The vertical axis of the spectrogram: mel bins are evenly spaced on the
// picture, so Hz must be read off the bin centres the service sends
// (center_hz, low to high). Positions are fractions of the height, 0 = bottom.

/** Hz at a fractional position (0 = bottom edge, 1 = top edge). */
export function hzAtFraction(centerHz: number[], fraction: number): number {
  const n = centerHz.length;
  if (n === 0) return NaN;
  if (n === 1) return centerHz[0]!;
  const row = Math.min(n - 1, Math.max(0, fraction * n - 0.5));
  const low = Math.floor(row);
  const high = Math.min(n - 1, low + 1);
  const t = row - low;
  return centerHz[low]! * (1 - t) + centerHz[high]! * t;
}

/** Fractional position of a frequency, or null when it is off the axis. */
export function fractionAtHz(centerHz: number[], hz: number): number | null {
  const n = centerHz.length;
  if (n < 2 || hz < centerHz[0]! || hz > centerHz[n - 1]!) return null;
  for (let i = 0; i < n - 1; i++) {
    const a = centerHz[i]!;
    const b = centerHz[i + 1]!;
    if (hz >= a && hz <= b) {
      const row = i + (b > a ? (hz - a) / (b - a) : 0);
      return (row + 0.5) / n;
    }
  }
  return null;
}

/**
 * Centre frequencies for the axis when the spectrogram has not arrived: the
 * map's band edges, spread evenly (each band is the same number of mel bins).
 */
export function centresFromEdges(edges: number[] | null): number[] {
  if (!edges || edges.length < 2) return [];
  return edges.slice(0, -1).map((low, i) => (low + edges[i + 1]!) / 2);
}

const CANDIDATE_TICKS_HZ = [50, 100, 200, 500, 1000, 2000, 3000, 5000, 8000, 10000, 12000, 15000, 20000];

/**
 * Round frequencies to label, kept at least minGap (fraction of height) apart,
 * and clear of the bottom and top edges so they never meet the time axis labels.
 */
export function frequencyTicks(centerHz: number[], minGap: number, margin = 0.06): { hz: number; fraction: number }[] {
  const ticks: { hz: number; fraction: number }[] = [];
  for (const hz of CANDIDATE_TICKS_HZ) {
    const fraction = fractionAtHz(centerHz, hz);
    if (fraction === null || fraction < margin || fraction > 1 - margin / 2) continue;
    const last = ticks[ticks.length - 1];
    if (!last || fraction - last.fraction >= minGap) ticks.push({ hz, fraction });
  }
  return ticks;
}
