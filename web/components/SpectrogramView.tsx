'use client';
// The explanation picture: canvas, axes, a playhead that follows the audio,
// a hover read-out, and seeking by click or arrow keys.
import { useState } from 'react';

import type { Explanation, Spectrogram } from '@/lib/api-types';
import { formatHz, formatPercent, formatSeconds } from '@/lib/format';
import { probeAt, type Probe } from '@/lib/probe';

import SpectrogramCanvas from './SpectrogramCanvas';
import { FrequencyAxis, TimeAxis } from './SpectrogramAxes';

interface Props {
  spectrogram: Spectrogram | null;
  explanation: Explanation | null;
  durationS: number;
  opacity: number;
  currentTime: number;
  onSeek: (timeS: number) => void;
  onDrawn?: (what: { spectrogram: boolean; cam: boolean }) => void;
}

interface Hover {
  x: number;
  y: number;
  width: number;
  probe: Probe;
}

function Tooltip({ hover }: { hover: Hover }) {
  const { probe } = hover;
  const flip = hover.x > hover.width * 0.6;
  return (
    <div
      aria-hidden="true"
      data-testid="spectrogram-tooltip"
      className="pointer-events-none absolute z-10 rounded-md bg-slate-900/95 px-2 py-1 text-xs text-white shadow-lg ring-1 ring-white/20"
      style={{ left: hover.x + (flip ? -12 : 12), top: Math.max(0, hover.y - 56), transform: flip ? 'translateX(-100%)' : undefined }}
    >
      <div>Time: {formatSeconds(probe.timeS)}</div>
      <div>Frequency: {probe.hz !== null ? formatHz(probe.hz) : probe.melBin !== null ? `mel bin ${probe.melBin}` : '—'}</div>
      {probe.level !== null && <div>Level: {probe.level.toFixed(2)} (log-mel)</div>}
      {probe.cam !== null && <div>Grad-CAM: {probe.cam.toFixed(2)} ({formatPercent(probe.cam)} of max)</div>}
    </div>
  );
}

export default function SpectrogramView(props: Props) {
  const { spectrogram, explanation, durationS, opacity, currentTime, onSeek, onDrawn } = props;
  const [hover, setHover] = useState<Hover | null>(null);

  const fractionsOf = (event: React.MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = Math.min(box.width, Math.max(0, event.clientX - box.left));
    const y = Math.min(box.height, Math.max(0, event.clientY - box.top));
    return { x, y, width: box.width, fx: box.width ? x / box.width : 0, fy: box.height ? 1 - y / box.height : 0 };
  };

  const onMove = (event: React.PointerEvent<HTMLDivElement>) => {
    const at = fractionsOf(event);
    setHover({ x: at.x, y: at.y, width: at.width, probe: probeAt(at.fx, at.fy, durationS, spectrogram, explanation) });
  };

  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    if (durationS > 0) onSeek(fractionsOf(event).fx * durationS);
  };

  const onKey = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 5 : 1;
    if (event.key === 'ArrowRight') onSeek(Math.min(durationS, currentTime + step));
    else if (event.key === 'ArrowLeft') onSeek(Math.max(0, currentTime - step));
    else if (event.key === 'Home') onSeek(0);
    else return;
    event.preventDefault();
  };

  const label = explanation
    ? `Spectrogram with the Grad-CAM heatmap for ${explanation.label}: brighter colours mark the time and frequency regions that raised this class's score.`
    : 'Spectrogram of the recording.';
  const playhead = durationS > 0 ? Math.min(1, Math.max(0, currentTime / durationS)) : 0;

  return (
    <div className="flex w-full">
      <FrequencyAxis centerHz={spectrogram?.center_hz} rows={spectrogram?.rows ?? 128} />
      <div className="min-w-0 flex-1">
        <div
          className="relative h-56 cursor-crosshair overflow-hidden rounded-md bg-slate-950 outline-none ring-sky-400 focus-visible:ring-2 sm:h-72 lg:h-80"
          tabIndex={0}
          role="slider"
          aria-label="Position in the recording (click the picture or use the arrow keys to seek)"
          aria-valuemin={0}
          aria-valuemax={Math.round(durationS * 10) / 10}
          aria-valuenow={Math.round(currentTime * 10) / 10}
          aria-valuetext={formatSeconds(currentTime)}
          data-testid="spectrogram"
          onPointerMove={onMove}
          onPointerLeave={() => setHover(null)}
          onClick={onClick}
          onKeyDown={onKey}
        >
          <SpectrogramCanvas
            spectrogram={spectrogram}
            explanation={explanation}
            durationS={durationS}
            opacity={opacity}
            label={label}
            onDrawn={onDrawn}
          />
          <div
            data-testid="playhead"
            aria-hidden="true"
            className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow-[0_0_4px_rgba(0,0,0,0.9)]"
            style={{ left: `${playhead * 100}%` }}
          />
          {hover && <Tooltip hover={hover} />}
        </div>
        <TimeAxis durationS={durationS} maxTicks={8} />
      </div>
    </div>
  );
}
