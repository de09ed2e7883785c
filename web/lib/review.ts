// Reviewing events: what a review does to an event and to the counts (the
// server's rules, exports/review.h, repeated here so that a click shows at
// once, before the server answers), the keyboard's next and previous event,
// and the order of the counts a long recording opens with.
import type { AudioEvent, EventCount, EventReview, ReviewStatus } from './api-types';
import { formatTime, parseTime } from './format';

export const UNREVIEWED: EventReview = { status: 'unreviewed', index: null, label: null, onset_s: null, offset_s: null, reviewer: null, reviewed_at: null };

/** What a PATCH changes; left out: kept; null: back to the detected value. */
export interface ReviewChange {
  status?: ReviewStatus;
  label?: string | number | null;
  onset_s?: number | null;
  offset_s?: number | null;
}

/** The class and times an event is shown with: the reviewed ones win. */
export function shownEvent(e: AudioEvent): { index: number; label: string; onset_s: number; offset_s: number } {
  const r = e.review;
  return {
    index: r.index ?? e.index,
    label: r.index !== null && r.label ? r.label : e.label,
    onset_s: r.onset_s ?? e.onset_s,
    offset_s: r.offset_s ?? e.offset_s,
  };
}

/**
 * The review after a change, as the page guesses it before the server answers
 * (the answer replaces it). labelIndex names a relabel's class (the page knows it from its list).
 */
export function applyChange(review: EventReview, change: ReviewChange, relabel?: { index: number; label: string } | null): EventReview {
  const next: EventReview = { ...review };
  if (change.status !== undefined) next.status = change.status;
  if (change.label === null) Object.assign(next, { index: null, label: null });
  else if (change.label !== undefined && relabel) Object.assign(next, { index: relabel.index, label: relabel.label });
  if (change.onset_s !== undefined) next.onset_s = change.onset_s;
  if (change.offset_s !== undefined) next.offset_s = change.offset_s;
  return next;
}

/**
 * The counts after review: per class of `detected` (its order, pinned classes at 0 kept), each
 * event under its shown class; rejected ones do not count. Classes only a relabel brought follow
 * by index; then by count, highest first (stable). As the server's event_counts.
 */
export function reviewedCounts(events: AudioEvent[], detected: EventCount[], durationS: number): EventCount[] {
  const out: EventCount[] = [];
  const at = new Map<number, EventCount>();
  const entry = (index: number, label: string) => {
    let c = at.get(index);
    if (!c) {
      c = { index, label, count: 0, per_hour: null, detected: 0, confirmed: 0, rejected: 0, unreviewed: 0 };
      at.set(index, c);
      out.push(c);
    }
    return c;
  };
  for (const d of detected) {
    const c = entry(d.index, d.label);
    c.detected = d.detected ?? d.count;
    if (d.threshold !== undefined) c.threshold = d.threshold; // the detection threshold stays with its class
  }
  const counted = out.length;
  for (const e of events) {
    const s = shownEvent(e);
    const c = entry(s.index, s.label);
    const status = e.review.status;
    c[status] = (c[status] ?? 0) + 1;
  }
  for (const c of out) {
    c.count = (c.confirmed ?? 0) + (c.unreviewed ?? 0);
    c.per_hour = durationS > 0 ? (c.count * 3600) / durationS : 0;
  }
  const added = out.splice(counted).sort((a, b) => a.index - b.index);
  return [...out, ...added].map((c, i) => ({ c, i })).sort((a, b) => b.c.count - a.c.count || a.i - b.i).map(({ c }) => c);
}

/** The row `delta` rows away from `current` (by position), staying inside the list; the first when none is current. */
export function stepRow(positions: number[], current: number | null, delta: number): number | null {
  if (positions.length === 0) return null;
  const at = current === null ? -1 : positions.indexOf(current);
  if (at < 0) return positions[delta < 0 ? positions.length - 1 : 0] ?? null;
  return positions[Math.min(positions.length - 1, Math.max(0, at + delta))] ?? null;
}

/** The classes a clinician comes for, by AudioSet index: cough, sneeze, snoring, breathing, wheeze, crying. */
export const CLINICAL_CLASSES: { index: number; label: string }[] = [
  { index: 47, label: 'Cough' },
  { index: 49, label: 'Sneeze' },
  { index: 43, label: 'Snoring' },
  { index: 41, label: 'Breathing' },
  { index: 42, label: 'Wheeze' },
  { index: 23, label: 'Baby cry, infant cry' },
  { index: 22, label: 'Crying, sobbing' },
];

/**
 * The counts a long recording opens with: the pinned classes first (in pin order), then the
 * clinical ones that have events, then the rest by count. Pinned and clinical classes without
 * an entry appear at 0 only when pinned.
 */
export function countsFirst(counts: EventCount[], pinned: number[], labelOf: (index: number) => string): EventCount[] {
  const byIndex = new Map(counts.map((c) => [c.index, c]));
  const zero = (index: number): EventCount => ({ index, label: labelOf(index), count: 0, per_hour: 0, detected: 0, confirmed: 0, rejected: 0, unreviewed: 0 });
  const out: EventCount[] = [];
  const seen = new Set<number>();
  const add = (c: EventCount) => {
    if (seen.has(c.index)) return;
    seen.add(c.index);
    out.push(c);
  };
  for (const p of pinned) add(byIndex.get(p) ?? zero(p));
  for (const k of CLINICAL_CLASSES) {
    const c = byIndex.get(k.index);
    if (c && ((c.detected ?? c.count) > 0 || c.count > 0)) add(c);
  }
  for (const c of [...counts].sort((a, b) => b.count - a.count)) add(c);
  return out;
}

/**
 * The corrected times, or the sentence saying which field is wrong and why.
 * Each field is a time as the page writes it (m:ss.s) or seconds.
 */
export function checkTimes(onsetText: string, offsetText: string, durationS: number): { onset_s: number; offset_s: number } | string {
  const read = (name: string, text: string): number | string => {
    const t = text.trim();
    const v = parseTime(t);
    if (!Number.isFinite(v)) return `${name} must be a time as m:ss.s or a number of seconds (got “${t}”).`;
    if (v < 0) return `${name} must not be negative.`;
    if (v > durationS + 5e-4) return `${name} is beyond the end of the recording (${formatTime(durationS, 2)}).`;
    return Math.min(v, durationS);
  };
  const onset = read('Onset', onsetText);
  if (typeof onset === 'string') return onset;
  const offset = read('Offset', offsetText);
  if (typeof offset === 'string') return offset;
  if (!(onset < offset)) return `Onset (${formatTime(onset, 2)}) must be before offset (${formatTime(offset, 2)}).`;
  return { onset_s: onset, offset_s: offset };
}

/**
 * The PATCH for new times of an event: a time equal to the detected one (to
 * half a millisecond) is no correction (null: back to the detected value).
 */
export function timesChange(e: AudioEvent, times: { onset_s: number; offset_s: number }): { onset_s: number | null; offset_s: number | null } {
  return {
    onset_s: Math.abs(times.onset_s - e.onset_s) < 5e-4 ? null : times.onset_s,
    offset_s: Math.abs(times.offset_s - e.offset_s) < 5e-4 ? null : times.offset_s,
  };
}

/** Whether a selection is the event's span as shown (its edges within 5 ms). */
export function isEventSpan(e: AudioEvent, span: { start: number; end: number } | null): boolean {
  if (!span) return false;
  const s = shownEvent(e);
  return Math.abs(span.start - s.onset_s) < 5e-3 && Math.abs(span.end - s.offset_s) < 5e-3;
}
