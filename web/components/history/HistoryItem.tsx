'use client';
// One past analysis: what it was, its best classes, its note and labels
// (editable where the server allows), open, compare and delete.
import Link from 'next/link';
import { useState } from 'react';

import { updateAnalysis } from '@/lib/api-client';
import { toApiError } from '@/lib/api-errors';
import type { AnalysisSummary } from '@/lib/api-types';
import { formatDate, formatPercent, formatSeconds } from '@/lib/format';

interface Props {
  item: AnalysisSummary;
  onDelete: (item: AnalysisSummary) => void;
  picked: boolean;
  onPick: () => void;
  editable: boolean;
  onSaved: () => void;
}

function NoteEditor({ item, onSaved, onClose }: { item: AnalysisSummary; onSaved: () => void; onClose: () => void }) {
  const [note, setNote] = useState(item.note ?? '');
  const [labels, setLabels] = useState(item.labels.join(', '));
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    try {
      await updateAnalysis(item.id, { note, labels: labels.split(',').map((l) => l.trim()).filter(Boolean) });
      onSaved();
      onClose();
    } catch (error) {
      setProblem(toApiError(error).message);
    }
  };
  return (
    <form className="mt-2 flex flex-col gap-2 text-sm" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label className="flex flex-col gap-1 text-slate-300">Note<textarea data-testid="note-text" value={note} onChange={(e) => setNote(e.target.value)} className="rounded-md border border-slate-600 bg-slate-950 p-2 text-white" rows={2} /></label>
      <label className="flex flex-col gap-1 text-slate-300">Labels (comma-separated, e.g. a patient or session code)<input data-testid="note-labels" value={labels} onChange={(e) => setLabels(e.target.value)} className="rounded-md border border-slate-600 bg-slate-950 px-2 py-1 text-white" /></label>
      {problem && <p className="text-amber-200" role="alert">{problem}</p>}
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-sky-500 px-3 py-1 font-semibold text-slate-950" data-testid="note-save">Save</button>
        <button type="button" onClick={onClose} className="rounded-md border border-slate-500 px-3 py-1">Cancel</button>
      </div>
    </form>
  );
}

export default function HistoryItem({ item, onDelete, picked, onPick, editable, onSaved }: Props) {
  const [editing, setEditing] = useState(false);
  const top = item.predictions.slice(0, 3);
  return (
    <li className="flex flex-col gap-2 rounded-xl bg-slate-900/70 p-4 ring-1 ring-slate-800" data-testid="history-item" data-analysis-id={item.id}>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <div className="min-w-0 flex-1">
          <p className="truncate font-medium text-white" title={item.filename}>{item.filename}</p>
          <p className="text-xs text-slate-400">
            {formatDate(item.created_at)} · {formatSeconds(item.duration_s)}{item.model ? ` · ${item.model}` : ''}
          </p>
          {top.length > 0 && <p className="mt-1 text-sm text-slate-200">{top.map((p) => `${p.label} ${formatPercent(p.probability)}`).join(' · ')}</p>}
          {(item.note || item.labels.length > 0) && (
            <p className="mt-1 text-sm text-slate-300">
              {item.labels.map((l) => <span key={l} className="mr-1 rounded bg-slate-700 px-1.5 text-xs">{l}</span>)}
              {item.note}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <label className="flex items-center gap-1 text-sm text-slate-300">
            <input type="checkbox" checked={picked} onChange={onPick} className="accent-sky-400" data-testid="history-pick" aria-label={`Compare ${item.filename}`} />
            Compare
          </label>
          {editable && (
            <button type="button" onClick={() => setEditing((e) => !e)} className="rounded-lg border border-slate-500 px-3 py-1.5 text-sm text-slate-100 hover:bg-slate-800" data-testid="history-note" aria-label={`Note and labels of ${item.filename}`}>
              Note
            </button>
          )}
          <Link href={`/?id=${encodeURIComponent(item.id)}`} className="rounded-lg bg-sky-500 px-3 py-1.5 text-sm font-semibold text-slate-950 hover:bg-sky-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-200" aria-label={`Open ${item.filename}`}>
            Open
          </Link>
          <button type="button" onClick={() => onDelete(item)} className="rounded-lg border border-red-400/70 px-3 py-1.5 text-sm text-red-200 hover:bg-red-950 focus-visible:outline-2 focus-visible:outline-red-200" aria-label={`Delete ${item.filename}`} data-testid="history-delete">
            Delete
          </button>
        </div>
      </div>
      {editing && <NoteEditor item={item} onSaved={onSaved} onClose={() => setEditing(false)} />}
    </li>
  );
}
