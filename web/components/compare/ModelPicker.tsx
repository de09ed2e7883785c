'use client';
// Which model analyses the upload, or two models compared. The models and
// whether their weights are on the server come from GET /api/v1/models; the
// comparison is offered only when the server declares models= (capabilities).
import { useId } from 'react';

import { listModels } from '@/lib/api-client';
import { useCapabilities } from '@/lib/capabilities';
import { useRemote } from '@/hooks/useRemote';

export interface ModelChoice {
  /** null: the server's default. */
  model: string | null;
  /** Two models compared instead of one analysis. */
  compare: [string, string] | null;
}

export const DEFAULT_CHOICE: ModelChoice = { model: null, compare: null };

const select = 'rounded bg-slate-800 px-2 py-1 text-white ring-1 ring-slate-600 focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-50';

export default function ModelPicker({ value, onChange, disabled }: { value: ModelChoice; onChange: (c: ModelChoice) => void; disabled: boolean }) {
  const id = useId();
  const caps = useCapabilities();
  const remote = useRemote('models', listModels);
  if (remote.status !== 'ready') return null;
  const models = remote.data;
  const usable = models.filter((m) => m.available);
  const fallback = models.find((m) => m.default)?.name ?? usable[0]?.name ?? '';
  const first = value.compare?.[0] ?? value.model ?? fallback;
  const canCompare = caps.compareModels && usable.length >= 2;
  const other = (name: string) => usable.find((m) => m.name !== name)?.name ?? name;
  const second = value.compare?.[1] ?? other(first);
  const label = (name: string) => {
    const m = models.find((x) => x.name === name);
    const calibrated = m?.calibratedBy ? `, calibrated by ${m.calibratedBy}` : '';
    return `${name}${m?.default ? ` (default${calibrated})` : calibrated ? ` (${calibrated.slice(2)})` : ''}${m && !m.available ? ' – weights not on this server' : ''}`;
  };

  return (
    <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-200" disabled={disabled} data-testid="model-picker">
      <legend className="sr-only">Model</legend>
      <label htmlFor={`${id}-a`} className="font-medium text-white">Model</label>
      <select
        id={`${id}-a`}
        className={select}
        value={first}
        data-testid="model-select"
        onChange={(e) => {
          const name = e.target.value;
          onChange(value.compare ? { model: null, compare: [name, second === name ? other(name) : second] } : { model: name, compare: null });
        }}
      >
        {models.map((m) => (
          <option key={m.name} value={m.name} disabled={!m.available}>{label(m.name)}</option>
        ))}
      </select>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={value.compare !== null}
          disabled={!canCompare}
          data-testid="compare-toggle"
          onChange={(e) => onChange(e.target.checked ? { model: null, compare: [first, second] } : { model: first, compare: null })}
        />
        Compare two models
      </label>
      {value.compare && (
        <>
          <label htmlFor={`${id}-b`} className="sr-only">Second model</label>
          <span aria-hidden="true">with</span>
          <select
            id={`${id}-b`}
            className={select}
            value={second}
            data-testid="model-select-2"
            onChange={(e) => onChange({ model: null, compare: [first, e.target.value] })}
          >
            {usable.filter((m) => m.name !== first).map((m) => (
              <option key={m.name} value={m.name}>{label(m.name)}</option>
            ))}
          </select>
        </>
      )}
      {caps.loaded && !caps.compareModels && <span className="text-slate-400">Comparing models is not available on this server.</span>}
      {caps.compareModels && usable.length < 2 && <span className="text-slate-400">Comparing needs the weights of two models on the server.</span>}
    </fieldset>
  );
}
