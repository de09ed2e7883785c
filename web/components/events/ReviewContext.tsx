'use client';
// The events of one analysis as reviewed on this page, shared by everything
// that shows them (counts, table, lanes, minimap, the spectrogram's dragged
// edges): the events and counts after review, the selected event, and the
// per-class thresholds a person set (kept in this browser per analysis) with
// the events they hide. A review shows at once and is sent; if the service
// refuses it, it is undone and the service's reason is said.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import { reviewEvent } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { AudioEvent, EventCount } from '@/lib/api-types';
import { applyChange, reviewedCounts, shownEvent, type ReviewChange } from '@/lib/review';
import { hiddenByThreshold, parseStoredThresholds, raisedThresholds, storedThresholdsText } from '@/lib/thresholds';

import { useViewer } from '../viewer/ViewerContext';
import { focusEvent } from './focus-event';

export interface ReviewedEvents {
  /** Every event, as reviewed (null: the analysis carries no events). */
  events: AudioEvent[] | null;
  /** The events no raised threshold hides: what the table, lanes and minimap show. */
  visible: AudioEvent[];
  counts: EventCount[];
  /** Sends a change; resolves null once the server kept it, else why not (the change is undone and said). */
  review: (position: number, change: ReviewChange, relabel?: { index: number; label: string } | null) => Promise<string | null>;
  error: string | null;
  dismissError: () => void;
  /** The selected event, by position. */
  selected: number | null;
  select: (position: number | null) => void;
  /** Thresholds set on this page (class index to threshold), kept in this browser for this analysis. */
  thresholds: ReadonlyMap<number, number>;
  setThreshold: (index: number, threshold: number | null) => void;
  /** The thresholds above their class's detection threshold: those that hide events. */
  raised: ReadonlyMap<number, number>;
  detectionOf: (index: number) => number | null;
}

const ReviewCtx = createContext<ReviewedEvents | null>(null);

/** The shared reviewed events, or null outside an analysis' result (e.g. a batch's table). */
export function useReview(): ReviewedEvents | null {
  return useContext(ReviewCtx);
}

const storageKey = (id: string) => `soundlens:thresholds:${id}`;

function loadThresholds(id: string): Map<number, number> {
  try {
    return parseStoredThresholds(window.localStorage.getItem(storageKey(id)));
  } catch {
    return new Map(); // storage disabled: thresholds last as long as the page
  }
}

function saveThresholds(id: string, thresholds: ReadonlyMap<number, number>): void {
  try {
    if (thresholds.size === 0) window.localStorage.removeItem(storageKey(id));
    else window.localStorage.setItem(storageKey(id), storedThresholdsText(thresholds));
  } catch {
    // storage full or disabled: the page keeps them until it is closed
  }
}

export function ReviewProvider({ children }: { children: ReactNode }) {
  const { analysis, durationS } = useViewer();
  const [events, setEvents] = useState<AudioEvent[] | null>(analysis.events);
  const [serverCounts, setServerCounts] = useState<EventCount[] | null>(analysis.event_counts);
  const [error, setError] = useState<string | null>(null);
  const [selected, select] = useState<number | null>(null);
  // A result is drawn in the browser only (after its analysis is fetched), where the storage is.
  const [thresholds, setThresholds] = useState<Map<number, number>>(() => (typeof window === 'undefined' ? new Map() : loadThresholds(analysis.id)));
  const setThreshold = useCallback((index: number, threshold: number | null) => {
    setThresholds((before) => {
      const next = new Map(before);
      if (threshold === null) next.delete(index);
      else next.set(index, threshold);
      saveThresholds(analysis.id, next);
      return next;
    });
  }, [analysis.id]);

  const detected = useMemo<EventCount[]>(() => {
    if (analysis.event_counts) return analysis.event_counts;
    const byClass = new Map<string, EventCount>();
    for (const e of analysis.events ?? []) {
      const c = byClass.get(e.label) ?? { index: e.index, label: e.label, count: 0, per_hour: null };
      c.count += 1;
      byClass.set(e.label, c);
    }
    return [...byClass.values()].map((c) => ({ ...c, per_hour: durationS > 0 ? (c.count * 3600) / durationS : null }));
  }, [analysis.event_counts, analysis.events, durationS]);
  const counts = useMemo(() => serverCounts ?? detected, [serverCounts, detected]);
  const detectionOf = useCallback((index: number) => {
    const threshold = (list: EventCount[]) => list.find((x) => x.index === index)?.threshold;
    return threshold(detected) ?? threshold(counts) ?? null;
  }, [counts, detected]);
  const raised = useMemo(() => raisedThresholds(thresholds, detectionOf), [thresholds, detectionOf]);
  const visible = useMemo(() => (events ?? []).filter((e) => !hiddenByThreshold(e, raised)), [events, raised]);

  const review = useCallback((position: number, change: ReviewChange, relabel?: { index: number; label: string } | null) => {
    if (!events) return Promise.resolve('this analysis carries no events');
    const before = events;
    const optimistic = before.map((e) => (e.position === position ? { ...e, review: applyChange(e.review, change, relabel) } : e));
    setEvents(optimistic);
    setServerCounts(reviewedCounts(optimistic, detected, durationS));
    setError(null);
    return reviewEvent(analysis.id, position, change).then(
      (result) => {
        setEvents((now) => now?.map((e) => (e.position === position ? { ...e, review: result.event.review } : e)) ?? now);
        setServerCounts(result.event_counts);
        return null;
      },
      (failure: unknown) => {
        setEvents((now) => now?.map((e) => (e.position === position ? before.find((b) => b.position === position) ?? e : e)) ?? now);
        setServerCounts((now) => now && reviewedCounts(before, detected, durationS));
        const what = before.find((e) => e.position === position);
        const name = what ? `${shownEvent(what).label} event` : 'event';
        const reason = toApiError(failure).message;
        setError(`The review of the ${name} was not saved. ${reason}`);
        return reason;
      },
    );
  }, [events, detected, durationS, analysis.id]);

  const value = useMemo<ReviewedEvents>(() => ({
    events, visible, counts, review, error, dismissError: () => setError(null), selected, select, thresholds, setThreshold, raised, detectionOf,
  }), [events, visible, counts, review, error, selected, thresholds, setThreshold, raised, detectionOf]);
  return <ReviewCtx.Provider value={value}>{children}</ReviewCtx.Provider>;
}

/**
 * Selecting an event anywhere (a table row, a lane, a minimap tick): it
 * becomes the selected event, the view zooms to it as reviewed (its class,
 * its corrected times), the spectrogram comes into view and it plays.
 */
export function useFocusEvent(): (e: AudioEvent) => void {
  const v = useViewer();
  const reviewed = useReview();
  const select = reviewed?.select;
  return useCallback((e: AudioEvent) => {
    select?.(e.position);
    focusEvent(v, { ...e, ...shownEvent(e) });
  }, [v, select]);
}
