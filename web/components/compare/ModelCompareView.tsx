'use client';
// /compare-models/?a=ID&b=ID: two analyses of one recording by two models.
// Right after an upload the comparison is at hand; otherwise (a reload, a
// shared link) the server compares the stored analyses again. ?job=ID: a
// comparison still running as a job, followed until it is done.
import { useSearchParams } from 'next/navigation';

import { getComparison } from '@/lib/api-client';
import { useCapabilities } from '@/lib/capabilities';
import { rememberedComparison } from '@/lib/compare';
import { useRemote } from '@/hooks/useRemote';

import ErrorMessage from '../common/ErrorMessage';
import CompareJob from './CompareJob';
import ModelComparison from './ModelComparison';

export default function ModelCompareView() {
  const params = useSearchParams();
  const a = params?.get('a') ?? '';
  const b = params?.get('b') ?? '';
  const job = params?.get('job') ?? '';
  const caps = useCapabilities();
  const fresh = a && b ? rememberedComparison(a, b) : null;
  const remote = useRemote(a && b && !fresh && caps.compareRoute ? `${a},${b}` : null, (signal) => getComparison(a, b, signal));
  if (job && !(a && b)) return <CompareJob key={job} id={job} />;
  if (!a || !b) return <ErrorMessage message="A model comparison needs two analyses: ?a=ID&b=ID (or a running comparison: ?job=ID)." />;
  if (fresh) return <ModelComparison comparison={fresh} />;
  if (caps.loaded && !caps.compareRoute) return <ErrorMessage message="Comparing two models is not available on this server." />;
  if (remote.status === 'failed') return <ErrorMessage message={remote.error.message} detail={remote.error.detail} />;
  if (remote.status !== 'ready') return <p role="status" className="text-slate-300">Loading the comparison…</p>;
  return <ModelComparison comparison={remote.data} />;
}
