// A live session with the service (POST /api/v1/live): chunks of 16-bit PCM
// sent in order, one request at a time, each with its sequence number; what
// waited while a request was in flight goes in the next one (the server then
// drops that chunk's windows and says so, instead of falling further behind);
// the results arrive as Server-Sent Events (the lines of `soundlens live --json`).
import { apiUrl } from './api-base';
import { CSRF_HEADER } from './csrf';
import { csrfToken } from './session';

export type { LiveEvent, LiveLine, LivePrediction } from './live-lines';

export interface LiveSessionInfo {
  id: string;
  model: string;
  rate: number;
  window_s: number;
  hop_s: number;
  max_chunk_bytes: number;
  idle_timeout_s: number;
  watched: number[];
}

export class LiveRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

async function request(path: string, init: RequestInit): Promise<unknown> {
  const headers = new Headers(init.headers);
  const token = csrfToken();
  if (token) headers.set(CSRF_HEADER, token);
  const response = await fetch(apiUrl(path), { ...init, headers, credentials: 'same-origin' });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { message?: string; code?: string } } | null)?.error;
    throw new LiveRequestError(error?.message ?? `the service answered ${response.status}`, response.status, error?.code ?? 'unknown');
  }
  return body;
}

export function createLiveSession(rate: number, classes: string[]): Promise<LiveSessionInfo> {
  const params = new URLSearchParams({ format: 's16le', rate: String(rate) });
  if (classes.length) params.set('class', classes.join(','));
  return request(`/api/v1/live?${params.toString()}`, { method: 'POST' }) as Promise<LiveSessionInfo>;
}

export function liveEventsUrl(id: string): string {
  return apiUrl(`/api/v1/live/${encodeURIComponent(id)}/events`);
}

export interface ChunkAnswer {
  next_seq: number;
  heard_s: number;
  windows: number;
  dropped_windows: number;
  analysis_id: string | null;
  /** Set when the session reached the server's longest recording: the job storing it. */
  job_id: string | null;
}

/** Sends chunks in order, one request at a time; stop() sends what is left, then ends the session. */
export class ChunkSender {
  private queue: Int16Array[] = [];
  private seq = 0;
  private busy = false;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly id: string,
    private readonly onAnswer: (answer: ChunkAnswer) => void,
    private readonly onError: (error: LiveRequestError) => void,
  ) {}

  push(samples: Int16Array): void {
    if (this.closed) return;
    this.queue.push(samples);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    while (this.queue.length) {
      // Everything that waited goes at once: a late client catches up (the server drops those windows).
      const parts = this.queue.splice(0);
      const body = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        body.set(p, at);
        at += p.length;
      }
      try {
        const answer = (await request(`/api/v1/live/${encodeURIComponent(this.id)}/audio?seq=${this.seq}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream' },
          body: body.buffer,
        })) as ChunkAnswer;
        this.seq = answer.next_seq;
        this.onAnswer(answer);
        if (answer.analysis_id || answer.job_id) this.closed = true;
      } catch (error) {
        const e = error instanceof LiveRequestError ? error : new LiveRequestError(String(error), 0, 'network');
        this.closed = true;
        this.queue = [];
        this.onError(e);
      }
    }
    this.busy = false;
    for (const done of this.idle.splice(0)) done();
  }

  /** Resolves once every chunk pushed so far has been answered. */
  drained(): Promise<void> {
    if (!this.busy && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    this.closed = true;
  }
}

export interface LiveStopped {
  /** The stored analysis; null while the job storing it runs. */
  analysis_id: string | null;
  /** The job analysing and storing the session (its progress also comes on the event stream); null: stored in the stop. */
  job_id: string | null;
  heard_s: number;
}

/** Ends the session: returns at once with the job that stores it (or, on a server without jobs, once stored). */
export async function stopLiveSession(id: string): Promise<LiveStopped> {
  return request(`/api/v1/live/${encodeURIComponent(id)}/stop`, { method: 'POST' }) as Promise<LiveStopped>;
}

/** Watches a class from now on: reported in every later window, counted, asked of the stored analysis. */
export async function watchLiveClass(id: string, name: string): Promise<{ watched: number[] }> {
  const params = new URLSearchParams({ class: name });
  return request(`/api/v1/live/${encodeURIComponent(id)}/watch?${params.toString()}`, { method: 'POST' }) as Promise<{ watched: number[] }>;
}
