'use client';
// /compare-models/?job=ID: a comparison running as a job on the server (a
// recording longer than it compares at once): its stage (the model and its
// place), percentage and time left as they change, a Cancel button, and once
// done the comparison itself (?a=&b=). A failure says the server's reason.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

import { cancelJob } from '@/lib/api-client';
import { ApiError, humanMessage, toApiError, withReason } from '@/lib/api-errors';
import type { Job } from '@/lib/api-types';
import { useCapabilities } from '@/lib/capabilities';
import { followJob } from '@/lib/follow-job';
import { formatSeconds } from '@/lib/format';
import { forgetJob } from '@/lib/job-store';

import ErrorMessage from '../common/ErrorMessage';
import ProgressBar from '../common/ProgressBar';

const button = 'rounded-md px-2 py-0.5 text-sm text-slate-300 underline hover:text-white focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-50';

export default function CompareJob({ id }: { id: string }) {
  const router = useRouter();
  const caps = useCapabilities();
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    if (!caps.loaded) return;
    const controller = new AbortController();
    followJob(id, setJob, controller.signal, caps.jobs).then((final) => {
      forgetJob(id);  // followed to its end here: the analyse page need not pick it up again
      if (final.state === 'done' && final.compared_ids) {
        const [a, b] = final.compared_ids;
        router.replace(`/compare-models/?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
      } else if (final.state === 'done') {
        setFailure(new ApiError('This job is not a comparison of two models: open its analysis from the history.', 'bad_request', undefined));
      } else if (final.state === 'failed') {
        const code = final.error?.code ?? 'internal';
        setFailure(new ApiError(withReason(humanMessage(code), final.error?.message ?? ''), code, undefined));
      }
    }, (error) => {
      const said = toApiError(error);
      if (said.code !== 'cancelled') setFailure(said);
    });
    return () => controller.abort();
  }, [id, caps.loaded, caps.jobs, router]);

  if (failure) return <ErrorMessage message={`The comparison did not finish. ${failure.message}`} detail={failure.detail} />;
  if (job?.state === 'cancelled') return <p role="status" className="text-slate-300" data-testid="compare-job-cancelled">The comparison was cancelled: nothing of it was kept.</p>;
  const stage = job === null || job.state === 'queued' ? 'queued' : job.stage ?? 'running';
  const eta = job?.eta_s !== null && job?.eta_s !== undefined ? ` · about ${formatSeconds(job.eta_s)} left` : '';
  const cancel = async () => {
    setCancelling(true);
    try {
      const after = await cancelJob(id);
      if (after) setJob(after);
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setCancelling(false);
    }
  };
  return (
    <section className="flex flex-col gap-3" aria-label="Comparing two models" data-testid="compare-job" data-job-id={id}>
      <h2 className="text-lg font-semibold text-white">Comparing two models</h2>
      <p className="text-sm text-slate-300">The recording is longer than the service compares at once, so each model analyses it in turn on the server. This page follows it; you can leave and come back.</p>
      <ProgressBar fraction={job?.progress ?? null} label={`Comparing: ${stage}${eta}`} />
      <div>
        <button type="button" className={button} onClick={() => void cancel()} disabled={cancelling} data-testid="compare-job-cancel">
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}
