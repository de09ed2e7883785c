'use client';
// How strongly the map covers the spectrogram.
import { useId } from 'react';

import { useViewer } from '../viewer/ViewerContext';

export default function OpacitySlider() {
  const { opacity, setOpacity } = useViewer();
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-sm text-slate-200">
      <label htmlFor={id} className="whitespace-nowrap">Map opacity</label>
      <input id={id} type="range" min={0} max={100} step={5} value={Math.round(opacity * 100)} onChange={(event) => setOpacity(Number(event.target.value) / 100)} className="w-28 accent-amber-400" data-testid="opacity-slider" />
      <output htmlFor={id} className="w-10 tabular-nums">{Math.round(opacity * 100)}%</output>
    </div>
  );
}
