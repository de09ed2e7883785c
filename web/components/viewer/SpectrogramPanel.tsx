'use client';
// The picture for the visible span: spectrogram (overview, or the span at full
// resolution when zoomed in), the explanation over it, the playhead, the
// selection and a hover read-out (in cells mode: the cell's band and time span).
// Wheel zooms (shift+wheel pans), dragging pans, shift+drag selects, dragging
// a selection's edge moves it; when the selection is the selected event's span
// (a row, lane or minimap click selects it), its edges have grips and a drag
// of one, by mouse or finger, corrects the event's times and stores them at
// once (with an undo); a click plays from there; keys: arrows seek, + and -
// zoom, PageUp/PageDown pan, 0 shows all.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';

import type { Spectrogram } from '@/lib/api-types';
import { camViewLayer, compose, spectrogramLayer } from '@/lib/draw-layers';
import { formatHz, formatPercent, formatSpan, formatTime } from '@/lib/format';
import { levelToDb } from '@/lib/levels';
import { markZoomDrawn, markZoomStart } from '@/lib/perf';
import { probeAt, type Probe } from '@/lib/probe';
import { isEventSpan, shownEvent, timesChange } from '@/lib/review';
import { timeAt, xOf } from '@/lib/time-view';

import { FrequencyAxis, TimeAxis } from './SpectrogramAxes';

import type { AudioEvent } from '@/lib/api-types';

import { useReview } from '../events/ReviewContext';
import { usePlayhead, useTimeView, useViewer } from './ViewerContext';

/** How near a selection's edge (in pixels) a drag grabs it: with a mouse, and with a finger or pen. */
const EDGE_PX = 6;
const TOUCH_EDGE_PX = 18;

/** What a drag of the selected event's edge did: saving, stored (with what it was), or refused. */
type EdgeDrag =
  | { state: 'saving'; label: string; start: number; end: number }
  | { state: 'saved'; label: string; start: number; end: number; position: number; before: { onset_s: number | null; offset_s: number | null }; was: { start: number; end: number } }
  | { state: 'failed'; label: string; reason: string };

interface Props {
  overview: Spectrogram | null;
  span: Spectrogram | null;
  /** Hz of each mel bin for the axis (from the spectrogram, else the map's bands). */
  centerHz: number[];
  canvasRef: RefObject<HTMLCanvasElement | null>;
  onDrawn?: (what: { spectrogram: boolean; cam: boolean }) => void;
}

function useBoxSize(ref: RefObject<HTMLDivElement | null>) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const box = element.getBoundingClientRect();
      setSize({ width: Math.round(box.width), height: Math.round(box.height) });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

interface Hover {
  x: number;
  y: number;
  width: number;
  probe: Probe;
}

function Tooltip({ hover, cells, method, model }: { hover: Hover; cells: boolean; method: string; model: string | null }) {
  const { probe } = hover;
  const flip = hover.x > hover.width * 0.6;
  const db = probe.level !== null ? levelToDb(probe.level, model) : null;
  const cell = probe.cell;
  return (
    <div
      aria-hidden="true"
      data-testid="spectrogram-tooltip"
      className="pointer-events-none absolute z-10 rounded-md bg-slate-900/95 px-2 py-1 text-xs text-white shadow-lg ring-1 ring-white/20"
      style={{ left: hover.x + (flip ? -12 : 12), top: Math.max(0, hover.y - 64), transform: flip ? 'translateX(-100%)' : undefined }}
    >
      <div>Time: {formatTime(probe.timeS, 2)}</div>
      <div>Frequency: {probe.hz !== null ? formatHz(probe.hz) : '—'}</div>
      {probe.level !== null && <div>Level: {db !== null ? `${db.toFixed(0)} dB (relative)` : probe.level.toFixed(2)}</div>}
      {probe.cam !== null && <div>{methodLabel(method)}: {probe.cam.toFixed(2)} ({formatPercent(probe.cam)} of max)</div>}
      {cells && cell && (
        <div data-testid="cell-readout">
          Cell: {cell.lowHz !== null && cell.highHz !== null ? `${formatHz(cell.lowHz)}–${formatHz(cell.highHz)}` : `row ${cell.row}`},{' '}
          {formatTime(cell.startS, 2)}–{formatTime(cell.endS, 2)}
        </div>
      )}
    </div>
  );
}

export function methodLabel(method: string): string {
  const names: Record<string, string> = {
    gradcam: 'Grad-CAM', 'gradcam++': 'Grad-CAM++', layercam: 'LayerCAM', 'integrated-gradients': 'Integrated gradients', occlusion: 'Occlusion',
  };
  return names[method] ?? method;
}

export default function SpectrogramPanel({ overview, span, centerHz, canvasRef, onDrawn }: Props) {
  const v = useViewer();
  const { durationS, shown, cells, opacity, look, method } = v;
  const { view, selection } = useTimeView();
  const currentTime = usePlayhead();
  const boxRef = useRef<HTMLDivElement>(null);
  const size = useBoxSize(boxRef);
  const ratio = typeof window === 'undefined' ? 1 : Math.min(2, window.devicePixelRatio || 1);
  const width = Math.round(size.width * ratio);
  const height = Math.round(size.height * ratio);
  const [hover, setHover] = useState<Hover | null>(null);

  const overviewLayer = useMemo(() => (overview && typeof document !== 'undefined' ? spectrogramLayer(overview, look) : null), [overview, look]);
  const spanLayer = useMemo(
    () => (span && typeof document !== 'undefined' ? spectrogramLayer(span, look, overview ?? undefined) : null),
    [span, look, overview],
  );
  const cam = useMemo(
    () => (shown && width > 0 && typeof document !== 'undefined' ? camViewLayer(shown, view, Math.min(width, 2400), durationS, cells) : null),
    [shown, view, width, durationS, cells],
  );

  const onDrawnRef = useRef(onDrawn);
  const settleRef = useRef(v.settle);
  useEffect(() => {
    onDrawnRef.current = onDrawn;
  }, [onDrawn]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width < 1 || height < 1) return;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return;
    const layers = [overview && overviewLayer ? { layer: overviewLayer, source: overview } : null, span && spanLayer ? { layer: spanLayer, source: span } : null];
    compose(context, { width, height, view, spectrogram: layers[0] ?? null, cam: null, cells, opacity: 0 });
    if (layers[1]) compose(context, { width, height, view, spectrogram: layers[1], cam: null, cells, opacity: 0, keepBackground: true });
    compose(context, { width, height, view, spectrogram: null, cam, cells, opacity, keepBackground: true });
    canvas.dataset.drawn = `${overviewLayer ? 'spectrogram' : ''}${cam ? '+cam' : ''}`;
    canvas.dataset.spectrogramSource = span ? 'span' : overview ? 'overview' : '';
    canvas.dataset.secondsPerColumn = String((span ?? overview)?.seconds_per_column ?? '');
    canvas.dataset.viewStart = view.start.toFixed(3);
    canvas.dataset.viewEnd = view.end.toFixed(3);
    const ms = markZoomDrawn();
    if (ms !== null) canvas.dataset.zoomMs = ms.toFixed(1);
    onDrawnRef.current?.({ spectrogram: overviewLayer !== null, cam: cam !== null });
    if (cam || overviewLayer) settleRef.current();
  }, [canvasRef, width, height, overview, overviewLayer, span, spanLayer, cam, cells, opacity, view]);

  // Wheel: zoom around the pointer; shift (or a sideways wheel) pans. Not passive, so the page does not scroll.
  const viewRef = useRef({ view, zoomBy: v.zoomBy, panBy: v.panBy });
  useEffect(() => {
    viewRef.current = { view, zoomBy: v.zoomBy, panBy: v.panBy };
  }, [view, v.zoomBy, v.panBy]);
  useEffect(() => {
    const element = boxRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      const { view: current, zoomBy, panBy } = viewRef.current;
      const box = element.getBoundingClientRect();
      const fx = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      const spanS = current.end - current.start;
      event.preventDefault();
      markZoomStart();
      if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        panBy(((event.shiftKey ? event.deltaY : event.deltaX) / box.width) * spanS);
      } else {
        zoomBy(Math.exp(Math.max(-1, Math.min(1, event.deltaY / 300))), timeAt(fx, current));
      }
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const reviewed = useReview();
  const selectedEvent = reviewed?.events?.find((e) => e.position === reviewed.selected) ?? null;
  // The selection is the selected event's span: its edges are the event's, a drag of one corrects it.
  const editable = selectedEvent && isEventSpan(selectedEvent, selection) ? selectedEvent : null;
  const [edgeDrag, setEdgeDrag] = useState<EdgeDrag | null>(null);
  const saveEdges = (event: AudioEvent, start: number, end: number) => {
    if (!reviewed) return;
    const { label, onset_s, offset_s } = shownEvent(event);
    const was = { start: onset_s, end: offset_s };
    const before = { onset_s: event.review.onset_s, offset_s: event.review.offset_s };
    setEdgeDrag({ state: 'saving', label, start, end });
    void reviewed.review(event.position, timesChange(event, { onset_s: start, offset_s: end })).then((refused) => {
      if (refused !== null) v.setSelection(was); // the event keeps its times: so does the selection
      setEdgeDrag(refused === null ? { state: 'saved', label, start, end, position: event.position, before, was } : { state: 'failed', label, reason: refused });
    });
  };

  const drag = useRef<{ x: number; startView: typeof view; moved: boolean; select: boolean; t0: number; event: AudioEvent | null; span: { start: number; end: number } | null } | null>(null);
  const fractionsOf = (event: React.PointerEvent<HTMLDivElement> | React.MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = Math.min(box.width, Math.max(0, event.clientX - box.left));
    const y = Math.min(box.height, Math.max(0, event.clientY - box.top));
    return { x, y, width: box.width, fx: box.width ? x / box.width : 0, fy: box.height ? 1 - y / box.height : 0 };
  };

  // Within a few pixels of a selection's edge (an event's span after a row click), a drag moves that edge:
  // the time of the edge that stays, else null.
  const heldEdge = (x: number, width: number, slack = EDGE_PX): number | null => {
    if (!selection || width <= 0) return null;
    const left = xOf(selection.start, view) * width;
    const right = xOf(selection.end, view) * width;
    // The nearer edge wins when a short event's edges are both within reach.
    const toRight = Math.abs(x - right);
    const toLeft = Math.abs(x - left);
    if (toRight <= slack && toRight <= toLeft) return selection.start;
    if (toLeft <= slack) return selection.end;
    return null;
  };

  const onPointerDown = (event: React.PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    const at = fractionsOf(event);
    const edge = heldEdge(at.x, at.width, event.pointerType === 'mouse' ? EDGE_PX : TOUCH_EDGE_PX);
    drag.current = {
      x: event.clientX, startView: view, moved: false, select: event.shiftKey || edge !== null, t0: edge ?? timeAt(at.fx, view),
      event: edge !== null ? editable : null, span: null,
    };
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: React.PointerEvent<HTMLDivElement>) => {
    const at = fractionsOf(event);
    const d = drag.current;
    if (d && Math.abs(event.clientX - d.x) > 3) {
      d.moved = true;
      if (d.select) {
        const t1 = Math.min(durationS, Math.max(0, timeAt(at.fx, view)));
        d.span = { start: Math.min(d.t0, t1), end: Math.max(d.t0, t1) };
        v.setSelection(d.span);
      } else {
        markZoomStart();
        const spanS = d.startView.end - d.startView.start;
        const delta = ((d.x - event.clientX) / at.width) * spanS;
        v.setView(d.startView.start + delta, d.startView.end + delta);
      }
    }
    setHover({ x: at.x, y: at.y, width: at.width, probe: probeAt(at.fx, at.fy, view, durationS, span ?? overview, shown, cells) });
  };
  const onPointerUp = (event: React.PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    // A click plays from there (as the guide says), to the end or until paused.
    if (d && !d.moved) v.playRange(Math.min(durationS, Math.max(0, timeAt(fractionsOf(event).fx, view))), durationS);
    // An edge of the selected event dragged: its new times are stored (an event of at least 10 ms).
    else if (d?.event && d.span && d.span.end - d.span.start >= 0.01) saveEdges(d.event, d.span.start, d.span.end);
  };

  const onKey = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 5 : 1;
    const spanS = view.end - view.start;
    if (event.key === 'ArrowRight') v.seek(Math.min(durationS, currentTime + step));
    else if (event.key === 'ArrowLeft') v.seek(Math.max(0, currentTime - step));
    else if (event.key === 'Home') v.seek(0);
    else if (event.key === '+' || event.key === '=') {
      markZoomStart();
      v.zoomBy(0.5, currentTime >= view.start && currentTime <= view.end ? currentTime : undefined);
    } else if (event.key === '-' || event.key === '_') {
      markZoomStart();
      v.zoomBy(2, currentTime >= view.start && currentTime <= view.end ? currentTime : undefined);
    } else if (event.key === 'PageDown' || event.key === '>') {
      markZoomStart();
      v.panBy(spanS * 0.5);
    } else if (event.key === 'PageUp' || event.key === '<') {
      markZoomStart();
      v.panBy(-spanS * 0.5);
    } else if (event.key === '0') {
      markZoomStart();
      v.setView(0, durationS);
    } else return;
    event.preventDefault();
  };

  const label = shown
    ? `Spectrogram from ${formatTime(view.start)} to ${formatTime(view.end)} with the ${methodLabel(shown.method)} map for ${shown.label}: brighter colours mark the time and frequency regions that raised this class's score.`
    : 'Spectrogram of the recording.';
  const playheadX = xOf(currentTime, view);
  const selectionBox = selection ? { left: xOf(selection.start, view), right: xOf(selection.end, view) } : null;

  return (
    <div className="flex w-full flex-col">
      <div className="flex h-56 w-full sm:h-72 lg:h-80">
        <FrequencyAxis centerHz={centerHz} />
        <div
          ref={boxRef}
          className={`relative min-w-0 flex-1 ${hover && heldEdge(hover.x, hover.width) !== null ? 'cursor-ew-resize' : 'cursor-crosshair'} touch-none overflow-hidden rounded-md bg-slate-950 outline-none ring-sky-400 focus-visible:ring-2`}
          tabIndex={0}
          role="slider"
          aria-label="Position in the recording (click to play from there; arrow keys seek, + and - zoom, Page Up/Down pan, 0 shows all; wheel zooms, drag pans, shift+drag selects, dragging a selection edge moves it, and a selected event's edge corrects its times)"
          aria-valuemin={0}
          aria-valuemax={Math.round(durationS * 10) / 10}
          aria-valuenow={Math.round(currentTime * 10) / 10}
          aria-valuetext={formatTime(currentTime)}
          data-testid="spectrogram"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => setHover(null)}
          onKeyDown={onKey}
        >
          <canvas ref={canvasRef} data-testid="heatmap-canvas" data-class-index={shown?.index ?? ''} data-method={shown?.method ?? ''} data-cells={cells ? '1' : '0'} role="img" aria-label={label} className="block h-full w-full" />
          {selectionBox && selectionBox.right > 0 && selectionBox.left < 1 && (
            <div data-testid="selection" data-start={selection!.start.toFixed(3)} data-end={selection!.end.toFixed(3)} data-event-position={editable?.position ?? ''} aria-hidden="true" className="pointer-events-none absolute inset-y-0 border-x-2 border-sky-300 bg-sky-300/15"
              style={{ left: `${Math.max(0, selectionBox.left) * 100}%`, width: `${(Math.min(1, selectionBox.right) - Math.max(0, selectionBox.left)) * 100}%` }}>
              {/* Grips on the selected event's edges: drag one to correct its times. */}
              {editable && selectionBox.left >= 0 && <span data-testid="edge-grip" className="absolute left-0 top-1/2 h-10 w-2.5 -translate-x-1/2 -translate-y-1/2 rounded-sm bg-sky-300 shadow ring-1 ring-slate-950" />}
              {editable && selectionBox.right <= 1 && <span data-testid="edge-grip" className="absolute right-0 top-1/2 h-10 w-2.5 translate-x-1/2 -translate-y-1/2 rounded-sm bg-sky-300 shadow ring-1 ring-slate-950" />}
            </div>
          )}
          {playheadX >= 0 && playheadX <= 1 && (
            <div data-testid="playhead" aria-hidden="true" className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow-[0_0_4px_rgba(0,0,0,0.9)]" style={{ left: `${playheadX * 100}%` }} />
          )}
          {hover && <Tooltip hover={hover} cells={cells} method={shown?.method ?? method} model={v.analysis.model} />}
        </div>
      </div>
      <div className="pl-14">
        <TimeAxis view={view} maxTicks={Math.max(3, Math.floor(size.width / 90))} />
        {editable && !edgeDrag && (
          <p className="text-xs text-slate-400" data-testid="edge-hint">Drag the grips at the selected {shownEvent(editable).label}&apos;s edges to correct its times; they are stored when you let go.</p>
        )}
        {edgeDrag && <EdgeDragStatus drag={edgeDrag} onUndo={(d) => {
          setEdgeDrag(null);
          v.setSelection(d.was);
          void reviewed?.review(d.position, d.before);
        }} onDismiss={() => setEdgeDrag(null)} />}
      </div>
    </div>
  );
}

function EdgeDragStatus({ drag, onUndo, onDismiss }: { drag: EdgeDrag; onUndo: (d: Extract<EdgeDrag, { state: 'saved' }>) => void; onDismiss: () => void }) {
  const button = 'rounded px-2 py-0.5 ring-1 ring-slate-500 hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-sky-300';
  return (
    <p role="status" className={`flex flex-wrap items-center gap-2 text-xs ${drag.state === 'failed' ? 'text-amber-200' : 'text-slate-200'}`} data-testid="edge-drag-status" data-state={drag.state}>
      {drag.state === 'saving' && <span>Storing the times of {drag.label}: {formatSpan(drag.start, drag.end, 2)}…</span>}
      {drag.state === 'saved' && (
        <>
          <span>Times of {drag.label} corrected to {formatSpan(drag.start, drag.end, 2)} and stored.</span>
          <button type="button" className={button} onClick={() => onUndo(drag)} data-testid="edge-drag-undo">Undo</button>
        </>
      )}
      {drag.state === 'failed' && <span>The new times of {drag.label} were not stored. {drag.reason}</span>}
      <button type="button" className={button} onClick={onDismiss} aria-label="Dismiss">×</button>
    </p>
  );
}
