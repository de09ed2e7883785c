// The counts view's per-class threshold and confusions, from the stored
// events alone. A threshold above the class's detection threshold counts only
// the unreviewed events whose peak reaches it; confirmed events count whatever
// their peak (a person said so) and rejected ones never. Below the detection
// threshold nothing changes here: the server kept no weaker events, so only a
// new analysis with a lower event threshold can find more.
import type { AudioEvent } from './api-types';
import { shownEvent } from './review';

/** The events of a class (its shown, reviewed class) that stand at `threshold`. */
export function countAtThreshold(events: AudioEvent[], index: number, threshold: number): number {
  let n = 0;
  for (const e of events) {
    if (shownEvent(e).index !== index) continue;
    if (e.review.status === 'confirmed') n += 1;
    else if (e.review.status === 'unreviewed' && e.probability >= threshold) n += 1;
  }
  return n;
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
