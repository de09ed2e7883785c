'use client';
// The detected events on the shared time axis: one lane per class, each event
// a box from onset to offset (only those in view are drawn). A click zooms to
// the event and plays it.
import { memo, useMemo } from 'react';

import type { AudioEvent } from '@/lib/api-types';
import { formatPercent, formatTime } from '@/lib/format';
import { xOf } from '@/lib/time-view';

import { useTimeView, useViewer } from '../viewer/ViewerContext';
import { focusEvent } from './focus-event';

function EventLanes({ events }: { events: AudioEvent[] }) {
  const v = useViewer();
  const { view } = useTimeView();
  const lanes = useMemo(() => {
    const byClass = new Map<string, AudioEvent[]>();
    for (const e of events) byClass.set(e.label, [...(byClass.get(e.label) ?? []), e]);
    return [...byClass.entries()];
  }, [events]);
  if (lanes.length === 0) return null;
  return (
    <div className="pl-14" data-testid="event-lanes" role="group" aria-label="Events on the time axis">
      {lanes.map(([label, list]) => {
        const visible = list.filter((e) => e.offset_s >= view.start && e.onset_s <= view.end).slice(0, 400);
        return (
          <div key={label} className="relative h-6 border-b border-slate-800">
            <span className="pointer-events-none absolute left-1 top-0.5 z-10 max-w-[50%] truncate rounded bg-slate-950/70 px-1 text-[11px] text-slate-200">{label}</span>
            {visible.map((e) => {
              const left = Math.max(0, xOf(e.onset_s, view));
              const right = Math.min(1, xOf(e.offset_s, view));
              return (
                <button
                  key={`${e.onset_s}-${e.offset_s}`}
                  type="button"
                  onClick={() => focusEvent(v, e)}
                  className="absolute inset-y-1 min-w-[3px] rounded-sm bg-emerald-400/80 hover:bg-emerald-300 focus-visible:outline-2 focus-visible:outline-amber-300"
                  style={{ left: `${left * 100}%`, width: `${(right - left) * 100}%`, opacity: 0.35 + 0.65 * e.probability }}
                  aria-label={`${label} from ${formatTime(e.onset_s)} to ${formatTime(e.offset_s)}, event peak ${formatPercent(e.probability)}: zoom and play`}
                  title={`${label} ${formatTime(e.onset_s)}–${formatTime(e.offset_s)} · event peak ${formatPercent(e.probability)}`}
                />
              );
            })}
          </div>
        );
      })}
    </div>
  );
}

export default memo(EventLanes);
