// Two models' results side by side: the pure parts (what to say, what to
// draw), kept apart from the components so unit tests can check them.
import type { Analysis, AudioEvent, Comparison, Explanation } from './api-types';

/** The explanation (not a contrast) of a class in an analysis, if it has one. */
export function explanationOf(analysis: Analysis, index: number): Explanation | null {
  return analysis.explanations.find((e) => e.index === index && e.contrast === null && e.rows > 0 && e.cols > 0) ?? null;
}

/**
 * A map's time profile (per column the sum over its rows) scaled to [0, 1],
 * with the seconds each column covers: what one track draws.
 */
export function timeProfile(e: Explanation): { values: number[]; secondsPerColumn: number } {
  const values = Array.from({ length: e.cols }, (_, c) => e.map.reduce((sum, row) => sum + (row[c] ?? 0), 0));
  const peak = Math.max(0, ...values);
  return { values: values.map((v) => (peak > 0 ? v / peak : 0)), secondsPerColumn: e.seconds_per_column ?? 0 };
}

/** The seconds both tracks share: one axis for the two models, so the same second is at the same x. */
export function sharedDuration(c: Comparison): number {
  return Math.max(c.results[0].duration_s, c.results[1].duration_s, 1e-3);
}

/** The classes to choose a track by: shared ones both explained first, then each top class. */
export function trackClasses(c: Comparison): { index: number; label: string }[] {
  const out: { index: number; label: string }[] = [];
  const seen = new Set<number>();
  const add = (index: number | null, label: string) => {
    if (index === null || seen.has(index)) return;
    seen.add(index);
    out.push({ index, label });
  };
  for (const r of c.agreement.profile_correlation) add(r.index, r.label);
  for (const s of c.agreement.top_shared) add(s.index, s.label);
  for (const p of c.results[0].predictions.slice(0, 5)) add(p.index, p.label);
  for (const p of c.results[1].predictions.slice(0, 5)) add(p.index, p.label);
  return out;
}

function list(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

const distinct = (events: AudioEvent[]) => [...new Set(events.map((e) => e.label))];

/** Plain sentences on where the two models agree and where they do not. */
export function agreementSentences(c: Comparison): { text: string; disagree: boolean }[] {
  const [a, b] = c.models;
  const topA = c.results[0].predictions[0];
  const topB = c.results[1].predictions[0];
  const out: { text: string; disagree: boolean }[] = [];
  if (!topA || !topB) return [{ text: `${topA ? b : a} predicted nothing for this recording.`, disagree: true }];
  const shared = new Set(c.agreement.top_shared.map((s) => s.index));
  if (shared.size === 0) {
    out.push({ text: `The models disagree: ${a} hears ${topA.label}, ${b} hears ${topB.label}, and no class is in both top 5.`, disagree: true });
  } else if (topA.index === topB.index) {
    out.push({ text: `Both models hear ${topA.label} first.`, disagree: false });
  } else if (topA.index !== null && topB.index !== null && shared.has(topA.index) && shared.has(topB.index)) {
    out.push({
      text: `The models disagree on the first class: ${a} hears ${topA.label}, ${b} hears ${topB.label}; each has the other's in its top 5.`,
      disagree: true,
    });
  } else {
    out.push({ text: `The models disagree: ${a} hears ${topA.label}, ${b} hears ${topB.label}.`, disagree: true });
  }
  if (shared.size > 0) out.push({ text: `Both have ${list(c.agreement.top_shared.map((s) => s.label))} in their top 5.`, disagree: false });
  const apart = c.agreement.profile_correlation.filter((r) => r.pearson !== null && r.pearson < 0.3);
  if (apart.length)
    out.push({
      text: `They place ${list(apart.map((r) => r.label))} at different moments (the maps' time profiles correlate at r = ${list(apart.map((r) => r.pearson!.toFixed(2)))}).`,
      disagree: true,
    });
  // Classes one model places events of and the other none at all.
  const placed = (r: Analysis) => new Set((r.events ?? []).map((e) => e.index));
  const byModel = { [a]: placed(c.results[0]), [b]: placed(c.results[1]) };
  for (const [model, other] of [[a, b], [b, a]] as const) {
    const only = distinct((c.agreement.events_only[model] ?? []).filter((e) => !byModel[other]!.has(e.index)));
    if (only.length) out.push({ text: `Only ${model} finds ${list(only.slice(0, 4))}${only.length > 4 ? ' and more' : ''} as events; ${other} does not.`, disagree: true });
  }
  return out;
}

// A comparison just made by an upload, handed to the page that shows it, so
// that it is not fetched again.
let fresh: Comparison | null = null;
export function rememberComparison(c: Comparison): void {
  fresh = c;
}
export function rememberedComparison(a: string, b: string): Comparison | null {
  return fresh && fresh.results[0].id === a && fresh.results[1].id === b ? fresh : null;
}
export function comparisonUrl(c: Comparison): string {
  return `/compare-models/?a=${encodeURIComponent(c.results[0].id)}&b=${encodeURIComponent(c.results[1].id)}`;
}
