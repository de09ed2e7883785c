// The shared time axis: one visible span [start, end] of the recording that
// the spectrogram, the heatmap, the probability lanes and the event lanes all
// draw with (x = (t - start) / (end - start) of their width).
import { formatTime } from './format';

export interface TimeView {
  start: number;
  end: number;
}

/** The shortest span one can zoom to (a few spectrogram frames). */
export const MIN_SPAN_S = 0.25;

export function clampView(start: number, end: number, durationS: number): TimeView {
  const total = Math.max(durationS, 1e-3);
  let span = Math.min(total, Math.max(Math.min(MIN_SPAN_S, total), end - start));
  if (!Number.isFinite(span)) span = total;
  let s = Number.isFinite(start) ? start : 0;
  s = Math.max(0, Math.min(total - span, s));
  return { start: s, end: s + span };
}

/** Zoom by factor (< 1 zooms in) keeping `anchor` (seconds) where it is on screen. */
export function zoomView(view: TimeView, factor: number, anchor: number, durationS: number): TimeView {
  const span = view.end - view.start;
  const next = span * factor;
  const at = span > 0 ? (anchor - view.start) / span : 0.5;
  return clampView(anchor - at * next, anchor - at * next + next, durationS);
}

export function panView(view: TimeView, deltaS: number, durationS: number): TimeView {
  return clampView(view.start + deltaS, view.end + deltaS, durationS);
}

export function xOf(t: number, view: TimeView): number {
  const span = view.end - view.start;
  return span > 0 ? (t - view.start) / span : 0;
}

export function timeAt(fraction: number, view: TimeView): number {
  return view.start + fraction * (view.end - view.start);
}

const STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800];

/** Round times inside the view for the axis, at most maxTicks. */
export function timeTicks(view: TimeView, maxTicks: number): number[] {
  const span = view.end - view.start;
  if (!(span > 0) || maxTicks < 1) return [];
  const step = STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / 3600) * 3600;
  const ticks: number[] = [];
  for (let t = Math.ceil(view.start / step - 1e-9) * step; t <= view.end + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}

/**
 * A tick label in the page's one time format, with the precision the span
 * needs: "1:27.50" (under 2 s in view), "0:07.5" (under 20 s), "1:05", "1:02:03".
 */
export function tickLabel(t: number, spanS: number): string {
  if (spanS < 2) return formatTime(t, 2);
  if (spanS < 20) return formatTime(t, 1);
  return formatTime(t, 0);
}

// The page's one time format (m:ss.s), with more decimals when zoomed in far.
export function formatViewTime(t: number, spanS: number): string {
  return formatTime(t, spanS < 1 ? 3 : spanS < 10 ? 2 : 1);
}
