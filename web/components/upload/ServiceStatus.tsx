'use client';
// A one-line answer to "is the service there and ready?", before anyone uploads.
import { useHealth } from '@/lib/health';

export default function ServiceStatus() {
  const health = useHealth();
  if (health.status === 'failed') {
    return <p role="status" className="text-sm text-amber-200" data-testid="service-status">{health.error.message}</p>;
  }
  if (health.status !== 'ready') return <p className="text-sm text-slate-400" aria-hidden="true">Checking the service…</p>;
  const ready = health.data.model_loaded;
  return (
    <p role="status" className={`text-sm ${ready ? 'text-emerald-300' : 'text-amber-200'}`} data-testid="service-status">
      <span aria-hidden="true">● </span>
      {ready ? 'Service ready' : 'The service is running but has no model loaded, so it cannot analyse sound yet.'}
      {health.data.model ? <span className="text-slate-400"> · model {health.data.model}</span> : null}
      {health.data.version ? <span className="text-slate-400"> · soundlens {health.data.version}</span> : null}
    </p>
  );
}
