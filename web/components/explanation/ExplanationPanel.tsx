'use client';
// The explained class on the shared time axis, with how it is explained
// (method, contrast, cells), how it looks (opacity, spectrogram colours), how
// far to trust it, and how to listen to it.
import { formatPercent } from '@/lib/format';

import { methodLabel } from '../viewer/SpectrogramPanel';
import TimeStack from '../viewer/TimeStack';
import { useViewer } from '../viewer/ViewerContext';
import ColorLegend from './ColorLegend';
import FusedMaps from './FusedMaps';
import ListenButtons from './ListenButtons';
import MethodControls from './MethodControls';
import OpacitySlider from './OpacitySlider';
import RobustnessPanel from './RobustnessPanel';
import TrustPanel from './TrustPanel';

export default function ExplanationPanel({ onDrawn }: { onDrawn: (what: { spectrogram: boolean; cam: boolean }) => void }) {
  const v = useViewer();
  const { shown, current, selectedClass, contrast } = v;
  const wanted = selectedClass === null ? null : v.labelOf(selectedClass);
  const pending = current?.status === 'loading';
  return (
    <section aria-labelledby="explanation-title" className="flex flex-col gap-3">
      <h2 id="explanation-title" className="text-lg font-semibold text-white" data-testid="explained-class">
        {shown ? (
          <>
            Where the model looked for <span className="text-amber-300">{shown.label}</span>
            {shown.contrast || contrast !== null ? <> and not <span className="text-sky-300">{shown.contrast?.label ?? v.labelOf(contrast!)}</span></> : null}{' '}
            <span className="text-sm font-normal text-slate-300">(clip {formatPercent(shown.probability)}, {methodLabel(shown.method)}{shown.score ? `, score ${shown.score}` : ''})</span>
          </>
        ) : 'Spectrogram'}
      </h2>
      {!shown && !pending && <p className="text-sm text-slate-300">The service sent no explanation for this analysis; only the spectrogram is shown.</p>}
      {pending && <p className="text-sm text-slate-200" role="status">Computing the {methodLabel(v.method)} map for {wanted}…</p>}
      {current?.status === 'failed' && (
        <p className="text-sm text-amber-200" role="alert">The map for {wanted} could not be loaded. {current.error.message}</p>
      )}
      <MethodControls />
      <TimeStack onDrawn={onDrawn} />
      <FusedMaps />
      {v.settled && (
        <>
          <div className="flex flex-wrap items-center gap-4 pl-14">
            <OpacitySlider />
            <ColorLegend method={methodLabel(shown?.method ?? 'gradcam')} />
          </div>
          <div className="flex flex-col gap-3 pl-14">
            <ListenButtons />
            <TrustPanel />
            <RobustnessPanel />
          </div>
        </>
      )}
    </section>
  );
}
