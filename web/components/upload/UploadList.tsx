'use client';
// Each upload's state: upload progress, the service analysing, a job's stage,
// percentage and ETA (from its event stream), done (with a link) or failed
// (the message names the file). Running ones can be cancelled.
import Link from 'next/link';

import type { UploadItem } from '@/hooks/useUploads';
import { formatSeconds } from '@/lib/format';

import ErrorMessage from '../common/ErrorMessage';
import ProgressBar from '../common/ProgressBar';

function Item({ item, onCancel, onDismiss, onOpen }: { item: UploadItem; onCancel: () => void; onDismiss: () => void; onOpen?: () => void }) {
  if (item.phase === 'failed') return <ErrorMessage message={item.message ?? 'The upload failed.'} detail={item.detail ?? undefined} onDismiss={onDismiss} />;
  const job = item.job;
  let label: string;
  let fraction = item.fraction;
  switch (item.phase) {
    case 'waiting': label = `${item.name}: waiting`; break;
    case 'uploading': label = `Uploading ${item.name}`; break;
    case 'analysing': label = `Analysing ${item.name}…`; break;
    case 'job':
      // A queued job says what it waits for when the page knows (a comparison's model and its place).
      label = `${item.name}: ${job?.state === 'queued' ? (job.stage ? `${job.stage}: queued` : 'queued') : job?.stage ?? 'running'}${job?.eta_s !== null && job?.eta_s !== undefined ? ` · about ${formatSeconds(job.eta_s)} left` : ''}`;
      fraction = job?.progress ?? null;
      break;
    case 'done': label = `${item.name}: done`; fraction = 1; break;
    default: label = `${item.name}: cancelled`; fraction = null;
  }
  const running = item.phase === 'waiting' || item.phase === 'uploading' || item.phase === 'analysing' || item.phase === 'job';
  return (
    <li className="flex flex-col gap-1" data-testid="upload-item" data-phase={item.phase} data-job-id={job?.id ?? ''}>
      {item.phase === 'cancelled' ? <p className="text-sm text-slate-400">{label}</p> : <ProgressBar fraction={fraction} label={label} />}
      <div className="flex gap-3 text-sm">
        {item.phase === 'done' && item.analysisId && (
          <Link href={`/?id=${encodeURIComponent(item.analysisId)}`} onClick={onOpen} className="text-sky-300 underline hover:text-white" data-testid="upload-open">Open the result</Link>
        )}
        {item.phase === 'job' && item.compare && job && (
          <Link href={`/compare-models/?job=${encodeURIComponent(job.id)}`} className="text-sky-300 underline hover:text-white" data-testid="upload-follow-comparison">Follow in the comparison view</Link>
        )}
        {running && (
          <button type="button" onClick={onCancel} className="rounded-md px-2 py-0.5 text-slate-300 underline hover:text-white focus-visible:outline-2 focus-visible:outline-sky-300" data-testid="upload-cancel">
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}

export default function UploadList({ items, onCancel, onDismiss, onOpen }: { items: UploadItem[]; onCancel: (key: string) => void; onDismiss: (key: string) => void; onOpen?: () => void }) {
  if (items.length === 0) return null;
  return (
    <ul className="flex flex-col gap-3" aria-label="Uploads" aria-live="polite" data-testid="uploads">
      {items.map((item) => <Item key={item.key} item={item} onCancel={() => onCancel(item.key)} onDismiss={() => onDismiss(item.key)} onOpen={onOpen} />)}
    </ul>
  );
}
