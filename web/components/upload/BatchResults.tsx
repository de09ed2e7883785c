'use client';
// A batch's combined event table: the events of every finished file, with the
// file named on each row; a row opens that file's result at the event.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

import { getAnalysis } from '@/lib/api-client';
import type { Analysis } from '@/lib/api-types';
import type { UploadItem } from '@/hooks/useUploads';

import Section from '../common/Section';
import EventTable, { type EventRow } from '../events/EventTable';

export default function BatchResults({ items, onOpen }: { items: UploadItem[]; onOpen: () => void }) {
  const router = useRouter();
  const done = items.filter((i) => i.phase === 'done' && i.analysisId).map((i) => i.analysisId!);
  const [analyses, setAnalyses] = useState<Map<string, Analysis>>(new Map());
  const key = done.join(',');
  useEffect(() => {
    const missing = key.split(',').filter((id) => id && !analyses.has(id));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map((id) => getAnalysis(id).catch(() => null))).then((list) => {
      if (!live) return;
      setAnalyses((before) => {
        const next = new Map(before);
        list.forEach((a) => a && next.set(a.id, a));
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [key, analyses]);
  if (done.length === 0) return null;
  const loaded = done.map((id) => analyses.get(id)).filter((a): a is Analysis => !!a);
  const rows: EventRow[] = loaded.flatMap((a) => (a.events ?? []).map((event) => ({ event, file: { id: a.id, name: a.filename } })));
  const withoutEvents = loaded.some((a) => a.events === null);
  return (
    <Section title={`Events in ${done.length} file${done.length > 1 ? 's' : ''}`}>
      {withoutEvents && <p className="text-sm text-slate-400">Event detection is not available on this server, so the combined table is empty. Open each result for its predictions and maps.</p>}
      {rows.length > 0 && (
        <EventTable
          rows={rows}
          onActivate={(row) => {
            if (!row.file) return;
            onOpen();
            router.push(`/?id=${encodeURIComponent(row.file.id)}&t=${row.event.onset_s.toFixed(2)}`);
          }}
        />
      )}
      {!withoutEvents && loaded.length === done.length && rows.length === 0 && <p className="text-sm text-slate-300">No events were detected in these files.</p>}
    </Section>
  );
}
