'use client';
// One lane per shown class under the spectrogram, on the same time axis: the
// class's probability in each analysis window (a point at the window's centre,
// joined by a line; gaps where the window did not report the class). Hover
// gives the window's span and value; a click seeks; the name shows its map.
import { memo, useEffect, useMemo, useRef, useState } from 'react';

import { formatPercent, formatTime } from '@/lib/format';
import { fullyReported, lanePoints, nearestPoint, type LanePoint } from '@/lib/lanes';
import { timeAt, xOf, type TimeView } from '@/lib/time-view';
import { useWidth } from '@/hooks/useWidth';

import { usePlayhead, useTimeView, useViewer } from './ViewerContext';

const LANE_HEIGHT = 30;
// Why a lane has gaps: the analysis reported this class only in the windows where it was among the top classes.
const PARTIAL_NOTE = 'partial: this class was not followed in every analysis window, only where it was among a window’s top classes; the gaps are windows where it was not reported, not 0 %. Analysing again with the class pinned follows it everywhere.';

function drawLane(canvas: HTMLCanvasElement, points: LanePoint[], view: TimeView, width: number, selected: boolean) {
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  // Resizing reallocates the bitmap: only when the size changed.
  const w0 = Math.max(1, Math.round(width * ratio));
  if (canvas.width !== w0) canvas.width = w0;
  if (canvas.height !== LANE_HEIGHT * ratio) canvas.height = LANE_HEIGHT * ratio;
  const context = canvas.getContext('2d');
  if (!context) return;
  const w = canvas.width;
  const h = canvas.height;
  context.clearRect(0, 0, w, h);
  const y = (p: number) => h - 2 * ratio - p * (h - 4 * ratio);
  context.strokeStyle = selected ? 'rgb(252, 211, 77)' : 'rgb(56, 189, 248)';
  context.fillStyle = selected ? 'rgba(252, 211, 77, 0.25)' : 'rgba(56, 189, 248, 0.25)';
  context.lineWidth = 1.5 * ratio;
  // Only the points in view (and one either side), so a long recording costs what is visible.
  let first = points.findIndex((p) => p.t >= view.start);
  first = first < 0 ? points.length - 1 : Math.max(0, first - 1);
  let run: { x: number; y: number }[] = [];
  const flush = () => {
    if (run.length === 0) return;
    context.beginPath();
    context.moveTo(run[0]!.x, h);
    run.forEach((q) => context.lineTo(q.x, q.y));
    context.lineTo(run[run.length - 1]!.x, h);
    context.closePath();
    context.fill();
    context.beginPath();
    run.forEach((q, i) => (i ? context.lineTo(q.x, q.y) : context.moveTo(q.x, q.y)));
    if (run.length === 1) context.arc(run[0]!.x, run[0]!.y, 2 * ratio, 0, Math.PI * 2);
    context.stroke();
    run = [];
  };
  for (let i = first; i < points.length; i++) {
    const point = points[i]!;
    if (point.p === null) flush();
    else run.push({ x: xOf(point.t, view) * w, y: y(point.p) });
    if (point.t > view.end) break;
  }
  flush();
}

function Lane({ index, label, width }: { index: number; label: string; width: number }) {
  const v = useViewer();
  const { analysis, durationS, selectedClass, selectClass } = v;
  const { view } = useTimeView();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const points = useMemo(() => lanePoints(analysis.timeline, index, durationS), [analysis.timeline, index, durationS]);
  const [hover, setHover] = useState<{ x: number; point: LanePoint } | null>(null);
  const selected = selectedClass === index;
  useEffect(() => {
    if (canvasRef.current && width > 0) drawLane(canvasRef.current, points, view, width, selected);
  }, [points, view, width, selected]);
  const complete = fullyReported(points);
  const peak = points.reduce((m, p) => Math.max(m, p.p ?? 0), 0);
  const at = (event: React.PointerEvent<HTMLCanvasElement> | React.MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - box.left, t: timeAt((event.clientX - box.left) / box.width, view) };
  };
  return (
    <div className="relative h-[30px] border-b border-slate-800" data-testid="probability-lane" data-class-index={index}>
      <canvas
        ref={canvasRef}
        className="absolute inset-0 h-full w-full cursor-pointer"
        role="img"
        aria-label={`${label}: probability per analysis window, highest ${formatPercent(peak)}${complete ? '' : ' (only where the class was among a window’s top classes)'}`}
        onPointerMove={(event) => {
          const { x, t } = at(event);
          const point = nearestPoint(points, t);
          setHover(point ? { x, point } : null);
        }}
        onPointerLeave={() => setHover(null)}
        onClick={(event) => v.seek(Math.max(0, Math.min(durationS, at(event).t)))}
      />
      <button
        type="button"
        onClick={() => selectClass(index, label)}
        aria-pressed={selected}
        title={`Show the map for ${label}`}
        className={`absolute left-1 top-0.5 max-w-[60%] truncate rounded bg-slate-950/70 px-1 text-left text-[11px] hover:text-white focus-visible:outline-2 focus-visible:outline-sky-300 ${selected ? 'text-amber-300' : 'text-slate-200'}`}
      >
        {label}
        {!complete && <span className="text-slate-400" title={PARTIAL_NOTE} data-testid="lane-partial"> · partial*</span>}
      </button>
      {hover && (
        <div className="pointer-events-none absolute -top-7 z-10 whitespace-nowrap rounded bg-slate-900/95 px-2 py-0.5 text-xs text-white ring-1 ring-white/20" style={{ left: hover.x, transform: hover.x > width * 0.6 ? 'translateX(-100%)' : undefined }} data-testid="lane-tooltip">
          {label}: {hover.point.p === null ? 'not reported' : formatPercent(hover.point.p)} in the window {formatTime(hover.point.startS)}–{formatTime(hover.point.endS)}
        </div>
      )}
    </div>
  );
}

function Playhead() {
  const { view } = useTimeView();
  const x = xOf(usePlayhead(), view);
  if (x < 0 || x > 1) return null;
  return <div className="pointer-events-none absolute inset-y-0 w-0.5 bg-white/80" style={{ left: `${x * 100}%` }} aria-hidden="true" />;
}

function ProbabilityLanes({ classes }: { classes: { index: number; label: string }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const { analysis, durationS } = useViewer();
  const anyPartial = useMemo(
    () => classes.some((c) => !fullyReported(lanePoints(analysis.timeline, c.index, durationS))),
    [classes, analysis.timeline, durationS],
  );
  return (
    <div className="pl-14" data-testid="probability-lanes">
      <div ref={ref} className="relative" role="group" aria-label="Probability over time, one lane per class">
        {classes.map((c) => <Lane key={c.index} index={c.index} label={c.label} width={width} />)}
        <Playhead />
      </div>
      {anyPartial && <p className="mt-1 text-xs text-slate-400" data-testid="partial-note">* {PARTIAL_NOTE}</p>}
    </div>
  );
}

export default memo(ProbabilityLanes);
