'use client';
// The events as a table (aria-label "Events"): class, onset, offset,
// duration, probability and band; sortable by any column, filtered by class.
// Activating a row calls onActivate (zoom and play, or open the file's result).
import { useMemo, useState } from 'react';

import type { AudioEvent } from '@/lib/api-types';
import { formatHz, formatPercent, formatTime } from '@/lib/format';

export interface EventRow {
  event: AudioEvent;
  /** The file it came from, in a batch's combined table. */
  file?: { id: string; name: string };
}

type Column = 'file' | 'label' | 'onset' | 'offset' | 'duration' | 'probability' | 'band';

const value = (row: EventRow, column: Column): number | string => {
  const e = row.event;
  switch (column) {
    case 'file': return row.file?.name ?? '';
    case 'label': return e.label;
    case 'onset': return e.onset_s;
    case 'offset': return e.offset_s;
    case 'duration': return e.offset_s - e.onset_s;
    case 'probability': return e.probability;
    case 'band': return e.low_hz ?? -1;
  }
};

export default function EventTable({ rows, onActivate }: { rows: EventRow[]; onActivate: (row: EventRow) => void }) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'onset', descending: false });
  const [only, setOnly] = useState('');
  const classes = useMemo(() => [...new Set(rows.map((r) => r.event.label))].sort(), [rows]);
  const withFile = rows.some((r) => r.file);
  const shown = useMemo(() => {
    const list = only ? rows.filter((r) => r.event.label === only) : [...rows];
    list.sort((a, b) => {
      const x = value(a, sort.column);
      const y = value(b, sort.column);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -order : order;
    });
    return list;
  }, [rows, only, sort]);

  const header = (column: Column, label: string) => (
    <th scope="col" aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'} className="px-2 py-1 text-left font-semibold">
      <button type="button" onClick={() => setSort((s) => ({ column, descending: s.column === column ? !s.descending : column === 'probability' }))} className="hover:text-white focus-visible:outline-2 focus-visible:outline-sky-300">
        {label}{sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );

  return (
    <div className="flex flex-col gap-2">
      <label className="flex items-center gap-2 text-sm text-slate-200">
        Class
        <select value={only} onChange={(e) => setOnly(e.target.value)} className="rounded-md border border-slate-600 bg-slate-900 px-2 py-1" data-testid="event-class-filter">
          <option value="">All classes ({rows.length})</option>
          {classes.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>
      <div className="max-h-96 overflow-auto rounded-md ring-1 ring-slate-800">
        <table aria-label="Events" className="w-full text-sm text-slate-200" data-testid="event-table">
          <thead className="sticky top-0 bg-slate-900 text-slate-300">
            <tr>
              {withFile && header('file', 'File')}
              {header('label', 'Class')}
              {header('onset', 'Onset')}
              {header('offset', 'Offset')}
              {header('duration', 'Duration')}
              {header('probability', 'Probability')}
              {header('band', 'Band')}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, i) => {
              const e = row.event;
              return (
                <tr
                  key={`${row.file?.id ?? ''}-${e.label}-${e.onset_s}-${i}`}
                  tabIndex={0}
                  onClick={() => onActivate(row)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      onActivate(row);
                    }
                  }}
                  className="cursor-pointer border-t border-slate-800 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-300"
                  data-testid="event-row"
                  data-onset-s={e.onset_s}
                >
                  {withFile && <td className="px-2 py-1">{row.file?.name}</td>}
                  <td className="px-2 py-1">{e.label}</td>
                  <td className="px-2 py-1 tabular-nums">{formatTime(e.onset_s)}</td>
                  <td className="px-2 py-1 tabular-nums">{formatTime(e.offset_s)}</td>
                  <td className="px-2 py-1 tabular-nums">{formatTime(e.offset_s - e.onset_s)}</td>
                  <td className="px-2 py-1 tabular-nums">{formatPercent(e.probability)}</td>
                  <td className="px-2 py-1 tabular-nums">{e.low_hz !== null && e.high_hz !== null ? `${formatHz(e.low_hz)}–${formatHz(e.high_hz)}` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
