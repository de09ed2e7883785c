'use client';
// The heatmap for the selected class with its controls: opacity, legend,
// download of the service's PNG figure.
import { useState } from 'react';

import type { Explanation, Spectrogram } from '@/lib/api-types';
import { figureUrl } from '@/lib/api-base';
import { formatPercent } from '@/lib/format';

import ColorLegend from './ColorLegend';
import OpacitySlider from './OpacitySlider';
import SpectrogramView from './SpectrogramView';

interface Props {
  analysisId: string;
  filename?: string;
  explanation: Explanation | null;
  spectrogram: Spectrogram | null;
  spectrogramNote: string | null;
  /** A class whose heatmap is being fetched. */
  pendingClass: string | null;
  problem: string | null;
  durationS: number;
  currentTime: number;
  onSeek: (timeS: number) => void;
  onDrawn: (what: { spectrogram: boolean; cam: boolean }) => void;
}

function downloadName(filename: string | undefined, label: string | undefined): string {
  const base = (filename ?? 'analysis').replace(/\.[^.]+$/, '');
  const cls = (label ?? 'spectrogram').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${base}-${cls}.png`;
}

export default function ExplanationPanel(props: Props) {
  const { analysisId, filename, explanation, spectrogram, spectrogramNote, pendingClass, problem, durationS, currentTime, onSeek, onDrawn } = props;
  const [opacity, setOpacity] = useState(0.65);
  return (
    <section aria-labelledby="explanation-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="explanation-title" className="text-lg font-semibold text-white" data-testid="explained-class">
          {explanation ? <>Where the model looked for <span className="text-amber-300">{explanation.label}</span> <span className="text-sm font-normal text-slate-300">({formatPercent(explanation.probability)})</span></> : 'Spectrogram'}
        </h2>
        <a
          href={figureUrl(analysisId, explanation?.index)}
          download={downloadName(filename, explanation?.label)}
          className="rounded-lg border border-slate-500 px-3 py-1.5 text-sm text-slate-100 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-300"
          data-testid="download-figure"
        >
          Download PNG figure
        </a>
      </div>
      {!explanation && <p className="text-sm text-slate-300">The service sent no explanation for this analysis; only the spectrogram is shown.</p>}
      {spectrogramNote && <p className="text-sm text-amber-200" role="status">{spectrogramNote}</p>}
      {pendingClass && <p className="text-sm text-slate-200" role="status">Computing the heatmap for {pendingClass}…</p>}
      {problem && <p className="text-sm text-amber-200" role="alert">{problem}</p>}
      <SpectrogramView
        spectrogram={spectrogram}
        explanation={explanation}
        durationS={durationS}
        opacity={opacity}
        currentTime={currentTime}
        onSeek={onSeek}
        onDrawn={onDrawn}
      />
      <div className="flex flex-wrap items-center gap-4 pl-14">
        <OpacitySlider value={opacity} onChange={setOpacity} />
        <ColorLegend />
      </div>
    </section>
  );
}
