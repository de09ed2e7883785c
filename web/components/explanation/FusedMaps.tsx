'use client';
// A fused analysis (model "fused": mn04_as and yamnet) has each model's own
// map of every explained class. Above them the spectrogram shows the first
// model's; here each model's map of the selected class is drawn on the
// recording's time axis (the same width for the same seconds), labelled with
// its model, layer and band, so the two can be read against each other.
import { useEffect, useRef } from 'react';

import { formatPercent } from '@/lib/format';
import type { Explanation } from '@/lib/api-types';

import { useViewer } from '../viewer/ViewerContext';

function MapStrip({ e, durationS }: { e: Explanation; durationS: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    const covered = Math.min(1, (e.cols * e.seconds_per_column) / Math.max(durationS, 1e-3));
    const cellW = (c.width * covered) / e.cols;
    const cellH = c.height / e.rows;
    for (let r = 0; r < e.rows; r++) {
      for (let col = 0; col < e.cols; col++) {
        const v = Math.max(0, Math.min(1, e.map[r]?.[col] ?? 0));
        ctx.fillStyle = `rgba(251, 191, 36, ${v})`;
        // Row 0 is the lowest band: drawn at the bottom.
        ctx.fillRect(col * cellW, c.height - (r + 1) * cellH, Math.ceil(cellW), Math.ceil(cellH));
      }
    }
  }, [e, durationS]);
  const band = e.row_edges_hz ? `${Math.round(e.row_edges_hz[0]!)}–${Math.round(e.row_edges_hz[e.rows]!)} Hz` : '';
  return (
    <figure className="flex flex-col gap-1" data-testid={`fused-map-${e.model ?? 'model'}`}>
      <figcaption className="text-xs text-slate-300">
        <span className="font-medium text-white">{e.model}</span>: {e.layer}, {e.rows} × {e.cols} cells of{' '}
        {e.seconds_per_column.toFixed(2)} s{band ? `, ${band}` : ''}
      </figcaption>
      <canvas ref={canvas} width={800} height={48} className="h-12 w-full rounded bg-slate-900 ring-1 ring-slate-700" role="img"
        aria-label={`${e.model}'s map of ${e.label} over the whole recording`} />
    </figure>
  );
}

export default function FusedMaps() {
  const v = useViewer();
  const models = v.analysis.models ?? [];
  if (models.length < 2 || v.selectedClass === null) return null;
  const maps = models.map((m) => v.analysis.explanations.find((e) => e.model === m && e.index === v.selectedClass) ?? null);
  const probability = v.analysis.predictions.find((p) => p.index === v.selectedClass);
  return (
    <section aria-label="Each model's map" className="flex flex-col gap-2 pl-14" data-testid="fused-maps">
      <p className="text-sm text-slate-200">
        Fused model: each model&apos;s own map of {v.labelOf(v.selectedClass)}, on the recording&apos;s time axis
        {probability?.model ? ` (the clip's ${formatPercent(probability.probability)} is ${probability.model}'s)` : ''}.
        The map over the spectrogram above is {models[0]}&apos;s.
      </p>
      {maps.map((e, i) => e
        ? <MapStrip key={models[i]} e={e} durationS={v.durationS} />
        : <p key={models[i]} className="text-xs text-slate-400">{models[i]}: no map of this class with the analysis{' '}
            {models[i] === 'yamnet' ? '(YAMNet has no output for a few classes, or it was not among the explained ones)' : '(not among the explained classes)'}</p>)}
    </section>
  );
}
