// Filtering the history by name, note or label, class and date: the server
// filters (GET /api/v1/analyses?q=&class=&from=&to=), the page only asks.
export interface HistoryFilter {
  text: string;
  className: string;
  from: string;
  to: string;
}

export const NO_FILTER: HistoryFilter = { text: '', className: '', from: '', to: '' };

export function isFiltering(f: HistoryFilter): boolean {
  return Object.keys(filterParams(f)).length > 0;
}

/** The list's query parameters for a filter (empty fields left out). */
export function filterParams(f: HistoryFilter): { q?: string; class?: string; from?: string; to?: string } {
  const out: { q?: string; class?: string; from?: string; to?: string } = {};
  if (f.text.trim()) out.q = f.text.trim();
  if (f.className.trim()) out.class = f.className.trim();
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  return out;
}
