'use client';
// Everything about one analysis: player, quality, predictions and any class,
// the explanation on the shared time axis, events, exports and metadata.
import { useCallback, useState } from 'react';

import { audioUrl } from '@/lib/api-base';
import type { Analysis } from '@/lib/api-types';
import { markDrawn, type DrawTimes } from '@/lib/perf';

import Section from '../common/Section';
import CountsFirst from '../events/CountsFirst';
import EventsSection from '../events/EventsSection';
import { ReviewProvider, useReview } from '../events/ReviewContext';
import ExplanationPanel from '../explanation/ExplanationPanel';
import InterpretationGuide from '../explanation/InterpretationGuide';
import AudioPlayer from './AudioPlayer';
import CalibrationNotice from './CalibrationNotice';
import ClassSearch from './ClassSearch';
import ExportLinks from './ExportLinks';
import MetadataPanel from './MetadataPanel';
import PredictionList from './PredictionList';
import { RecordingNotKept, RedactionNotice } from './PrivacyNotice';
import QualityFlags from './QualityFlags';
import { useViewer, ViewerProvider } from './ViewerContext';

interface Props {
  analysis: Analysis;
  /** Analyse the same recording again with these classes pinned. */
  onReanalyse?: (classes: number[]) => void;
  compact?: boolean;
}

function Result({ onReanalyse, compact }: Omit<Props, 'analysis'>) {
  const v = useViewer();
  const { analysis } = v;
  const [drawTimes, setDrawTimes] = useState<DrawTimes>({});
  const reviewed = useReview()!;
  // Longer than one analysis window: the counts come first (the clip's top classes are the strongest window anywhere).
  const long = analysis.timeline.length > 1 && reviewed.events !== null;
  const showEvents = useCallback(() => {
    document.getElementById('events-section')?.scrollIntoView({ block: 'start' });
    document.querySelector<HTMLElement>('[data-testid="event-row"]')?.focus();
  }, []);
  const onDrawn = useCallback((what: { spectrogram: boolean; cam: boolean }) => {
    const times = markDrawn(what);
    if (times) setDrawTimes((before) => ({ ...before, ...times }));
  }, []);

  return (
    <div className="flex flex-col gap-6" data-testid="result" data-analysis-id={analysis.id}>
      <div className="flex flex-col gap-2">
        <h1 className="break-words text-xl font-semibold text-white">{analysis.filename}</h1>
        {analysis.audio_stored ? (
          <AudioPlayer src={audioUrl(analysis.id)} audioRef={v.audioRef} filename={analysis.filename} />
        ) : (
          <RecordingNotKept />
        )}
        <RedactionNotice analysis={analysis} />
        <CalibrationNotice analysis={analysis} />
      </div>
      {long && (
        <Section title="Event counts" subtitle="Per class and per hour over the whole recording, after review; pinned and clinical classes first.">
          <CountsFirst reviewed={reviewed} durationS={v.durationS} pinned={v.pinned} labelOf={v.labelOf} onShowEvents={showEvents} />
        </Section>
      )}
      <div className={`grid gap-6 ${compact ? '' : 'lg:grid-cols-[minmax(16rem,22rem)_1fr]'}`}>
        <div className="flex min-w-0 flex-col gap-4">
          <Section title="Input quality">
            <QualityFlags flags={analysis.quality} />
          </Section>
          <Section
            title={long ? 'Strongest window anywhere' : 'Top predictions'}
            subtitle={long ? 'Clip probability: each class at its strongest window of the recording, not a count. Choose a class to see its map.' : 'Clip probability. Choose a class to see its map.'}
          >
            <PredictionList predictions={analysis.predictions} selectedClass={v.selectedClass} onSelect={v.selectClass} />
          </Section>
          {v.settled && (
            <Section title="Any class">
              <ClassSearch onReanalyse={onReanalyse} />
            </Section>
          )}
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <ExplanationPanel onDrawn={onDrawn} />
          {v.settled && <InterpretationGuide explanation={v.shown} durationS={v.durationS} />}
        </div>
      </div>
      {v.settled && (
        <>
          <div id="events-section" className="scroll-mt-4">
            <Section title="Events">
              <EventsSection reviewed={reviewed} />
            </Section>
          </div>
          <Section title="Export">
            <ExportLinks />
          </Section>
        </>
      )}
      {v.settled && !compact && (
        <Section title="Processing">
          <MetadataPanel analysis={analysis} drawTimes={drawTimes} />
        </Section>
      )}
    </div>
  );
}

export default function ResultView({ analysis, ...rest }: Props) {
  return (
    <ViewerProvider analysis={analysis}>
      <ReviewProvider>
        <Result {...rest} />
      </ReviewProvider>
    </ViewerProvider>
  );
}
