// Turns the per-window predictions into a small grid: main classes x windows.
import type { Prediction, TimelineWindow } from './api-types';

export interface TimelineCell {
  startS: number;
  endS: number;
  /** Where the cell is drawn: between the midpoints to the neighbouring windows' centres. */
  fromS: number;
  toS: number;
  probabilities: Map<string, number>;
}

const key = (p: Prediction) => p.label;

/** The classes worth a row: the clip's top classes, then each window's best, up to max. */
export function mainClasses(clip: Prediction[], windows: TimelineWindow[], max: number): string[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (names.length < max && !names.includes(name)) names.push(name);
  };
  clip.slice(0, 5).forEach((p) => add(key(p)));
  windows.forEach((w) => w.predictions?.[0] && add(key(w.predictions[0])));
  return names;
}

/** Class index by label, from every list that carries one. */
export function classIndexes(clip: Prediction[], windows: TimelineWindow[]): Map<string, number> {
  const indexes = new Map<string, number>();
  for (const p of [...clip, ...windows.flatMap((w) => w.predictions ?? [])]) {
    if (p.index !== undefined && !indexes.has(p.label)) indexes.set(p.label, p.index);
  }
  return indexes;
}

export function timelineCells(windows: TimelineWindow[], durationS: number): TimelineCell[] {
  const sorted = [...windows].filter((w) => Number.isFinite(w.start_s) && Number.isFinite(w.end_s)).sort((a, b) => a.start_s - b.start_s);
  const centres = sorted.map((w) => (w.start_s + Math.min(w.end_s, durationS || w.end_s)) / 2);
  return sorted.map((w, i) => ({
    startS: w.start_s,
    endS: w.end_s,
    fromS: i === 0 ? 0 : (centres[i - 1]! + centres[i]!) / 2,
    toS: i === sorted.length - 1 ? Math.max(durationS, w.end_s) : (centres[i]! + centres[i + 1]!) / 2,
    probabilities: new Map([...(w.classes ?? []), ...(w.predictions ?? [])].map((p) => [key(p), p.probability])),
  }));
}
