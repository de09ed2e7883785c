// The one Axios client for the soundlens API. Every reply is normalised here
// (lib/normalise.ts) and every failure leaves as an ApiError (api-errors.ts).
import axios, { type AxiosProgressEvent } from 'axios';

import { API_BASE } from './api-base';
import { CSRF_HEADER, needsCsrf } from './csrf';
import { toApiError } from './api-errors';
import type {
  Analysis,
  AnalysisPage,
  AnalysisRequest,
  Comparison,
  ComparisonResult,
  EventExplanation,
  EventExplanationQuery,
  Explanation,
  ExplanationQuery,
  Health,
  Job,
  ModelInfo,
  ReviewResult,
  Robustness,
  SessionInfo,
  Spectrogram,
  UploadResult,
} from './api-types';
import { SNAPSHOT_ROUTES } from './generated/api-schema';
import * as normalise from './normalise';
import type { ReviewChange } from './review';
import { csrfToken, sessionState, setSessionState } from './session';

type Route = keyof typeof SNAPSHOT_ROUTES;
/**
 * Query parameters checked at compile time against the server's own list
 * (the generated openapi snapshot): a renamed parameter breaks the build.
 */
function query<R extends Route>(_route: R, params: Partial<Record<(typeof SNAPSHOT_ROUTES)[R][number], string | number>>) {
  return params;
}

// Same origin (the page is served by `soundlens serve`): the browser sends the
// session cookie with every request on its own, like fetch's credentials: 'same-origin'.
const http = axios.create({ baseURL: API_BASE, timeout: 0 });

// The one place writes get the session's CSRF token (signed in by cookie, the server refuses writes without it).
http.interceptors.request.use((config) => {
  const token = csrfToken();
  if (token && needsCsrf(config.method)) config.headers.set(CSRF_HEADER, token);
  return config;
});
// A session that ended (expired, or signed out elsewhere) sends the page back to the sign-in form.
http.interceptors.response.use(undefined, (error: unknown) => {
  const ended = axios.isAxiosError(error) && error.response?.status === 401 && !String(error.config?.url ?? '').endsWith('/api/v1/session');
  if (ended && sessionState().status === 'signed_in') setSessionState({ status: 'signed_out' });
  return Promise.reject(error);
});

async function call<T>(run: () => Promise<{ data: unknown; status?: number }>, shape: (data: unknown, status?: number) => T): Promise<T> {
  let reply: { data: unknown; status?: number };
  try {
    reply = await run();
  } catch (error) {
    throw toApiError(error);
  }
  return shape(reply.data, reply.status);
}

const enc = encodeURIComponent;
const analysisPath = (id: string, rest = '') => `/api/v1/analyses/${enc(id)}${rest}`;

export interface UploadCallbacks {
  /** Fraction of the request body sent, 0..1. */
  onUploadProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** 201 gives the analysis; 202 (a long recording, or async) gives a job to follow. */
export function createAnalysis(request: AnalysisRequest, callbacks: UploadCallbacks = {}): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', request.file, request.filename);
  if (request.model) form.append('model', request.model);
  if (request.top_k !== undefined) form.append('top_k', String(request.top_k));
  if (request.classes?.length) form.append('classes', request.classes.join(','));
  if (request.window_s !== undefined) form.append('window_s', String(request.window_s));
  if (request.hop_s !== undefined) form.append('hop_s', String(request.hop_s));
  if (request.async) form.append('async', '1');
  return call(
    () =>
      http.post('/api/v1/analyses', form, uploadConfig(callbacks, request.file.size)),
    (data, status): UploadResult => {
      if (status === 202) {
        const job = normalise.job(data);
        if (!job) throw toApiError(new Error('The service accepted the upload but sent no job.'));
        return { kind: 'job', job };
      }
      return { kind: 'analysis', analysis: normalise.analysis(data) };
    },
  );
}

/** The axios options of an upload: cancellable, reporting the fraction sent. */
function uploadConfig(callbacks: UploadCallbacks, size: number) {
  return {
    signal: callbacks.signal,
    onUploadProgress: (event: AxiosProgressEvent) => {
      const total = event.total ?? size;
      if (callbacks.onUploadProgress && total > 0) callbacks.onUploadProgress(Math.min(1, event.loaded / total));
    },
  };
}

/**
 * One recording through two models (models=A,B): each analysis is stored, the
 * answer is their comparison (201); a recording longer than the server
 * compares at once (or async) becomes one job (202) that runs both models with
 * progress, whose compared_ids name the two analyses once it is done.
 */
export function createComparison(request: AnalysisRequest & { models: [string, string] }, callbacks: UploadCallbacks = {}): Promise<ComparisonResult> {
  const form = new FormData();
  form.append('file', request.file, request.filename);
  form.append('models', request.models.join(','));
  if (request.classes?.length) form.append('classes', request.classes.join(','));
  if (request.async) form.append('async', '1');
  return call(
    () =>
      http.post('/api/v1/analyses', form, uploadConfig(callbacks, request.file.size)),
    (data, status): ComparisonResult => {
      if (status === 202) {
        const job = normalise.job(data);
        if (!job) throw toApiError(new Error('The service accepted the comparison but sent no job.'));
        return { kind: 'job', job };
      }
      return { kind: 'comparison', comparison: normalise.comparison(data) };
    },
  );
}

/** Two stored analyses of one recording by different models, compared again (reloads /compare-models/?a=&b=). */
export function getComparison(a: string, b: string, signal?: AbortSignal): Promise<Comparison> {
  return call(() => http.get('/api/v1/compare', { params: query('GET /api/v1/compare', { a, b }), signal }), normalise.comparison);
}

/** The models the server knows, which it has the weights of, and its default. */
export function listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
  return call(() => http.get('/api/v1/models', { signal }), normalise.models);
}

export function getAnalysis(id: string, signal?: AbortSignal): Promise<Analysis> {
  return call(() => http.get(analysisPath(id), { signal }), normalise.analysis);
}

/** The whole recording averaged to at most maxColumns columns. */
export function getSpectrogram(id: string, maxColumns: number, signal?: AbortSignal): Promise<Spectrogram> {
  const params = query('GET /api/v1/analyses/{id}/spectrogram', { max_columns: maxColumns });
  return call(() => http.get(analysisPath(id, '/spectrogram'), { params, signal }), normalise.spectrogram);
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The span [startS, endS] at full resolution (one column per frame when fewer
 * frames than width). Fetched while the user zooms: the text is parsed and
 * shaped in separate tasks, so a zoom step never waits behind one long one.
 */
export async function getSpectrogramSpan(id: string, startS: number, endS: number, width: number, signal?: AbortSignal): Promise<Spectrogram> {
  const params = query('GET /api/v1/analyses/{id}/spectrogram', { start_s: startS.toFixed(3), end_s: endS.toFixed(3), width: Math.max(10, Math.round(width)) });
  const text = await call(() => http.get(analysisPath(id, '/spectrogram'), { params, signal, responseType: 'text', transformResponse: (x) => x }), (data) => String(data));
  await nextTask();
  const raw: unknown = JSON.parse(text);
  await nextTask();
  return normalise.spectrogram(raw);
}

// method, contrast, sanity, faithfulness and listen are the second wave's documented parameters; the page offers them
// only when the running server declares them (lib/capabilities.ts), so they are not checked against the snapshot.
export function getExplanation(id: string, q: ExplanationQuery, signal?: AbortSignal): Promise<Explanation> {
  const params: Record<string, string | number> = query('GET /api/v1/analyses/{id}/explanation', { class: q.classIndex });
  if (q.method) params.method = q.method;
  if (q.contrast !== undefined && q.contrast !== null) params.contrast = q.contrast;
  if (q.sanity) params.sanity = 1;
  if (q.faithfulness !== undefined) params.faithfulness = q.faithfulness ? 1 : 0;
  if (q.listen) {
    params.listen = 1;
    // The listening search alone: faithfulness is asked for (and cached) on its own.
    if (q.faithfulness === undefined) params.faithfulness = 0;
  }
  return call(() => http.get(analysisPath(id, '/explanation'), { params, signal }), (data) => {
    const e = normalise.explanation(data);
    if (!e) throw toApiError(new Error('The service sent an explanation without a map.'));
    return e;
  });
}

/**
 * One event's explanation, computed on the event's own window for its class as
 * reviewed, with its faithfulness and (listen) the listening search. Offered
 * only when the running server declares `event` (lib/capabilities.ts).
 */
export function getEventExplanation(id: string, q: EventExplanationQuery, signal?: AbortSignal): Promise<EventExplanation> {
  const params: Record<string, string | number> = query('GET /api/v1/analyses/{id}/explanation', { event: q.event, faithfulness: 1 });
  if (q.method) params.method = q.method;
  if (q.listen) params.listen = 1;
  return call(() => http.get(analysisPath(id, '/explanation'), { params, signal }), (data) => {
    try {
      return normalise.eventExplanation(data);
    } catch (error) {
      throw toApiError(error);
    }
  });
}

/** How one class's probability holds up under noise, channels, gain and delays (computed on demand, cached). */
export function getRobustness(id: string, classIndex: number, signal?: AbortSignal): Promise<Robustness> {
  const params = query('GET /api/v1/analyses/{id}/robustness', { class: classIndex });
  return call(() => http.get(analysisPath(id, '/robustness'), { params, signal }), normalise.robustness);
}

/** A page of the history, newest first; the filter's fields go to the server as they are. */
export function listAnalyses(limit: number, offset: number, filter: { q?: string; class?: string; from?: string; to?: string } = {}, signal?: AbortSignal): Promise<AnalysisPage> {
  return call(() => http.get('/api/v1/analyses', { params: query('GET /api/v1/analyses', { limit, offset, ...filter }), signal }), normalise.analysisPage);
}

export function deleteAnalysis(id: string): Promise<void> {
  return call(() => http.delete(analysisPath(id)), () => undefined);
}

/** Note and labels of a stored analysis (PATCH, when the server has it). */
/** Confirms, rejects or corrects one event (its position in the analysis' events). */
export function reviewEvent(id: string, position: number, change: ReviewChange): Promise<ReviewResult> {
  return call(() => http.patch(analysisPath(id, `/events/${position}`), change), normalise.reviewResult);
}

export function updateAnalysis(id: string, patch: { note?: string; labels?: string[] }): Promise<void> {
  return call(() => http.patch(analysisPath(id), patch), () => undefined);
}

/** Sign in with a name and password: the server sets the session cookie and answers its CSRF token. */
export function signIn(name: string, password: string): Promise<SessionInfo> {
  return call(() => http.post('/api/v1/session', { name, password }), (data) => {
    const session = normalise.session(data);
    if (!session) throw toApiError(new Error('The service signed you in but sent no session.'));
    return session;
  });
}

/** Who is signed in (after a reload); null when nobody is (401). */
export async function getSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    return await call(() => http.get('/api/v1/session', { signal }), normalise.session);
  } catch (error) {
    if (toApiError(error).status === 401) return null;
    throw error;
  }
}

export function signOut(): Promise<void> {
  return call(() => http.delete('/api/v1/session'), () => undefined);
}

/** Whether the server wants the page to sign in (GET /health, also while its model loads: 503). */
export function getSignInRequired(signal?: AbortSignal): Promise<boolean> {
  return call(() => http.get('/health', { signal, validateStatus: (s) => s === 200 || s === 503 }), (data) => normalise.health(data).sign_in);
}

export function getHealth(signal?: AbortSignal): Promise<Health> {
  return call(() => http.get('/health', { signal }), normalise.health);
}

export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return call(() => http.get(`/api/v1/jobs/${enc(id)}`, { signal }), (data) => {
    const job = normalise.job(data);
    if (!job) throw toApiError(new Error('The service sent no job.'));
    return job;
  });
}

/** Cancels a job; the job as the server says it is then (cancelled, or already final). */
export function cancelJob(id: string): Promise<Job | null> {
  return call(() => http.delete(`/api/v1/jobs/${enc(id)}`), (data) => normalise.job(data));
}

/** The server's OpenAPI description, raw (read by lib/capabilities.ts). */
export function getOpenApi(signal?: AbortSignal): Promise<unknown> {
  return call(() => http.get('/openapi.json', { signal }), (data) => data);
}
