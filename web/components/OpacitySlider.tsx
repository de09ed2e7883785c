// How strongly the heatmap covers the spectrogram.
import { useId } from 'react';

export default function OpacitySlider({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2 text-sm text-slate-200">
      <label htmlFor={id} className="whitespace-nowrap">Heatmap opacity</label>
      <input
        id={id}
        type="range"
        min={0}
        max={100}
        step={5}
        value={Math.round(value * 100)}
        onChange={(event) => onChange(Number(event.target.value) / 100)}
        className="w-32 accent-amber-400"
        data-testid="opacity-slider"
      />
      <output htmlFor={id} className="w-10 tabular-nums">{Math.round(value * 100)}%</output>
    </div>
  );
}
