'use client';
// The events on the shared time axis, as reviewed (class and times) and as the
// thresholds leave them: one lane per class, each event a box from onset to
// offset (only those in view are drawn; a rejected one is hatched, a confirmed
// one outlined). A click selects the event: zoom, the spectrogram into view, play.
import { memo, useMemo } from 'react';

import type { AudioEvent } from '@/lib/api-types';
import { formatPercent, formatTime } from '@/lib/format';
import { shownEvent } from '@/lib/review';
import { xOf } from '@/lib/time-view';

import { useTimeView } from '../viewer/ViewerContext';
import { useFocusEvent } from './ReviewContext';

const REVIEW_STYLE = {
  unreviewed: 'bg-emerald-400/80 hover:bg-emerald-300',
  confirmed: 'bg-emerald-400/90 ring-2 ring-inset ring-white hover:bg-emerald-300',
  rejected: 'bg-[repeating-linear-gradient(45deg,rgba(148,163,184,0.7)_0_3px,transparent_3px_6px)] hover:bg-slate-400/60',
};

function EventLanes({ events }: { events: AudioEvent[] }) {
  const focus = useFocusEvent();
  const { view } = useTimeView();
  const lanes = useMemo(() => {
    const byClass = new Map<string, { event: AudioEvent; onset_s: number; offset_s: number }[]>();
    for (const event of events) {
      const s = shownEvent(event);
      byClass.set(s.label, [...(byClass.get(s.label) ?? []), { event, onset_s: s.onset_s, offset_s: s.offset_s }]);
    }
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
            {visible.map(({ event: e, onset_s, offset_s }) => {
              const left = Math.max(0, xOf(onset_s, view));
              const right = Math.min(1, xOf(offset_s, view));
              const status = e.review.status;
              const said = status === 'unreviewed' ? '' : `, ${status}`;
              return (
                <button
                  key={e.position}
                  type="button"
                  onClick={() => focus(e)}
                  className={`absolute inset-y-1 min-w-[3px] rounded-sm focus-visible:outline-2 focus-visible:outline-amber-300 ${REVIEW_STYLE[status]}`}
                  style={{ left: `${left * 100}%`, width: `${(right - left) * 100}%`, opacity: 0.35 + 0.65 * e.probability }}
                  aria-label={`${label} from ${formatTime(onset_s)} to ${formatTime(offset_s)}, event peak ${formatPercent(e.probability)}${said}: zoom and play`}
                  title={`${label} ${formatTime(onset_s)}–${formatTime(offset_s)} · event peak ${formatPercent(e.probability)}${said}`}
                  data-testid="lane-event"
                  data-position={e.position}
                  data-onset-s={onset_s.toFixed(3)}
                  data-offset-s={offset_s.toFixed(3)}
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
