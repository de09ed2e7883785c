'use client';
// The spectrogram's look: colour scale, gain and contrast, with a colour bar
// in dB (relative: the recording is not calibrated).
import type { Spectrogram } from '@/lib/api-types';
import { SPECTROGRAM_MAPS, spectrogramGradient, type SpectrogramMap } from '@/lib/colormap';
import { valueAtLevel } from '@/lib/draw-layers';
import { levelToDb } from '@/lib/levels';

import { useViewer } from './ViewerContext';

export default function SpectrogramControls({ spectrogram }: { spectrogram: Spectrogram | null }) {
  const v = useViewer();
  const { look, setLook, analysis } = v;
  const ends = spectrogram ? [0, 1].map((level) => valueAtLevel(level, spectrogram.min, spectrogram.max, look)) : null;
  const db = ends?.map((value) => levelToDb(value, analysis.model));
  const label = (i: number) => (db && db[i] !== null && db[i] !== undefined ? `${db[i]!.toFixed(0)} dB` : ends ? ends[i]!.toFixed(2) : '—');
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-200" data-testid="spectrogram-controls">
      <label className="flex items-center gap-2">
        Colours
        <select value={look.map} onChange={(e) => setLook({ ...look, map: e.target.value as SpectrogramMap })} className="rounded-md border border-slate-600 bg-slate-900 px-2 py-1" data-testid="colour-map">
          {Object.keys(SPECTROGRAM_MAPS).map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </label>
      <label className="flex items-center gap-2">
        Gain
        <input type="range" min={-50} max={50} step={5} value={Math.round(look.gain * 100)} onChange={(e) => setLook({ ...look, gain: Number(e.target.value) / 100 })} className="w-24 accent-sky-400" data-testid="gain" />
      </label>
      <label className="flex items-center gap-2">
        Contrast
        <input type="range" min={50} max={300} step={10} value={Math.round(look.contrast * 100)} onChange={(e) => setLook({ ...look, contrast: Number(e.target.value) / 100 })} className="w-24 accent-sky-400" data-testid="contrast" />
      </label>
      <figure className="flex min-w-40 flex-1 flex-col gap-0.5 text-xs text-slate-300" aria-label="Spectrogram colour scale" data-testid="db-colour-bar">
        <div className="h-3 w-full rounded-sm ring-1 ring-white/20" style={{ background: spectrogramGradient(look.map) }} />
        <figcaption className="flex justify-between tabular-nums">
          <span>{label(0)}</span>
          <span>level{db?.[0] !== null && db ? ' (dB, relative)' : ' (model input)'}</span>
          <span>{label(1)}</span>
        </figcaption>
      </figure>
    </div>
  );
}
