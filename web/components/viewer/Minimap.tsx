'use client';
// The whole recording in a thin strip, with the visible span as a frame:
// click or drag to move the view there; arrow keys move it too. The events are
// ticks on it: a click on one selects it like a row of the table (zoom, bring
// the spectrogram into view, play).
import { useEffect, useMemo, useRef } from 'react';

import type { AudioEvent, Spectrogram } from '@/lib/api-types';
import { spectrogramLayer } from '@/lib/draw-layers';
import { formatSpan, formatTime } from '@/lib/format';
import { markZoomStart } from '@/lib/perf';
import { shownEvent } from '@/lib/review';
import { useWidth } from '@/hooks/useWidth';

import { useFocusEvent } from '../events/ReviewContext';
import { useTimeView, useViewer } from './ViewerContext';

export default function Minimap({ overview, events }: { overview: Spectrogram | null; events: AudioEvent[] }) {
  const v = useViewer();
  const focus = useFocusEvent();
  const { durationS, look } = v;
  const { view } = useTimeView();
  const ref = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useWidth(ref);
  const layer = useMemo(() => (overview && typeof document !== 'undefined' ? spectrogramLayer(overview, look) : null), [overview, look]);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !layer || width < 1) return;
    canvas.width = width;
    canvas.height = 32;
    const context = canvas.getContext('2d');
    if (!context || !overview) return;
    const covered = Math.min(1, (overview.cols * overview.seconds_per_column) / durationS);
    context.drawImage(layer, 0, 0, layer.width, layer.height, 0, 0, width * covered, 32);
  }, [layer, width, overview, durationS]);

  const spanS = view.end - view.start;
  const moveTo = (clientX: number) => {
    const box = ref.current!.getBoundingClientRect();
    const centre = ((clientX - box.left) / box.width) * durationS;
    markZoomStart();
    v.setView(centre - spanS / 2, centre + spanS / 2);
  };
  const dragging = useRef(false);
  return (
    <div className="pl-14">
      <div
        ref={ref}
        className="relative h-8 cursor-pointer overflow-hidden rounded bg-slate-950 ring-1 ring-slate-700 focus-visible:outline-2 focus-visible:outline-sky-300"
        data-testid="minimap"
        role="scrollbar"
        tabIndex={0}
        aria-controls="viewer-picture"
        aria-orientation="horizontal"
        aria-label={`Whole recording; showing ${formatTime(view.start)} to ${formatTime(view.end)}`}
        aria-valuemin={0}
        aria-valuemax={Math.round(durationS)}
        aria-valuenow={Math.round(view.start)}
        onPointerDown={(event) => {
          dragging.current = true;
          event.currentTarget.setPointerCapture?.(event.pointerId);
          moveTo(event.clientX);
        }}
        onPointerMove={(event) => dragging.current && moveTo(event.clientX)}
        onPointerUp={() => {
          dragging.current = false;
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowRight') v.panBy(spanS * 0.25);
          else if (event.key === 'ArrowLeft') v.panBy(-spanS * 0.25);
          else return;
          event.preventDefault();
        }}
      >
        <canvas ref={canvasRef} className="absolute inset-0 h-full w-full opacity-80" aria-hidden="true" />
        {events.slice(0, 300).map((event) => {
          const e = shownEvent(event);
          return (
            <button
              key={event.position}
              type="button"
              tabIndex={-1}
              className={`absolute bottom-0 h-2 min-w-[3px] rounded-t-sm hover:h-3 hover:bg-emerald-200 ${event.review.status === 'rejected' ? 'bg-slate-400/60' : 'bg-emerald-400/90'}`}
              style={{ left: `${(e.onset_s / durationS) * 100}%`, width: `${((e.offset_s - e.onset_s) / durationS) * 100}%` }}
              title={`${e.label} ${formatSpan(e.onset_s, e.offset_s)}`}
              aria-label={`${e.label} from ${formatTime(e.onset_s)} to ${formatTime(e.offset_s)}: zoom and play`}
              data-testid="minimap-event"
              onPointerDown={(pointer) => pointer.stopPropagation()}
              onClick={() => focus(event)}
            />
          );
        })}
        <div
          className="pointer-events-none absolute inset-y-0 rounded-sm border-2 border-amber-300 bg-amber-300/10"
          style={{ left: `${(view.start / durationS) * 100}%`, width: `max(4px, ${(spanS / durationS) * 100}%)` }}
          data-testid="minimap-frame"
        />
      </div>
    </div>
  );
}
