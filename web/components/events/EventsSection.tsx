'use client';
// The analysis's events: counts per class above the table; a row zooms to its event and plays it.
import { useMemo } from 'react';

import type { EventCount } from '@/lib/api-types';

import { useViewer } from '../viewer/ViewerContext';
import EventCounts from './EventCounts';
import EventTable, { type EventRow } from './EventTable';
import { focusEvent } from './focus-event';

export default function EventsSection() {
  const v = useViewer();
  const { analysis, durationS } = v;
  const events = analysis.events;
  const rows = useMemo<EventRow[]>(() => (events ?? []).map((event) => ({ event })), [events]);
  const counts = useMemo<EventCount[]>(() => {
    if (analysis.event_counts) return analysis.event_counts;
    const byClass = new Map<string, EventCount>();
    for (const e of events ?? []) {
      const c = byClass.get(e.label) ?? { index: e.index, label: e.label, count: 0, per_hour: null };
      c.count += 1;
      byClass.set(e.label, c);
    }
    return [...byClass.values()].map((c) => ({ ...c, per_hour: durationS > 0 ? (c.count * 3600) / durationS : null }));
  }, [analysis.event_counts, events, durationS]);
  if (events === null) {
    return <p className="text-sm text-slate-400" data-testid="events-unavailable">Event detection is not available on this server (the analysis carries no events).</p>;
  }
  if (events.length === 0) return <p className="text-sm text-slate-300" data-testid="events-none">No events were detected.</p>;
  return (
    <div className="flex flex-col gap-3" data-testid="events">
      <EventCounts counts={counts} />
      <EventTable rows={rows} onActivate={(row) => focusEvent(v, row.event)} />
    </div>
  );
}
