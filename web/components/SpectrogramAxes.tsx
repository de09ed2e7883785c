// Tick labels around the picture: seconds below, Hz (mel-spaced) on the left.
import { formatHz } from '@/lib/format';
import { frequencyTicks, timeTicks } from '@/lib/mel-axis';

export function FrequencyAxis({ centerHz, rows }: { centerHz: number[] | undefined; rows: number }) {
  const ticks = centerHz && centerHz.length > 1
    ? frequencyTicks(centerHz, 0.09).map((t) => ({ key: t.hz, fraction: t.fraction, text: formatHz(t.hz) }))
    : [0, 0.25, 0.5, 0.75, 1].map((f) => ({ key: f, fraction: f, text: `bin ${Math.round(f * Math.max(0, rows - 1))}` }));
  return (
    <div className="relative h-full w-14 shrink-0 text-right text-[11px] text-slate-300" aria-hidden="true">
      {ticks.map((tick) => (
        <span
          key={tick.key}
          className="absolute right-1 -translate-y-1/2 whitespace-nowrap tabular-nums"
          style={{ bottom: `calc(${tick.fraction * 100}% - 0.5em)` }}
        >
          {tick.text}
        </span>
      ))}
    </div>
  );
}

export function TimeAxis({ durationS, maxTicks }: { durationS: number; maxTicks: number }) {
  const ticks = timeTicks(durationS, maxTicks);
  return (
    <div className="relative h-5 text-[11px] text-slate-300" aria-hidden="true">
      {ticks.map((t) => (
        <span
          key={t}
          className="absolute top-0.5 -translate-x-1/2 tabular-nums"
          style={{ left: `${durationS > 0 ? (t / durationS) * 100 : 0}%` }}
        >
          {t}s
        </span>
      ))}
    </div>
  );
}
