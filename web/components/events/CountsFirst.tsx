// What a long recording opens with: how many events of each class, per hour,
// after review (confirmed, rejected, unreviewed), led by the pinned classes
// and then the clinical ones (cough, sneeze, snoring, breathing, wheeze,
// crying). A class's name jumps to its events in the table below.
import type { EventCount } from '@/lib/api-types';
import { countsFirst } from '@/lib/review';

export default function CountsFirst({ counts, pinned, labelOf, onShowEvents }: {
  counts: EventCount[];
  pinned: number[];
  labelOf: (index: number) => string;
  onShowEvents: () => void;
}) {
  const rows = countsFirst(counts, pinned, labelOf);
  if (rows.length === 0) return <p className="text-sm text-slate-300" data-testid="counts-first-none">No events were detected.</p>;
  const cell = 'px-2 py-1 text-right tabular-nums';
  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto rounded-md ring-1 ring-slate-800">
        <table className="w-full text-sm text-slate-200" aria-label="Event counts" data-testid="counts-first">
          <thead className="bg-slate-900 text-slate-300">
            <tr>
              <th scope="col" className="px-2 py-1 text-left">Class</th>
              <th scope="col" className="px-2 py-1 text-right">Events</th>
              <th scope="col" className="px-2 py-1 text-right">Per hour</th>
              <th scope="col" className="px-2 py-1 text-right">Confirmed</th>
              <th scope="col" className="px-2 py-1 text-right">Rejected</th>
              <th scope="col" className="px-2 py-1 text-right">Unreviewed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.index} className="border-t border-slate-800" data-testid="counts-first-row" data-class={c.label}>
                <th scope="row" className="px-2 py-1 text-left font-semibold">
                  {c.label}
                  {pinned.includes(c.index) && <span className="ml-1 text-xs font-normal text-sky-300">pinned</span>}
                </th>
                <td className={cell} data-testid="counts-first-count">{c.count}</td>
                <td className={cell}>{c.per_hour === null ? '—' : c.per_hour < 10 ? c.per_hour.toFixed(1) : Math.round(c.per_hour)}</td>
                <td className={`${cell} text-emerald-300`} data-testid="counts-first-confirmed">{c.confirmed ?? 0}</td>
                <td className={`${cell} text-rose-300`} data-testid="counts-first-rejected">{c.rejected ?? 0}</td>
                <td className={cell} data-testid="counts-first-unreviewed">{c.unreviewed ?? c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-400">
        Events counts what stands after review: confirmed and unreviewed events, not rejected ones.{' '}
        <button type="button" onClick={onShowEvents} className="text-sky-300 underline hover:text-sky-200 focus-visible:outline-2 focus-visible:outline-sky-300" data-testid="go-review">
          Review the events
        </button>
      </p>
    </div>
  );
}
