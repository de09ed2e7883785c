// How the recording was read and how long each stage of the analysis took.
import { memo } from 'react';

import type { Analysis } from '@/lib/api-types';
import { formatDate, formatMs, formatSeconds } from '@/lib/format';
import type { DrawTimes } from '@/lib/perf';

const STAGES = ['decode', 'features', 'inference', 'explain', 'render', 'analysis', 'total'];
const TOTALS: Record<string, string> = { analysis: 'Analysis (service total)', total: 'Total (service)' };

function Row({ name, value }: { name: string; value: string }) {
  return (
    <div className="flex justify-between gap-3 border-b border-slate-700/60 py-1 last:border-0">
      <dt className="text-slate-400">{name}</dt>
      <dd className="text-right tabular-nums text-slate-100">{value}</dd>
    </div>
  );
}

function MetadataPanel({ analysis, drawTimes }: { analysis: Analysis; drawTimes: DrawTimes }) {
  const audio = analysis.audio;
  const format = [audio.format, audio.codec].filter(Boolean).join(' / ') || '—';
  const signal = [
    audio.sample_rate ? `${audio.sample_rate} Hz` : null,
    audio.channels ? `${audio.channels} ch` : null,
  ].filter(Boolean).join(', ') || '—';
  const timings = analysis.timings_ms;
  const stages = [...STAGES.filter((s) => timings[s] !== undefined), ...Object.keys(timings).filter((s) => !STAGES.includes(s))];
  return (
    <div className="grid gap-4 text-sm sm:grid-cols-2" data-testid="metadata">
      <dl>
        <Row name="File" value={analysis.filename} />
        <Row name="Duration" value={formatSeconds(analysis.duration_s)} />
        <Row name="Input format" value={format} />
        <Row name="Input signal" value={signal} />
        <Row name="Model" value={analysis.model ?? '—'} />
        <Row name="Windows" value={analysis.window_s ? `${analysis.window_s} s, hop ${analysis.hop_s ?? '—'} s` : '—'} />
        <Row name="Analysed" value={formatDate(analysis.created_at ?? undefined)} />
      </dl>
      <dl aria-label="Time per stage">
        {stages.length === 0 && <Row name="Stage times" value="not reported" />}
        {stages.map((stage) => (
          <Row key={stage} name={TOTALS[stage] ?? stage[0]!.toUpperCase() + stage.slice(1)} value={formatMs(timings[stage])} />
        ))}
        {drawTimes.heatmapMs !== undefined && <Row name="Upload → heatmap drawn (browser)" value={formatMs(drawTimes.heatmapMs)} />}
        {drawTimes.completeMs !== undefined && <Row name="Upload → spectrogram under it (browser)" value={formatMs(drawTimes.completeMs)} />}
      </dl>
    </div>
  );
}

// Memoised: the result page re-renders every frame while the audio plays.
export default memo(MetadataPanel);
