// The one Axios client for the soundlens API. Every failure leaves here as an
// ApiError (see api-errors.ts), never as a raw Axios error.
import axios, { type AxiosProgressEvent } from 'axios';

import { API_BASE } from './api-base';
import { toApiError } from './api-errors';
import type {
  Analysis,
  AnalysisPage,
  AnalysisRequest,
  Explanation,
  Health,
  Spectrogram,
} from './api-types';

const http = axios.create({ baseURL: API_BASE, timeout: 0 });

async function call<T>(run: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await run()).data;
  } catch (error) {
    throw toApiError(error);
  }
}

const enc = encodeURIComponent;

export interface UploadCallbacks {
  /** Fraction of the request body sent, 0..1. */
  onUploadProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export function createAnalysis(request: AnalysisRequest, callbacks: UploadCallbacks = {}): Promise<Analysis> {
  const form = new FormData();
  form.append('file', request.file, request.filename);
  if (request.model) form.append('model', request.model);
  if (request.top_k !== undefined) form.append('top_k', String(request.top_k));
  if (request.window_s !== undefined) form.append('window_s', String(request.window_s));
  if (request.hop_s !== undefined) form.append('hop_s', String(request.hop_s));
  return call(() =>
    http.post<Analysis>('/api/v1/analyses', form, {
      signal: callbacks.signal,
      onUploadProgress: (event: AxiosProgressEvent) => {
        const total = event.total ?? request.file.size;
        if (callbacks.onUploadProgress && total > 0) {
          callbacks.onUploadProgress(Math.min(1, event.loaded / total));
        }
      },
    }),
  );
}

export function getAnalysis(id: string, signal?: AbortSignal): Promise<Analysis> {
  return call(() => http.get<Analysis>(`/api/v1/analyses/${enc(id)}`, { signal }));
}

/** maxColumns: time columns after averaging (the service's default is 1000). */
export function getSpectrogram(id: string, maxColumns?: number, signal?: AbortSignal): Promise<Spectrogram> {
  const params = maxColumns ? { max_columns: maxColumns } : undefined;
  return call(() => http.get<Spectrogram>(`/api/v1/analyses/${enc(id)}/spectrogram`, { params, signal }));
}

/** The Grad-CAM map of any class (not only the top k) over the whole recording. */
export function getExplanation(id: string, classIndex: number, signal?: AbortSignal): Promise<Explanation> {
  return call(() => http.get<Explanation>(`/api/v1/analyses/${enc(id)}/explanation`, { params: { class: classIndex }, signal }));
}

export function listAnalyses(limit: number, offset: number, signal?: AbortSignal): Promise<AnalysisPage> {
  return call(() => http.get<AnalysisPage>('/api/v1/analyses', { params: { limit, offset }, signal }));
}

export function deleteAnalysis(id: string): Promise<unknown> {
  return call(() => http.delete(`/api/v1/analyses/${enc(id)}`));
}

export function getHealth(signal?: AbortSignal): Promise<Health> {
  return call(() => http.get<Health>('/health', { signal }));
}
