// URLs the browser opens directly (audio, downloads); '' means the same
// origin: the static page is served by `soundlens serve`.
export const API_BASE = (process.env.NEXT_PUBLIC_API_URL ?? '').replace(/\/+$/, '');

export function apiUrl(path: string): string {
  return `${API_BASE}${path}`;
}

function analysisPath(id: string, rest: string): string {
  return apiUrl(`/api/v1/analyses/${encodeURIComponent(id)}${rest}`);
}

function query(params: Record<string, string | number | undefined | null>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${entries.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&')}` : '';
}

export function audioUrl(id: string): string {
  return analysisPath(id, '/audio');
}

export type ExportKind = 'events.csv' | 'raven.txt' | 'labels.txt' | 'report.pdf' | 'reviewed-clips.zip';

export function exportUrl(id: string, kind: ExportKind): string {
  return analysisPath(id, `/${kind}`);
}

/** The PDF report of what the page looked at (lib/report-view.ts: the classes); without them, the analysis' own. */
export function reportUrl(id: string, classes: string): string {
  return analysisPath(id, `/report.pdf${classes ? query({ classes }) : ''}`);
}

export function explanationWavUrl(id: string, classIndex: number, method: string, part: 'kept' | 'removed', contrast?: number | null): string {
  return analysisPath(id, `/explanation.wav${query({ class: classIndex, method, contrast, part })}`);
}

export function jobEventsUrl(jobId: string): string {
  return apiUrl(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`);
}
