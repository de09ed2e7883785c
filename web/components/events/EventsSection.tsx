'use client';
// The analysis's events: counts per class above the table; a row zooms to its
// event and plays it. A stored analysis' events are reviewed here: confirm or
// reject per row (or c / x on the selected row), relabel the selected event,
// correct its onset and offset in the table (under its row) or by dragging its
// edges on the spectrogram. Events a raised threshold hides are said, with a
// way to show them again (components/events/ReviewContext.tsx holds them all).
// Each event's explanation can be checked on its own window, by the method
// chosen for the map (hooks/useEventChecks.ts).
import { useCallback, useMemo } from 'react';

import { useEventChecks } from '@/hooks/useEventChecks';

import type { ReviewStatus } from '@/lib/api-types';
import { shownEvent } from '@/lib/review';
import { countsAtThresholds } from '@/lib/thresholds';

import ErrorMessage from '../common/ErrorMessage';
import { useViewer } from '../viewer/ViewerContext';
import type { EventCheckControls } from './EventCheck';
import EventCounts from './EventCounts';
import EventTable, { type EventRow } from './EventTable';
import HiddenByThreshold from './HiddenByThreshold';
import RelabelPicker from './RelabelPicker';
import { useFocusEvent, type ReviewedEvents } from './ReviewContext';
import TimeCorrection from './TimeCorrection';

export default function EventsSection({ reviewed }: { reviewed: ReviewedEvents }) {
  const v = useViewer();
  const { events, visible, counts, review, error, dismissError, selected, select, raised } = reviewed;
  const focus = useFocusEvent();
  const rows = useMemo<EventRow[]>(() => visible.map((event) => ({ event })), [visible]);
  const onReview = useCallback((row: EventRow, status: ReviewStatus) => void review(row.event.position, { status }), [review]);
  const checks = useEventChecks(v.analysis.id, v.method);
  const check = useMemo<EventCheckControls>(() => ({
    unavailable: !v.caps.loaded ? 'still being looked up on this server' : v.caps.eventExplanation ? null : 'not available on this server',
    entry: (row) => checks.get(row.event),
    run: (row) => checks.check(row.event),
    runAll: (list) => checks.checkAll(list.map((row) => row.event)),
    stop: checks.stop,
    progress: checks.progress,
    stopped: checks.stopped,
  }), [checks, v.caps.loaded, v.caps.eventExplanation]);
  if (events === null) {
    return <p className="text-sm text-slate-400" data-testid="events-unavailable">Event detection is not available on this server (the analysis carries no events).</p>;
  }
  if (events.length === 0) return <p className="text-sm text-slate-300" data-testid="events-none">No events were detected.</p>;
  const chosen = visible.find((e) => e.position === selected) ?? null;
  return (
    <div className="flex flex-col gap-3" data-testid="events">
      <EventCounts counts={countsAtThresholds(counts, events, raised, v.durationS)} />
      {error && <ErrorMessage message={error} onDismiss={dismissError} />}
      <p className="text-xs text-slate-400">
        Review: select a row, then <kbd>c</kbd> confirm, <kbd>x</kbd> reject, <kbd>j</kbd> / <kbd>k</kbd> next and previous event,
        <kbd> space</kbd> play it; correct its times under its row or by dragging its edges on the spectrogram. Probabilities here are each event&apos;s peak.
      </p>
      <HiddenByThreshold reviewed={reviewed} labelOf={v.labelOf} />
      <RelabelPicker event={chosen} onRelabel={(target) => chosen && void review(chosen.position, { label: target ? target.index : null }, target)} />
      <EventTable
        rows={rows}
        onActivate={(row) => focus(row.event)}
        onReview={onReview}
        check={check}
        selected={selected}
        onSelect={(row) => select(row.event.position)}
        detail={(row) => (
          <TimeCorrection
            event={row.event}
            durationS={v.durationS}
            onCorrect={(times) => {
              // The selection follows the event's new times, so its grips stay on its edges.
              v.setSelection({ start: times.onset_s ?? row.event.onset_s, end: times.offset_s ?? row.event.offset_s });
              void review(row.event.position, times);
            }}
          />
        )}
        detailLabel={(row) => `Correct the times of ${shownEvent(row.event).label}`}
      />
    </div>
  );
}
