'use client';
// The events table's checks: each event's explanation computed on its own
// window (explanation?event=N&listen=1) by the page's method, kept per
// analysis, event (as reviewed) and method for as long as the page is open
// (the server caches them too). "Check all shown" asks for them one at a
// time, never side by side, and can be stopped; a busy server (429 / 503)
// stops it with the server's words, and a person may try again.
import { useCallback, useEffect, useRef, useState } from 'react';

import { getEventExplanation } from '@/lib/api-client';
import { toApiError, type ApiError } from '@/lib/api-errors';
import { DEFAULT_METHOD, type AudioEvent, type EventExplanation } from '@/lib/api-types';
import { eventCheckKey } from '@/lib/event-check';

export type CheckEntry =
  | { status: 'loading' }
  | { status: 'ready'; data: EventExplanation }
  | { status: 'failed'; error: ApiError };

export interface CheckAllProgress {
  done: number;
  total: number;
}

export interface EventChecks {
  get: (e: AudioEvent) => CheckEntry | undefined;
  check: (e: AudioEvent) => void;
  /** Checks the events not yet checked, in this order, one at a time. */
  checkAll: (events: AudioEvent[]) => void;
  stop: () => void;
  /** While "check all" runs: how far it is. */
  progress: CheckAllProgress | null;
  /** Why the last "check all" stopped early (a busy server), else null. */
  stopped: string | null;
}

const busy = (error: ApiError) => error.status === 429 || error.status === 503 || error.code === 'busy' || error.code === 'rate_limited';

export function useEventChecks(analysisId: string, method: string): EventChecks {
  const [entries, setEntries] = useState<Map<string, CheckEntry>>(new Map());
  // The entries as of now, for the sequential loop (state is read once per render).
  const current = useRef(entries);
  const [progress, setProgress] = useState<CheckAllProgress | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const requests = useRef(new Set<AbortController>());
  const queue = useRef<AbortController | null>(null);

  const put = useCallback((key: string, entry: CheckEntry | null) => {
    const next = new Map(current.current);
    if (entry) next.set(key, entry);
    else next.delete(key);
    current.current = next;
    setEntries(next);
  }, []);

  const run = useCallback(async (e: AudioEvent, outer?: AbortSignal): Promise<CheckEntry | null> => {
    const key = eventCheckKey(analysisId, e, method);
    const before = current.current.get(key);
    if (before?.status === 'ready' || before?.status === 'loading') return before;
    const controller = new AbortController();
    const abort = () => controller.abort();
    outer?.addEventListener('abort', abort);
    requests.current.add(controller);
    put(key, { status: 'loading' });
    try {
      const data = await getEventExplanation(analysisId, { event: e.position, method: method === DEFAULT_METHOD ? undefined : method, listen: true }, controller.signal);
      const entry: CheckEntry = { status: 'ready', data };
      put(key, entry);
      return entry;
    } catch (failure) {
      const error = toApiError(failure);
      if (controller.signal.aborted || error.code === 'cancelled') {
        put(key, null); // stopped: not checked, nothing to say
        return null;
      }
      const entry: CheckEntry = { status: 'failed', error };
      put(key, entry);
      return entry;
    } finally {
      outer?.removeEventListener('abort', abort);
      requests.current.delete(controller);
    }
  }, [analysisId, method, put]);

  const check = useCallback((e: AudioEvent) => {
    setStopped(null);
    void run(e);
  }, [run]);

  const checkAll = useCallback((events: AudioEvent[]) => {
    if (queue.current) return; // one "check all" at a time
    const controller = new AbortController();
    queue.current = controller;
    const todo = events.filter((e) => current.current.get(eventCheckKey(analysisId, e, method))?.status !== 'ready');
    setStopped(null);
    setProgress({ done: 0, total: todo.length });
    void (async () => {
      let done = 0;
      for (const e of todo) {
        if (controller.signal.aborted) break;
        const entry = await run(e, controller.signal);
        done += 1;
        if (!controller.signal.aborted) setProgress({ done, total: todo.length });
        if (entry?.status === 'failed' && busy(entry.error)) {
          setStopped(`Checking stopped after ${done} of ${todo.length}: ${entry.error.message} Press "Check all shown" to go on.`);
          break;
        }
      }
      if (queue.current === controller) queue.current = null;
      setProgress(null);
    })();
  }, [analysisId, method, run]);

  const stop = useCallback(() => queue.current?.abort(), []);

  // Leaving the result (or another analysis) stops what is still asked.
  useEffect(() => {
    const open = requests.current;
    return () => {
      queue.current?.abort();
      open.forEach((c) => c.abort());
    };
  }, [analysisId]);

  const get = useCallback((e: AudioEvent) => entries.get(eventCheckKey(analysisId, e, method)), [entries, analysisId, method]);
  return { get, check, checkAll, stop, progress, stopped };
}
