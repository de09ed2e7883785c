// The time axis under a track: [0, duration] over the track's full width, so
// the axes of two tracks laid out in one grid column coincide.
import { tickLabel, timeTicks } from '@/lib/time-view';

export default function CompareTimeAxis({ model, durationS, maxTicks }: { model: string; durationS: number; maxTicks: number }) {
  const ticks = timeTicks({ start: 0, end: durationS }, maxTicks);
  return (
    <div className="relative h-5 border-t border-slate-600 text-[11px] text-slate-300" data-testid="compare-axis" data-model={model} aria-hidden="true">
      {ticks.map((t) => {
        const x = (t / durationS) * 100;
        const edge = x > 97 ? '-translate-x-full' : x < 3 ? '' : '-translate-x-1/2';
        return (
          <span key={t} className={`absolute top-0 ${edge} whitespace-nowrap pt-0.5 tabular-nums`} style={{ left: `${x}%` }}>
            <span className="absolute -top-1 left-1/2 h-1 w-px bg-slate-500" />
            {tickLabel(t, durationS)}
          </span>
        );
      })}
    </div>
  );
}
