'use client';
// The analysis's events: counts per class above the table; a row zooms to its
// event and plays it. A stored analysis' events are reviewed here: confirm or
// reject per row (or c / x on the selected row), relabel the selected event.
// Correct the selected event's onset and offset below the table.
// A review shows at once and is sent; if the service refuses it, it is undone
// and the service's reason is said.
import { useCallback, useMemo, useState } from 'react';

import { reviewEvent } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { AudioEvent, EventCount, ReviewStatus } from '@/lib/api-types';
import { applyChange, reviewedCounts, shownEvent, type ReviewChange } from '@/lib/review';

import ErrorMessage from '../common/ErrorMessage';
import { useViewer } from '../viewer/ViewerContext';
import EventCounts from './EventCounts';
import EventTable, { type EventRow } from './EventTable';
import { focusEvent } from './focus-event';
import RelabelPicker from './RelabelPicker';
import TimeCorrection from './TimeCorrection';

/** The events and counts as reviewed on this page (the analysis' own until the first review). */
export interface ReviewedEvents {
  events: AudioEvent[] | null;
  counts: EventCount[];
  review: (position: number, change: ReviewChange, relabel?: { index: number; label: string } | null) => void;
  error: string | null;
  dismissError: () => void;
}

export function useReviewedEvents(): ReviewedEvents {
  const { analysis, durationS } = useViewer();
  const [events, setEvents] = useState<AudioEvent[] | null>(analysis.events);
  const [serverCounts, setServerCounts] = useState<EventCount[] | null>(analysis.event_counts);
  const [error, setError] = useState<string | null>(null);
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

  const review = useCallback((position: number, change: ReviewChange, relabel?: { index: number; label: string } | null) => {
    if (!events) return;
    const before = events;
    const optimistic = before.map((e) => (e.position === position ? { ...e, review: applyChange(e.review, change, relabel) } : e));
    setEvents(optimistic);
    setServerCounts(reviewedCounts(optimistic, detected, durationS));
    setError(null);
    reviewEvent(analysis.id, position, change).then(
      (result) => {
        setEvents((now) => now?.map((e) => (e.position === position ? { ...e, review: result.event.review } : e)) ?? now);
        setServerCounts(result.event_counts);
      },
      (failure: unknown) => {
        setEvents((now) => now?.map((e) => (e.position === position ? before.find((b) => b.position === position) ?? e : e)) ?? now);
        setServerCounts((now) => now && reviewedCounts(before, detected, durationS));
        const what = before.find((e) => e.position === position);
        const name = what ? `${shownEvent(what).label} event` : 'event';
        setError(`The review of the ${name} was not saved. ${toApiError(failure).message}`);
      },
    );
  }, [events, detected, durationS, analysis.id]);

  return { events, counts, review, error, dismissError: () => setError(null) };
}

export default function EventsSection({ reviewed }: { reviewed: ReviewedEvents }) {
  const v = useViewer();
  const { events, counts, review, error, dismissError } = reviewed;
  const [selected, setSelected] = useState<number | null>(null);
  const rows = useMemo<EventRow[]>(() => (events ?? []).map((event) => ({ event })), [events]);
  const onReview = useCallback((row: EventRow, status: ReviewStatus) => review(row.event.position, { status }), [review]);
  if (events === null) {
    return <p className="text-sm text-slate-400" data-testid="events-unavailable">Event detection is not available on this server (the analysis carries no events).</p>;
  }
  if (events.length === 0) return <p className="text-sm text-slate-300" data-testid="events-none">No events were detected.</p>;
  const chosen = events.find((e) => e.position === selected) ?? null;
  return (
    <div className="flex flex-col gap-3" data-testid="events">
      <EventCounts counts={counts} />
      {error && <ErrorMessage message={error} onDismiss={dismissError} />}
      <p className="text-xs text-slate-400">
        Review: select a row, then <kbd>c</kbd> confirm, <kbd>x</kbd> reject, <kbd>j</kbd> / <kbd>k</kbd> next and previous event,
        <kbd> space</kbd> play it. Probabilities here are each event&apos;s peak.
      </p>
      <RelabelPicker event={chosen} onRelabel={(target) => chosen && review(chosen.position, { label: target ? target.index : null }, target)} />
      <EventTable
        rows={rows}
        onActivate={(row) => focusEvent(v, { ...row.event, ...shownEvent(row.event) })}
        onReview={onReview}
        selected={selected}
        onSelect={(row) => setSelected(row.event.position)}
      />
      {/* Below the table: selecting a row must not move the table under the pointer. */}
      <TimeCorrection event={chosen} durationS={v.durationS} onCorrect={(times) => chosen && review(chosen.position, times)} />
    </div>
  );
}
