'use client';
// Downloads of the result: events (CSV, Raven selection table, Audacity
// labels), the PDF report of what was looked at (the pinned and viewed classes
// with their methods: lib/report-view.ts) and the confirmed events as labelled
// clips (a ZIP with one folder per class). The PNG of the picture is in the view's toolbar.
import { exportUrl, reportUrl, type ExportKind } from '@/lib/api-base';
import { reportView } from '@/lib/report-view';

import { useViewer } from './ViewerContext';

const ITEMS: { kind: ExportKind; label: string; cap: 'events_csv' | 'raven' | 'audacity' | 'report' | 'clips' }[] = [
  { kind: 'events.csv', label: 'Events (CSV)', cap: 'events_csv' },
  { kind: 'raven.txt', label: 'Raven selection table', cap: 'raven' },
  { kind: 'labels.txt', label: 'Audacity labels', cap: 'audacity' },
  { kind: 'report.pdf', label: 'PDF report', cap: 'report' },
  { kind: 'reviewed-clips.zip', label: 'Confirmed events as clips (ZIP)', cap: 'clips' },
];

export default function ExportLinks() {
  const { analysis, caps, pinned, viewed } = useViewer();
  const view = reportView(pinned, viewed);
  const base = analysis.filename.replace(/\.[^.]+$/, '');
  const available = ITEMS.filter((item) => caps.exports[item.cap]);
  const missing = ITEMS.filter((item) => !caps.exports[item.cap]);
  return (
    <div className="flex flex-col gap-2" data-testid="exports">
      <ul className="flex flex-wrap gap-2">
        {available.map((item) => (
          <li key={item.kind}>
            <a href={item.kind === 'report.pdf' ? reportUrl(analysis.id, view) : exportUrl(analysis.id, item.kind)} download={`${base}-${item.kind.replace('.', '-')}.${item.kind.split('.').pop()}`} className="inline-block rounded-md border border-slate-500 px-3 py-1.5 text-sm text-slate-100 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-300" data-testid={`export-${item.kind}`}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
      {caps.loaded && missing.length > 0 && (
        <p className="text-xs text-slate-400" data-testid="exports-unavailable">Not available on this server: {missing.map((m) => m.label).join(', ')}.</p>
      )}
    </div>
  );
}
