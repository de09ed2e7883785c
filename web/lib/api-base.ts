// '' means the same origin: the static page is served by `soundlens serve`.
export const API_BASE = (process.env.NEXT_PUBLIC_API_URL ?? '').replace(/\/+$/, '');

export function apiUrl(path: string): string {
  return `${API_BASE}${path}`;
}

export function audioUrl(id: string): string {
  return apiUrl(`/api/v1/analyses/${encodeURIComponent(id)}/audio`);
}

export function figureUrl(id: string, classIndex: number | undefined): string {
  const query = classIndex === undefined ? '' : `?class=${classIndex}`;
  return apiUrl(`/api/v1/analyses/${encodeURIComponent(id)}/figure.png${query}`);
}
