// Tick labels around the picture: time below (for the visible span), Hz on the
// left (mel-spaced, from the spectrogram's bin centres or the map's band edges).
// Labels near the corner are left out so "50 Hz" and "0 s" never meet.
import { formatHz } from '@/lib/format';
import { frequencyTicks } from '@/lib/mel-axis';
import { tickLabel, timeTicks, xOf, type TimeView } from '@/lib/time-view';

export function FrequencyAxis({ centerHz }: { centerHz: number[] }) {
  const ticks = centerHz.length > 1 ? frequencyTicks(centerHz, 0.09) : [];
  return (
    <div className="relative h-full w-14 shrink-0 text-right text-[11px] text-slate-300" aria-hidden="true" data-testid="frequency-axis">
      {ticks.map((tick) => (
        <span key={tick.hz} className="absolute right-1 translate-y-1/2 whitespace-nowrap tabular-nums" style={{ bottom: `${tick.fraction * 100}%` }}>
          {formatHz(tick.hz)}
        </span>
      ))}
      {ticks.length === 0 && <span className="absolute right-1 top-1/2 -translate-y-1/2">Hz</span>}
    </div>
  );
}

export function TimeAxis({ view, maxTicks }: { view: TimeView; maxTicks: number }) {
  const span = view.end - view.start;
  const ticks = timeTicks(view, maxTicks);
  return (
    <div className="relative h-5 text-[11px] text-slate-300" aria-hidden="true" data-testid="time-axis">
      {ticks.map((t) => {
        const x = xOf(t, view);
        // The outermost labels are anchored inside the picture instead of centred on their tick.
        const shift = x < 0.03 ? '0' : x > 0.97 ? '-100%' : '-50%';
        return (
          <span key={t} className="absolute top-0.5 whitespace-nowrap tabular-nums" style={{ left: `${x * 100}%`, transform: `translateX(${shift})` }}>
            {tickLabel(t, span)}
          </span>
        );
      })}
    </div>
  );
}
