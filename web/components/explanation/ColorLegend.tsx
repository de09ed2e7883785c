// The colour scale of the map, with what its ends mean.
import { heatGradient } from '@/lib/colormap';

export default function ColorLegend({ method }: { method: string }) {
  return (
    <figure className="flex min-w-48 flex-1 flex-col gap-1 text-xs text-slate-300" aria-label="Map colour scale">
      <div className="h-3 w-full rounded-sm ring-1 ring-white/20" style={{ background: heatGradient() }} />
      <figcaption className="flex justify-between">
        <span>0 · not used</span>
        <span>{method} (scaled to its maximum)</span>
        <span>1 · most used</span>
      </figcaption>
    </figure>
  );
}
