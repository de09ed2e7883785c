// How many events of each class, and how many per hour.
import type { EventCount } from '@/lib/api-types';

export default function EventCounts({ counts }: { counts: EventCount[] }) {
  if (counts.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2 text-sm" aria-label="Events per class" data-testid="event-counts">
      {counts.map((c) => (
        <li key={c.label} className="rounded-md bg-slate-800 px-2 py-1 text-slate-100">
          <span className="font-semibold">{c.label}</span>: {c.count}
          {c.per_hour !== null && <span className="text-slate-400"> · {c.per_hour < 10 ? c.per_hour.toFixed(1) : Math.round(c.per_hour)} per hour</span>}
        </li>
      ))}
    </ul>
  );
}
