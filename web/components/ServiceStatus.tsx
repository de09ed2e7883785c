'use client';
// A one-line answer to "is the service there and ready?", before anyone uploads.
import { getHealth } from '@/lib/api-client';
import { useRemote } from '@/hooks/useRemote';

export default function ServiceStatus() {
  const health = useRemote('health', (signal) => getHealth(signal));
  if (health.status === 'failed') {
    return <p role="status" className="text-sm text-amber-200" data-testid="service-status">{health.error.message}</p>;
  }
  if (health.status !== 'ready') return <p className="text-sm text-slate-400" aria-hidden="true">Checking the service…</p>;
  const ready = health.data.model_loaded !== false;
  return (
    <p role="status" className={`text-sm ${ready ? 'text-emerald-300' : 'text-amber-200'}`} data-testid="service-status">
      <span aria-hidden="true">● </span>
      {ready ? 'Service ready' : 'The service is running but has no model loaded, so it cannot analyse sound yet.'}
      {health.data.version ? <span className="text-slate-400"> · soundlens {String(health.data.version)}</span> : null}
    </p>
  );
}
