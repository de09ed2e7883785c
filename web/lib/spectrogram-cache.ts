// The overview spectrogram is requested the moment an analysis arrives, while
// React is still drawing the result, so it is not waiting behind the first render.
import { getSpectrogram } from './api-client';
import type { Spectrogram } from './api-types';

const early = new Map<string, Promise<Spectrogram>>();

// No more time columns than the screen can show: the JSON is ~0.8 KB per column.
function columnsForScreen(): number {
  const pixels = Math.round(window.innerWidth * Math.min(2, window.devicePixelRatio || 1));
  return Math.max(200, Math.min(1000, pixels));
}

export function prefetchSpectrogram(id: string): void {
  if (early.has(id)) return;
  const request = getSpectrogram(id, columnsForScreen());
  request.catch(() => undefined); // reported when it is taken
  early.set(id, request);
}

/** The prefetched request if there is one (taken once), else a new request. */
export function loadSpectrogram(id: string, signal: AbortSignal): Promise<Spectrogram> {
  const request = early.get(id);
  if (request) {
    early.delete(id);
    return request;
  }
  return getSpectrogram(id, columnsForScreen(), signal);
}
