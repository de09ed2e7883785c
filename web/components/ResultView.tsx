'use client';
// Everything about one analysis: player, predictions, explanation, timeline,
// guide and metadata. Each part copes with its data being absent.
import { useCallback, useMemo, useState } from 'react';

import { audioUrl } from '@/lib/api-base';
import type { Analysis } from '@/lib/api-types';
import { recordingDuration } from '@/lib/extent';
import { markDrawn, type DrawTimes } from '@/lib/perf';
import { loadSpectrogram } from '@/lib/spectrogram-cache';
import { usePlayback } from '@/hooks/usePlayback';
import { useExplanations } from '@/hooks/useExplanations';
import { useRemote } from '@/hooks/useRemote';

import AudioPlayer from './AudioPlayer';
import ExplanationPanel from './ExplanationPanel';
import InterpretationGuide from './InterpretationGuide';
import MetadataPanel from './MetadataPanel';
import PredictionList from './PredictionList';
import Section from './Section';
import Timeline from './Timeline';

export default function ResultView({ analysis }: { analysis: Analysis }) {
  const explanations = Array.isArray(analysis.explanations) ? analysis.explanations.filter((e) => Array.isArray(e?.map)) : [];
  // Stable references, so the memoised parts below skip the per-frame playback re-renders.
  const predictions = useMemo(() => (Array.isArray(analysis.predictions) ? analysis.predictions : []), [analysis.predictions]);
  const timeline = useMemo(() => (Array.isArray(analysis.timeline) ? analysis.timeline : []), [analysis.timeline]);
  const explained = useExplanations(analysis.id, explanations);
  const [drawTimes, setDrawTimes] = useState<DrawTimes>({});
  const { audioRef, currentTime, seek } = usePlayback();

  const spectrogram = useRemote(analysis.id, (signal) => loadSpectrogram(analysis.id, signal));
  const spec = spectrogram.status === 'ready' ? spectrogram.data : null;
  const spectrogramNote = spectrogram.status === 'failed'
    ? `The spectrogram could not be loaded (${spectrogram.error.message}); the heatmap is drawn on its own.`
    : spectrogram.status === 'loading' ? 'Loading the spectrogram…' : null;
  const durationS = recordingDuration(analysis, spec);
  const explanation = explained.selected;

  const onDrawn = useCallback((what: { spectrogram: boolean; cam: boolean }) => {
    const times = markDrawn(what);
    if (times) setDrawTimes((before) => ({ ...before, ...times }));
  }, []);

  return (
    <div className="flex flex-col gap-6" data-testid="result" data-analysis-id={analysis.id}>
      <div className="flex flex-col gap-2">
        <h1 className="break-words text-xl font-semibold text-white">{analysis.filename ?? 'Recording'}</h1>
        <AudioPlayer src={audioUrl(analysis.id)} audioRef={audioRef} filename={analysis.filename} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(16rem,22rem)_1fr]">
        <Section title="Top predictions" subtitle={explanations.length > 1 ? 'Choose a class to see its heatmap.' : undefined}>
          <PredictionList predictions={predictions} explanations={explained.list} selected={explained.selected} onSelect={explained.select} />
        </Section>
        <div className="flex min-w-0 flex-col gap-4">
          <ExplanationPanel
            analysisId={analysis.id}
            filename={analysis.filename}
            explanation={explanation}
            spectrogram={spec}
            spectrogramNote={spectrogramNote}
            pendingClass={explained.pending}
            problem={explained.problem}
            durationS={durationS}
            currentTime={currentTime}
            onSeek={seek}
            onDrawn={onDrawn}
          />
          {timeline.length > 1 && (
            <Section title="Main classes over time">
              <Timeline
                windows={timeline}
                clipPredictions={predictions}
                durationS={durationS}
                currentTime={currentTime}
                explainedIndex={explanation?.index}
                onSeek={seek}
                onExplain={explained.explainClass}
              />
            </Section>
          )}
          <InterpretationGuide explanation={explanation} />
        </div>
      </div>
      <Section title="Processing">
        <MetadataPanel analysis={analysis} drawTimes={drawTimes} />
      </Section>
    </div>
  );
}
