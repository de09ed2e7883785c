// The counts view's per-class threshold and confusions, from the stored
// events alone. A threshold above the class's detection threshold counts only
// the unreviewed events whose peak reaches it; confirmed events count whatever
// their peak (a person said so) and rejected ones never. Below the detection
// threshold nothing changes here: the server kept no weaker events, so only a
// new analysis with a lower event threshold can find more. On the page a
// raised threshold also hides the events under it from the table, the lanes
// and the minimap (never from the stored analysis, the exports or the report).
// The confusions are derived from this analysis' events (the runner-up classes
// each carries, and the relabels made): the server keeps no confusion table.
import type { AudioEvent } from './api-types';
import { shownEvent } from './review';

/**
 * Whether a threshold hides an event: its shown class has a threshold raised
 * above that class's detection threshold (`raised`: class index to threshold;
 * see raisedThresholds) and the event's peak is under it. A confirmed event is
 * never hidden (a person said it is there).
 */
export function hiddenByThreshold(e: AudioEvent, raised: ReadonlyMap<number, number>): boolean {
  const t = raised.get(shownEvent(e).index);
  return t !== undefined && e.review.status !== 'confirmed' && e.probability < t;
}

/**
 * The thresholds that hide anything: those set above their class's detection
 * threshold (a class without one is left alone, as the counts view offers no control for it).
 */
export function raisedThresholds(chosen: ReadonlyMap<number, number>, detection: (index: number) => number | null): Map<number, number> {
  const out = new Map<number, number>();
  for (const [index, t] of chosen) {
    const d = detection(index);
    if (d !== null && t > d) out.set(index, t);
  }
  return out;
}

/**
 * The counts as the raised thresholds leave them: a class with one counts its
 * events at it (standingAtThreshold), per hour over `durationS`, and its
 * unreviewed and rejected ones at it; `atDetection` keeps the count before
 * (null when no threshold is raised for the class). Confirmed ones always stay.
 */
export function countsAtThresholds<C extends { index: number; count: number; per_hour: number | null; unreviewed?: number; rejected?: number }>(
  counts: C[], events: AudioEvent[], raised: ReadonlyMap<number, number>, durationS: number,
): (C & { atDetection: number | null })[] {
  return counts.map((c) => {
    const t = raised.get(c.index);
    if (t === undefined) return { ...c, atDetection: null };
    const { count, unreviewed, rejected } = standingAtThreshold(events, c.index, t);
    return { ...c, count, unreviewed, rejected, per_hour: durationS > 0 ? (count * 3600) / durationS : c.per_hour, atDetection: c.count };
  });
}

/**
 * The events of a class (its shown, reviewed class) that stand at `threshold`: `count` of them, every
 * confirmed one and the `unreviewed` ones whose peak reaches it; and the `rejected` ones whose peak
 * reaches it (not counted, but shown). The unreviewed and rejected under it are hidden.
 */
export function standingAtThreshold(events: AudioEvent[], index: number, threshold: number): { count: number; unreviewed: number; rejected: number } {
  let confirmed = 0;
  let unreviewed = 0;
  let rejected = 0;
  for (const e of events) {
    if (shownEvent(e).index !== index) continue;
    if (e.review.status === 'confirmed') confirmed += 1;
    else if (e.probability < threshold) continue;
    else if (e.review.status === 'unreviewed') unreviewed += 1;
    else if (e.review.status === 'rejected') rejected += 1;
  }
  return { count: confirmed + unreviewed, unreviewed, rejected };
}

export interface Confusion {
  index: number;
  label: string;
  /** Events of the class where it was the runner-up (heard in the same sound). */
  runnerUp: number;
  /** Events a person moved between the two classes (either way). */
  relabelled: number;
}

/**
 * The classes a class is most confused with: the runner-up classes of its
 * events (their `alternatives`) and the relabels between it and another class,
 * most frequent first, at most `limit`.
 */
export function confusions(events: AudioEvent[], index: number, limit = 3): Confusion[] {
  const at = new Map<number, Confusion>();
  const entry = (i: number, label: string) => {
    let c = at.get(i);
    if (!c) at.set(i, (c = { index: i, label, runnerUp: 0, relabelled: 0 }));
    return c;
  };
  for (const e of events) {
    const shown = shownEvent(e);
    if (e.review.index !== null && e.review.index !== e.index) {
      if (e.index === index) entry(shown.index, shown.label).relabelled += 1;
      else if (shown.index === index) entry(e.index, e.label).relabelled += 1;
    }
    if (e.index !== index) continue;
    for (const a of e.alternatives ?? []) if (a.index !== index) entry(a.index, a.label).runnerUp += 1;
  }
  return [...at.values()]
    .sort((a, b) => b.runnerUp + b.relabelled - (a.runnerUp + a.relabelled) || a.index - b.index)
    .slice(0, limit);
}

/**
 * A threshold typed by a person, checked: a number from 0 to 1. Returns the
 * value, or the sentence saying what is wrong with it.
 */
export function parseThreshold(text: string): number | string {
  const t = text.trim();
  if (t === '') return 'Give a threshold from 0 to 1.';
  const v = Number(t);
  if (!Number.isFinite(v)) return `“${t}” is not a number: give a threshold from 0 to 1.`;
  if (v < 0 || v > 1) return `${t} is outside 0 to 1: a threshold is a probability.`;
  return v;
}

/**
 * The thresholds a person set for one analysis, as kept in the browser
 * (localStorage, per analysis): read back defensively, since anything may be
 * stored under the key. Only class indices 0-526 with a threshold from 0 to 1 are kept.
 */
export function parseStoredThresholds(raw: string | null): Map<number, number> {
  const out = new Map<number, number>();
  if (raw === null) return out;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return out;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return out;
  for (const [key, value] of Object.entries(data)) {
    const index = /^\d{1,3}$/.test(key) ? Number(key) : NaN;
    if (Number.isInteger(index) && index < 527 && typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) out.set(index, value);
  }
  return out;
}

export function storedThresholdsText(thresholds: ReadonlyMap<number, number>): string {
  return JSON.stringify(Object.fromEntries([...thresholds].sort((a, b) => a[0] - b[0])));
}
