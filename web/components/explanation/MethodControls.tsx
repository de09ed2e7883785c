'use client';
// Which explanation is shown: the method, an optional contrast class ("why A
// and not B"), and cells mode (the map's true grid, no smoothing).
import { METHODS } from '@/lib/api-types';

import { methodLabel } from '../viewer/SpectrogramPanel';
import { useViewer } from '../viewer/ViewerContext';

const select = 'rounded-md border border-slate-600 bg-slate-900 px-2 py-1 text-sm text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-50';

export default function MethodControls() {
  const v = useViewer();
  const { caps, method, contrast, cells, shown, analysis, selectedClass } = v;
  const offered = caps.methods.length > 1;
  const others = analysis.predictions.filter((p) => p.index !== null && p.index !== selectedClass);
  const forced = shown !== null && shown.cols < 2;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-200">
      <label className="flex items-center gap-2">
        Method
        <select className={select} value={method} onChange={(e) => v.setMethod(e.target.value)} disabled={!offered} data-testid="method-picker">
          {(offered ? caps.methods : [...METHODS]).map((m) => (
            <option key={m} value={m} disabled={!caps.methods.includes(m)}>{methodLabel(m)}</option>
          ))}
        </select>
      </label>
      {!offered && caps.loaded && <span className="text-xs text-slate-400" data-testid="methods-unavailable">Only Grad-CAM: other methods are not available on this server.</span>}
      <label className="flex items-center gap-2">
        Why this and not
        <select
          className={select}
          value={contrast ?? ''}
          onChange={(e) => v.setContrast(e.target.value === '' ? null : Number(e.target.value))}
          disabled={!caps.contrast}
          data-testid="contrast-picker"
          title={caps.contrast ? 'Explain the difference of the two classes’ logits' : 'Contrast is not available on this server'}
        >
          <option value="">(no contrast)</option>
          {others.map((p) => <option key={p.index!} value={p.index!}>{p.label}</option>)}
        </select>
      </label>
      {!caps.contrast && caps.loaded && <span className="text-xs text-slate-400">Contrast is not available on this server.</span>}
      <label className="flex items-center gap-2" title="Draw the map's cells as they are, without smoothing">
        <input type="checkbox" checked={cells} disabled={forced} onChange={(e) => v.setCells(e.target.checked)} className="accent-amber-400" data-testid="cells-toggle" />
        Cells (true grid)
      </label>
      {forced && <span className="text-xs text-amber-200">This map has one time column, so it is drawn as cells.</span>}
    </div>
  );
}
