// Filtering the history by name, class and date (in the browser, over the
// analyses fetched; the server's list has no filter parameters yet).
import type { AnalysisSummary } from './api-types';

export interface HistoryFilter {
  text: string;
  className: string;
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { text: '', className: '', from: '', to: '' };

export function isFiltering(f: HistoryFilter): boolean {
  return f.text.trim() !== '' || f.className.trim() !== '' || f.from !== '' || f.to !== '';
}

export function matches(item: AnalysisSummary, f: HistoryFilter): boolean {
  const text = f.text.trim().toLowerCase();
  if (text && ![item.filename, item.note ?? '', ...item.labels].some((s) => s.toLowerCase().includes(text))) return false;
  const cls = f.className.trim().toLowerCase();
  if (cls && !item.predictions.some((p) => p.label.toLowerCase().includes(cls))) return false;
  const created = item.created_at ? new Date(item.created_at) : null;
  if (f.from && (!created || created < new Date(`${f.from}T00:00:00`))) return false;
  if (f.to && (!created || created > new Date(`${f.to}T23:59:59.999`))) return false;
  return true;
}
