'use client';
// The events as a table (aria-label "Events"): class, onset, offset,
// duration, event peak probability and band; sortable by any column, filtered
// by class. Activating a row calls onActivate (zoom and play, or open the
// file's result). With onReview (a stored analysis), each row has confirm and
// reject buttons and the keyboard reviews: j / k next and previous event,
// c confirm, x reject, space or Enter play; the class and times shown are the
// reviewed ones. With `detail`, the selected row has a row of its own under it
// (the times' correction), which moves only the rows below it. With `check`,
// each row can check its event's explanation (faithfulness and listening on
// the event's own window); the verdict is a row of its own under it, and
// "Check all shown" checks the rows as shown, one at a time.
import { Fragment, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

import type { AudioEvent, ReviewStatus } from '@/lib/api-types';
import { formatHz, formatPercent, formatTime } from '@/lib/format';
import { shownEvent, stepRow } from '@/lib/review';

import EventCheck, { CheckAllButton, CheckButton, type EventCheckControls } from './EventCheck';

export interface EventRow {
  event: AudioEvent;
  /** The file it came from, in a batch's combined table. */
  file?: { id: string; name: string };
}

type Column = 'file' | 'label' | 'onset' | 'offset' | 'duration' | 'probability' | 'band';

const value = (row: EventRow, column: Column): number | string => {
  const e = { ...row.event, ...shownEvent(row.event) };
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

const STATUS_STYLE: Record<ReviewStatus, string> = {
  confirmed: 'bg-emerald-900 text-emerald-100',
  rejected: 'bg-rose-950 text-rose-200 line-through',
  unreviewed: 'bg-slate-800 text-slate-300',
};

interface Props {
  rows: EventRow[];
  onActivate: (row: EventRow) => void;
  /** Review a row's event (a stored analysis' own table; not a batch's). */
  onReview?: (row: EventRow, status: ReviewStatus) => void;
  /** The row selected (by click or keys), by its event's position. */
  selected?: number | null;
  onSelect?: (row: EventRow) => void;
  /** What the selected row shows under it, and what that row is called. */
  detail?: (row: EventRow) => ReactNode;
  detailLabel?: (row: EventRow) => string;
  /** Each event's explanation checked on its own window (a stored analysis' own table). */
  check?: EventCheckControls;
}

export default function EventTable({ rows, onActivate, onReview, selected = null, onSelect, detail, detailLabel, check }: Props) {
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'onset', descending: false });
  const [only, setOnly] = useState('');
  const body = useRef<HTMLTableSectionElement>(null);
  const classes = useMemo(() => [...new Set(rows.map((r) => shownEvent(r.event).label))].sort(), [rows]);
  const withFile = rows.some((r) => r.file);
  const shown = useMemo(() => {
    const list = only ? rows.filter((r) => shownEvent(r.event).label === only) : [...rows];
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

  // j / k move the selection (and the focus) to the next or previous row as shown; c / x review it.
  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, row: EventRow, at: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onActivate(row);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'j' || event.key === 'k') {
      event.preventDefault();
      const positions = shown.map((_, i) => i);
      const next = stepRow(positions, at, event.key === 'j' ? 1 : -1);
      if (next === null) return;
      const target = body.current?.querySelectorAll<HTMLTableRowElement>('tr[data-testid="event-row"]')[next];
      target?.focus();
      const nextRow = shown[next];
      if (nextRow) onSelect?.(nextRow);
    } else if (onReview && (event.key === 'c' || event.key === 'x')) {
      event.preventDefault();
      onReview(row, event.key === 'c' ? 'confirmed' : 'rejected');
    }
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <label className="flex items-center gap-2 text-sm text-slate-200">
          Class
          <select value={only} onChange={(e) => setOnly(e.target.value)} className="rounded-md border border-slate-600 bg-slate-900 px-2 py-1" data-testid="event-class-filter">
            <option value="">All classes ({rows.length})</option>
            {classes.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        {check && <CheckAllButton check={check} rows={shown} />}
      </div>
      <div className="max-h-96 overflow-auto rounded-md ring-1 ring-slate-800">
        <table aria-label="Events" className="w-full text-sm text-slate-200" data-testid="event-table">
          <thead className="sticky top-0 z-10 bg-slate-900 text-slate-300">
            <tr>
              {withFile && header('file', 'File')}
              {header('label', 'Class')}
              {header('onset', 'Onset')}
              {header('offset', 'Offset')}
              {header('duration', 'Duration')}
              {header('probability', 'Event peak')}
              {header('band', 'Band')}
              {/* Sticky at the right edge: on a phone the table scrolls sideways and the review stays at hand. */}
              {check && !onReview && <th scope="col" className="px-2 py-1 text-left font-semibold">Explanation</th>}
              {onReview && <th scope="col" className="sticky right-0 bg-slate-900 px-2 py-1 text-left font-semibold">Review{check && <span className="hidden sm:inline"> · check</span>}</th>}
            </tr>
          </thead>
          <tbody ref={body}>
            {shown.map((row, i) => {
              const e = { ...row.event, ...shownEvent(row.event) };
              const status = row.event.review.status;
              const isSelected = !row.file && selected === row.event.position;
              const columns = 6 + (withFile ? 1 : 0) + (onReview ? 1 : 0) + (check && !onReview ? 1 : 0);
              const checked = check?.entry(row);
              return (
                <Fragment key={`${row.file?.id ?? ''}-${row.event.position}-${i}`}>
                <tr
                  tabIndex={0}
                  aria-selected={onReview ? isSelected : undefined}
                  onClick={() => {
                    onSelect?.(row);
                    onActivate(row);
                  }}
                  onFocus={() => onSelect?.(row)}
                  onKeyDown={(event) => onRowKey(event, row, i)}
                  className={`cursor-pointer border-t border-slate-800 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-sky-300 ${isSelected ? 'bg-slate-800/80' : ''}`}
                  data-testid="event-row"
                  data-onset-s={e.onset_s}
                  data-position={row.event.position}
                  data-review={status}
                >
                  {withFile && <td className="px-2 py-1">{row.file?.name}</td>}
                  <td className={`px-2 py-1 ${status === 'rejected' ? 'text-slate-400 line-through' : ''}`}>{e.label}</td>
                  <td className="px-2 py-1 tabular-nums">{formatTime(e.onset_s)}</td>
                  <td className="px-2 py-1 tabular-nums">{formatTime(e.offset_s)}</td>
                  <td className="px-2 py-1 tabular-nums">{formatTime(e.offset_s - e.onset_s)}</td>
                  <td className="px-2 py-1 tabular-nums">{formatPercent(e.probability)}</td>
                  <td className="px-2 py-1 tabular-nums">{e.low_hz !== null && e.high_hz !== null ? `${formatHz(e.low_hz)}–${formatHz(e.high_hz)}` : '—'}</td>
                  {check && !onReview && <td className="px-2 py-1"><CheckButton check={check} row={row} /></td>}
                  {onReview && (
                    <td className="sticky right-0 bg-slate-900/95 px-2 py-1">
                      <div className="flex items-center gap-1">
                        {/* On a phone the buttons' state says it; the words would hide the times under the sticky column. */}
                        <span className={`hidden rounded px-1.5 py-0.5 text-xs sm:inline ${STATUS_STYLE[status]}`} data-testid="review-status">
                          {status}
                          {row.event.review.index !== null ? ` (was ${row.event.label})` : ''}
                        </span>
                        <ReviewButton row={row} status="confirmed" current={status} onReview={onReview} />
                        <ReviewButton row={row} status="rejected" current={status} onReview={onReview} />
                        {check && <CheckButton check={check} row={row} />}
                      </div>
                    </td>
                  )}
                </tr>
                {check && checked && (
                  <tr className="bg-slate-950/40" data-testid="event-check-row" data-check-position={row.event.position}>
                    {/* Sticky on the left and as wide as the screen: on a phone the verdict wraps in view, never widening the table. */}
                    <td colSpan={columns} className="px-2 pb-1.5 pt-0.5">
                      <div className="sticky left-2 w-[min(100%,calc(100vw-4rem))]"><EventCheck entry={checked} row={row} /></div>
                    </td>
                  </tr>
                )}
                {isSelected && detail && (
                  <tr className="bg-slate-900/80" data-testid="event-detail" aria-label={detailLabel?.(row)}>
                    {/* Sticky on the left: on a phone the table scrolls sideways, the form stays in view. */}
                    <td colSpan={columns} className="px-2 py-2">
                      <div className="sticky left-2 w-[min(100%,calc(100vw-4rem))]">{detail(row)}</div>
                    </td>
                  </tr>
                )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ReviewButton({ row, status, current, onReview }: { row: EventRow; status: 'confirmed' | 'rejected'; current: ReviewStatus; onReview: (row: EventRow, status: ReviewStatus) => void }) {
  const on = current === status;
  const confirm = status === 'confirmed';
  const when = `${shownEvent(row.event).label} at ${formatTime(shownEvent(row.event).onset_s)}`;
  return (
    <button
      type="button"
      aria-pressed={on}
      aria-label={`${confirm ? 'Confirm' : 'Reject'} ${when}${on ? ' (again: back to unreviewed)' : ''}`}
      title={`${confirm ? 'Confirm (c)' : 'Reject (x)'}${on ? ': click again to undo' : ''}`}
      onClick={(event) => {
        event.stopPropagation(); // a review is not a request to play
        onReview(row, on ? 'unreviewed' : status);
      }}
      onKeyDown={(event) => event.stopPropagation()}
      className={`rounded px-2.5 py-1 text-xs font-semibold ring-1 sm:px-2 sm:py-0.5 focus-visible:outline-2 focus-visible:outline-sky-300 ${
        on ? (confirm ? 'bg-emerald-600 text-white ring-emerald-400' : 'bg-rose-700 text-white ring-rose-400') : 'text-slate-200 ring-slate-600 hover:bg-slate-700'
      }`}
      data-testid={confirm ? 'confirm-event' : 'reject-event'}
    >
      <span aria-hidden="true">{confirm ? '✓' : '✗'}</span>
      <span className="hidden sm:inline">{confirm ? ' Confirm' : ' Reject'}</span>
    </button>
  );
}
