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

const CANDIDATE_TICKS_HZ = [50, 100, 200, 500, 1000, 2000, 3000, 5000, 8000, 10000, 12000, 15000, 20000];

/** Round frequencies to label, kept at least minGap (fraction of height) apart. */
export function frequencyTicks(centerHz: number[], minGap: number): { hz: number; fraction: number }[] {
  const ticks: { hz: number; fraction: number }[] = [];
  for (const hz of CANDIDATE_TICKS_HZ) {
    const fraction = fractionAtHz(centerHz, hz);
    if (fraction === null) continue;
    const last = ticks[ticks.length - 1];
    if (!last || fraction - last.fraction >= minGap) ticks.push({ hz, fraction });
  }
  return ticks;
}

/** Evenly spaced round times for the horizontal axis. */
export function timeTicks(durationS: number, maxTicks: number): number[] {
  if (!(durationS > 0) || maxTicks < 1) return [0];
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
  const step = steps.find((s) => durationS / s <= maxTicks) ?? Math.ceil(durationS / maxTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= durationS + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}
