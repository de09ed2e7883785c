// A titled block of the results page.
import { useId, type ReactNode } from 'react';

export default function Section({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="flex min-w-0 flex-col gap-3 rounded-xl bg-slate-900/70 p-4 ring-1 ring-slate-800">
      <div>
        <h2 id={id} className="text-lg font-semibold text-white">{title}</h2>
        {subtitle && <p className="text-sm text-slate-300">{subtitle}</p>}
      </div>
      {children}
    </section>
  );
}
