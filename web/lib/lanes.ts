// Per-class probability over time from the analysis timeline: one point per
// window at the window's centre (windows overlap, so a window is drawn where
// it is centred, and its full span is given on hover).
import type { TimelineWindow } from './api-types';

export interface LanePoint {
  t: number;
  startS: number;
  endS: number;
  /** null: the class was not among this window's reported classes. */
  p: number | null;
}

export function lanePoints(timeline: TimelineWindow[], classIndex: number, durationS: number): LanePoint[] {
  return timeline.map((w) => {
    const hit = w.classes.find((c) => c.index === classIndex) ?? w.predictions.find((c) => c.index === classIndex);
    const all = w.probabilities?.[classIndex];
    const end = Math.min(w.end_s, Math.max(durationS, w.start_s));
    return { t: (w.start_s + end) / 2, startS: w.start_s, endS: end, p: hit ? hit.probability : all ?? null };
  });
}

/** Whether the timeline reports this class in every window (a pinned or top class), not only where it is in a window's top list. */
export function fullyReported(points: LanePoint[]): boolean {
  return points.length > 0 && points.every((p) => p.p !== null);
}

/** The window whose centre is nearest to t. */
export function nearestPoint(points: LanePoint[], t: number): LanePoint | null {
  let best: LanePoint | null = null;
  for (const p of points) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
  return best;
}
