'use client';
// One model's row on the shared time axis: the chosen class's map (rows x
// columns, as the model computed it) and the model's events. Every track of a
// comparison draws [0, duration] over the same width, so a second is at the
// same x in each.
import { useEffect, useRef } from 'react';

import type { AudioEvent, Explanation } from '@/lib/api-types';
import { HEAT_TABLE, tableIndex } from '@/lib/colormap';
import { formatTime } from '@/lib/format';
import { useWidth } from '@/hooks/useWidth';

interface Props {
  model: string;
  explanation: Explanation | null;
  className: string;
  events: AudioEvent[];
  /** Events both models found (by onset), drawn solid; the others hatched. */
  matchedOnsets: Set<number>;
  durationS: number;
}

const HEIGHT = 56;

function drawMap(canvas: HTMLCanvasElement, width: number, e: Explanation | null, durationS: number) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.round(HEIGHT * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.fillStyle = '#0f172a';
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (!e || !e.seconds_per_column) return;
  const image = context.createImageData(canvas.width, canvas.height);
  const rows = e.rows;
  for (let x = 0; x < canvas.width; x++) {
    const t = ((x + 0.5) / canvas.width) * durationS;
    const col = Math.floor(t / e.seconds_per_column);
    if (col >= e.cols) continue;  // past what the map covers
    for (let y = 0; y < canvas.height; y++) {
      const row = rows - 1 - Math.min(rows - 1, Math.floor((y / canvas.height) * rows));  // row 0 at the bottom
      const k = tableIndex(e.map[row]?.[col] ?? 0) * 3;
      const i = (y * canvas.width + x) * 4;
      image.data[i] = HEAT_TABLE[k]!;
      image.data[i + 1] = HEAT_TABLE[k + 1]!;
      image.data[i + 2] = HEAT_TABLE[k + 2]!;
      image.data[i + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
}

export default function ModelTrack({ model, explanation, className, events, matchedOnsets, durationS }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  useEffect(() => {
    if (canvas.current && width > 0) drawMap(canvas.current, width, explanation, durationS);
  }, [width, explanation, durationS]);
  const pct = (t: number) => `${(Math.max(0, Math.min(durationS, t)) / durationS) * 100}%`;
  return (
    <div ref={box} className="relative min-w-0" data-testid={`track-${model}`}>
      <canvas
        ref={canvas}
        role="img"
        aria-label={explanation ? `${model}: map of ${className} over time` : `${model} has no map of ${className}`}
        className="block w-full rounded-sm"
        style={{ height: HEIGHT }}
      />
      {!explanation && (
        <p className="absolute inset-x-0 top-4 text-center text-xs text-slate-300">{model} did not explain {className}</p>
      )}
      <div className="relative mt-1 h-4 rounded-sm bg-slate-800/70" aria-label={`${model}: events`} role="list">
        {events.map((e, i) => {
          const both = matchedOnsets.has(e.onset_s);
          return (
            <span
              key={`${e.index}-${e.onset_s}-${i}`}
              role="listitem"
              title={`${e.label}: ${formatTime(e.onset_s)} to ${formatTime(e.offset_s)}${both ? ' (both models)' : ` (only ${model})`}`}
              aria-label={`${e.label} from ${formatTime(e.onset_s)} to ${formatTime(e.offset_s)}, ${both ? 'found by both' : `only ${model}`}`}
              className={`absolute top-0.5 h-3 rounded-sm ${both ? 'bg-sky-400' : 'bg-amber-400/80'}`}
              style={{ left: pct(e.onset_s), width: `max(2px, calc(${pct(e.offset_s)} - ${pct(e.onset_s)}))` }}
            />
          );
        })}
      </div>
    </div>
  );
}
