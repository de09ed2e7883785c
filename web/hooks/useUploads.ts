'use client';
// Uploads, one or many (a batch), one at a time: upload progress, then the
// analysis; a long recording comes back as a job (202) whose stage, progress
// and ETA are followed until it ends. Running jobs are remembered in the
// browser and picked up again when the page is opened later.
import { useCallback, useEffect, useRef, useState } from 'react';

import { cancelJob, createAnalysis, createComparison, getAnalysis, getComparison } from '@/lib/api-client';
import { aboutFile, ApiError, humanMessage, toApiError, withReason } from '@/lib/api-errors';
import type { Analysis, Comparison, Job } from '@/lib/api-types';
import { loadCapabilities } from '@/lib/capabilities';
import { followJob } from '@/lib/follow-job';
import { forgetJob, rememberJob, rememberedJobs } from '@/lib/job-store';
import { markUploadFinished } from '@/lib/perf';
import { prefetchSpectrogram } from '@/lib/spectrogram-cache';

export type UploadPhase = 'waiting' | 'uploading' | 'analysing' | 'job' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  key: string;
  name: string;
  phase: UploadPhase;
  /** Upload fraction while uploading; the job's progress while it runs. */
  fraction: number | null;
  job: Job | null;
  analysisId: string | null;
  message: string | null;
  detail: string | null;
  /** Two models compared (its job, once accepted, can be followed in the comparison view). */
  compare?: boolean;
}

interface Pending {
  file: File | null;
  classes?: number[];
  jobId?: string;
  /** The model to analyse with (absent: the server's default). */
  model?: string;
  /** Two models compared instead (at once on the server; past its limit, as one job with progress). */
  models?: [string, string];
}

/** Which model(s) an upload goes to. */
export interface ModelRequest {
  model?: string | null;
  models?: [string, string] | null;
}

let counter = 0;

export function useUploads(onResult: (analysis: Analysis) => void, onCompared?: (comparison: Comparison) => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [batch, setBatch] = useState(false);
  const queue = useRef<{ key: string; name: string; pending: Pending }[]>([]);
  const running = useRef(false);
  const controllers = useRef(new Map<string, AbortController>());
  const batchRef = useRef(false);
  const onResultRef = useRef(onResult);
  const onComparedRef = useRef(onCompared);
  useEffect(() => {
    onResultRef.current = onResult;
    onComparedRef.current = onCompared;
  }, [onResult, onCompared]);

  const patch = useCallback((key: string, change: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const finishWith = useCallback(async (key: string, analysisId: string, signal: AbortSignal) => {
    if (batchRef.current) {
      patch(key, { phase: 'done', analysisId, fraction: 1 });
      return;
    }
    prefetchSpectrogram(analysisId);
    const analysis = await getAnalysis(analysisId, signal);
    patch(key, { phase: 'done', analysisId, fraction: 1 });
    onResultRef.current(analysis);
  }, [patch]);

  // A comparison's job ends with its two analyses: their comparison (no model runs again) is the result.
  const finishComparison = useCallback(async (key: string, [a, b]: [string, string], signal: AbortSignal) => {
    const comparison = await getComparison(a, b, signal);
    patch(key, { phase: 'done', analysisId: a, fraction: 1 });
    onComparedRef.current?.(comparison);
  }, [patch]);

  // A job followed to its end with its stage and progress (a comparison's names the model it is at):
  // remembered, so a reload picks it up again.
  const follow = useCallback(async (key: string, name: string, job: Job, signal: AbortSignal) => {
    rememberJob({ id: job.id, filename: name });
    patch(key, { phase: 'job', job, fraction: job.progress });
    const caps = await loadCapabilities();
    const final = await followJob(job.id, (j) => patch(key, { job: j, fraction: j.progress }), signal, caps.jobs);
    forgetJob(job.id);
    if (final.state === 'done' && final.compared_ids) await finishComparison(key, final.compared_ids, signal);
    else if (final.state === 'done' && final.analysis_id) await finishWith(key, final.analysis_id, signal);
    else if (final.state === 'cancelled') patch(key, { phase: 'cancelled', job: final });
    else {
      // The server's own reason, in the message itself.
      const said = aboutFile(new ApiError(withReason(humanMessage(final.error?.code ?? 'internal'), final.error?.message ?? ''), final.error?.code ?? 'internal', undefined), name);
      patch(key, { phase: 'failed', job: final, message: said.message });
    }
  }, [patch, finishWith, finishComparison]);

  const runOne = useCallback(async (key: string, name: string, pending: Pending) => {
    const controller = new AbortController();
    controllers.current.set(key, controller);
    try {
      if (pending.jobId) {
        const job: Job = { id: pending.jobId, state: 'queued', stage: null, progress: null, eta_s: null, analysis_id: null, error: null, compared_ids: null };
        await follow(key, name, job, controller.signal);
        return;
      }
      patch(key, { phase: 'uploading', fraction: 0 });
      const onUploadProgress = (fraction: number) => patch(key, fraction >= 1 ? { phase: 'analysing', fraction: null } : { fraction });
      if (pending.models) {
        // Longer than the server compares at once: one job running both models, followed with progress.
        const compared = await createComparison(
          { file: pending.file!, filename: name, classes: pending.classes, models: pending.models },
          { signal: controller.signal, onUploadProgress },
        );
        markUploadFinished();
        if (compared.kind === 'job') {
          await follow(key, name, compared.job, controller.signal);
          return;
        }
        patch(key, { phase: 'done', analysisId: compared.comparison.results[0].id, fraction: 1 });
        onComparedRef.current?.(compared.comparison);
        return;
      }
      const result = await createAnalysis(
        { file: pending.file!, filename: name, classes: pending.classes, model: pending.model },
        {
          signal: controller.signal,
          onUploadProgress: (fraction) => patch(key, fraction >= 1 ? { phase: 'analysing', fraction: null } : { fraction }),
        },
      );
      if (result.kind === 'job') {
        await follow(key, name, result.job, controller.signal);
        return;
      }
      markUploadFinished();
      if (batchRef.current) {
        patch(key, { phase: 'done', analysisId: result.analysis.id, fraction: 1 });
      } else {
        prefetchSpectrogram(result.analysis.id);
        patch(key, { phase: 'done', analysisId: result.analysis.id, fraction: 1 });
        onResultRef.current(result.analysis);
      }
    } catch (error) {
      const failure = toApiError(error);
      if (failure.code === 'cancelled' || controller.signal.aborted) patch(key, { phase: 'cancelled' });
      else {
        const said = aboutFile(failure, name);
        patch(key, { phase: 'failed', message: said.message, detail: said.detail ?? null });
      }
    } finally {
      controllers.current.delete(key);
    }
  }, [patch, follow]);

  const pump = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    while (queue.current.length) {
      const next = queue.current.shift()!;
      await runOne(next.key, next.name || 'recording', next.pending);
    }
    running.current = false;
  }, [runOne]);

  const add = useCallback((entries: { name: string; pending: Pending }[], asBatch: boolean) => {
    batchRef.current = asBatch;
    setBatch(asBatch);
    const made = entries.map((e) => ({ key: `u${++counter}`, ...e }));
    setItems((list) => [
      ...(asBatch ? [] : list.filter((i) => i.phase === 'job')),
      ...made.map((m) => ({ key: m.key, name: m.name, phase: 'waiting' as const, fraction: null, job: null, analysisId: null, message: null, detail: null, compare: !!m.pending.models })),
    ]);
    for (const m of made) queue.current.push({ key: m.key, name: m.name, pending: m.pending });
    void pump();
  }, [pump]);

  const run = useCallback((files: File[], classes?: number[], models: ModelRequest = {}) => {
    const chosen = { model: models.model ?? undefined, models: models.models ?? undefined };
    add(files.map((file) => ({ name: file.name, pending: { file, classes, ...chosen } })), files.length > 1);
  }, [add]);

  const cancel = useCallback((key: string) => {
    const item = items.find((i) => i.key === key);
    if (item?.job && item.phase === 'job') {
      void cancelJob(item.job.id).catch(() => undefined);
      forgetJob(item.job.id);
    }
    queue.current = queue.current.filter((q) => q.key !== key);
    controllers.current.get(key)?.abort();
    patch(key, { phase: 'cancelled' });
  }, [items, patch]);

  const reject = useCallback((message: string) => {
    setItems((list) => [...list.filter((i) => i.phase !== 'failed'), { key: `u${++counter}`, name: '', phase: 'failed', fraction: null, job: null, analysisId: null, message, detail: null }]);
  }, []);
  const dismiss = useCallback((key?: string) => setItems((list) => list.filter((i) => (key ? i.key !== key : i.phase !== 'failed' && i.phase !== 'cancelled'))), []);

  // Jobs left running when the page was closed.
  useEffect(() => {
    const jobs = rememberedJobs();
    if (jobs.length === 0) return;
    const timer = window.setTimeout(() => add(jobs.map((j) => ({ name: j.filename, pending: { file: null, jobId: j.id } })), true), 0);
    return () => window.clearTimeout(timer);
  }, [add]);

  /** Leaving a batch's list for one of its results. */
  const endBatch = useCallback(() => {
    batchRef.current = false;
    setBatch(false);
  }, []);

  const busy = items.some((i) => i.phase === 'uploading' || i.phase === 'analysing' || i.phase === 'waiting');
  return { items, batch, busy, run, cancel, reject, dismiss, endBatch };
}
