'use client';
// Everything on the shared time axis, top to bottom: the toolbar (zoom, the
// selection, the PNG of what is shown), the spectrogram with the map, the
// per-class probability lanes, the event lanes and the minimap.
import { useMemo, useRef } from 'react';

import { formatTime } from '@/lib/format';
import { centresFromEdges } from '@/lib/mel-axis';
import { markZoomStart } from '@/lib/perf';
import { formatViewTime } from '@/lib/time-view';
import { downloadBlob, pictureToPng } from '@/lib/export-png';
import { useSpectrograms } from '@/hooks/useSpectrograms';
import { useWidth } from '@/hooks/useWidth';

import EventLanes from '../events/EventLanes';
import { useReview } from '../events/ReviewContext';
import Minimap from './Minimap';
import ProbabilityLanes from './ProbabilityLanes';
import SpectrogramControls from './SpectrogramControls';
import SpectrogramPanel, { methodLabel } from './SpectrogramPanel';
import { useTimeView, useViewer } from './ViewerContext';

const button = 'rounded-md border border-slate-600 px-2 py-1 text-sm text-slate-100 hover:bg-slate-800 disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-sky-300';

function downloadName(filename: string, label: string | undefined, method: string): string {
  const base = filename.replace(/\.[^.]+$/, '');
  const cls = (label ?? 'spectrogram').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${base}-${cls}-${method}.png`;
}

export default function TimeStack({ onDrawn }: { onDrawn?: (what: { spectrogram: boolean; cam: boolean }) => void }) {
  const v = useViewer();
  const { analysis, durationS, shown, caps, pinned, selectedClass } = v;
  const { view, selection } = useTimeView();
  const measureRef = useRef<HTMLDivElement>(null);
  const width = useWidth(measureRef);
  const ratio = typeof window === 'undefined' ? 1 : Math.min(2, window.devicePixelRatio || 1);
  const spectrograms = useSpectrograms(analysis.id, view, durationS, Math.max(100, (width - 56) * ratio), caps.spectrogramSpan);
  const overview = spectrograms.overview.status === 'ready' ? spectrograms.overview.data : null;
  const centerHz = overview?.center_hz.length ? overview.center_hz : centresFromEdges(shown?.row_edges_hz ?? null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // The events as reviewed and as the thresholds leave them (the analysis' own outside a result).
  const reviewed = useReview();
  const events = reviewed ? reviewed.visible : analysis.events ?? [];

  // Lanes: the explained class, pinned classes, then the clip's top classes.
  const laneClasses = useMemo(() => {
    const seen = new Set<number>();
    const list: { index: number; label: string }[] = [];
    const add = (index: number | null) => {
      if (index === null || seen.has(index)) return;
      seen.add(index);
      list.push({ index, label: v.labelOf(index) });
    };
    add(selectedClass);
    pinned.forEach(add);
    analysis.predictions.slice(0, 5).forEach((p) => add(p.index));
    return list;
  }, [selectedClass, pinned, analysis.predictions, v]);

  const zoomed = view.end - view.start < durationS * 0.999;
  const download = async () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const title = `${analysis.filename} · ${shown ? `${methodLabel(shown.method)} for ${shown.label}` : 'spectrogram'} · ${formatTime(view.start)}–${formatTime(view.end)}`;
    const blob = await pictureToPng(canvas, view, centerHz, title);
    if (blob) downloadBlob(blob, downloadName(analysis.filename, shown?.label, shown?.method ?? 'spectrogram'));
  };
  const zoom = (factor: number) => {
    markZoomStart();
    v.zoomBy(factor);
  };

  const spectrogramNote = spectrograms.overview.status === 'failed'
    ? `The spectrogram could not be loaded (${spectrograms.overview.error.message}); the map is drawn on its own.`
    : spectrograms.overview.status === 'loading' ? 'Loading the spectrogram…' : null;

  return (
    <div ref={measureRef} className="flex flex-col gap-2" data-testid="time-stack">
      <div className="flex flex-wrap items-center gap-2 pl-14" role="toolbar" aria-label="View">
        <button type="button" className={button} onClick={() => zoom(0.5)} aria-label="Zoom in" data-testid="zoom-in">+</button>
        <button type="button" className={button} onClick={() => zoom(2)} disabled={!zoomed} aria-label="Zoom out" data-testid="zoom-out">−</button>
        <button type="button" className={button} onClick={() => { markZoomStart(); v.setView(0, durationS); }} disabled={!zoomed} data-testid="zoom-all">All</button>
        <span className="text-xs tabular-nums text-slate-300" data-testid="view-range">
          {formatViewTime(view.start, view.end - view.start)}–{formatViewTime(view.end, view.end - view.start)}
          {spectrograms.span ? ' · full resolution' : zoomed && !caps.spectrogramSpan && caps.loaded ? ' · spectrogram at overview resolution (spans not available on this server)' : ''}
          {spectrograms.spanLoading ? ' · loading detail…' : ''}
        </span>
        {selection && (
          <>
            <button type="button" className={button} onClick={() => v.playRange(selection.start, selection.end)} data-testid="play-selection" data-start={selection.start.toFixed(3)} data-end={selection.end.toFixed(3)}>
              Play {formatViewTime(selection.start, selection.end - selection.start)}–{formatViewTime(selection.end, selection.end - selection.start)}
            </button>
            <button type="button" className={button} onClick={() => { markZoomStart(); v.setView(selection.start, selection.end); }}>Zoom to it</button>
            <button type="button" className={button} onClick={() => v.setSelection(null)} aria-label="Clear the selection">×</button>
          </>
        )}
        <button type="button" className={`${button} ml-auto`} onClick={() => void download()} data-testid="download-figure">
          Download PNG (as shown)
        </button>
      </div>
      {spectrogramNote && <p className="pl-14 text-sm text-amber-200" role="status">{spectrogramNote}</p>}
      <div id="viewer-picture">
        <SpectrogramPanel overview={overview} span={spectrograms.span} centerHz={centerHz} canvasRef={canvasRef} onDrawn={onDrawn} />
      </div>
      {v.settled && (
        <>
          {analysis.timeline.length > 1 && <ProbabilityLanes classes={laneClasses} />}
          {events.length > 0 && <EventLanes events={events} />}
          {durationS > 0 && <Minimap overview={overview} events={events} />}
          <div className="pl-14">
            <SpectrogramControls spectrogram={overview} />
          </div>
        </>
      )}
    </div>
  );
}
