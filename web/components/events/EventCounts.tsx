// How many events of each class, and how many per hour; of a stored analysis,
// after review (rejected events do not count) with confirmed, rejected and
// unreviewed said for each; a class whose threshold is raised on this page
// counts its events at that threshold and says so.
import type { EventCount } from '@/lib/api-types';

export default function EventCounts({ counts }: { counts: (EventCount & { atDetection?: number | null })[] }) {
  if (counts.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2 text-sm" aria-label="Events per class" data-testid="event-counts">
      {counts.map((c) => (
        <li key={c.index} className="rounded-md bg-slate-800 px-2 py-1 text-slate-100" data-testid="event-count" data-class={c.label}>
          <span className="font-semibold">{c.label}</span>: <span data-testid="count-value">{c.count}</span>
          {c.atDetection != null && <span className="text-amber-200"> (of {c.atDetection}, at your threshold)</span>}
          {c.per_hour !== null && <span className="text-slate-400"> · {c.per_hour < 10 ? c.per_hour.toFixed(1) : Math.round(c.per_hour)} per hour</span>}
          {c.confirmed !== undefined && (
            <span className="text-slate-300" data-testid="count-review">
              {' '}· <span className="text-emerald-300">{c.confirmed} confirmed</span>, <span className="text-rose-300">{c.rejected ?? 0} rejected</span>,{' '}
              {c.unreviewed ?? 0} unreviewed
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
