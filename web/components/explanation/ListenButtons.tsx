'use client';
// Hear the explanation: the recording filtered by the map ("what the model
// used") and by its complement ("what it ignored"), for the shown class and
// method. It plays the selected span (a selected event, a shift+drag
// selection), else the span in view, never the whole recording from 0:00
// when the user is looking at one moment. The filtered recording is fetched
// whole and played from memory so that seeking into it works on any server
// (the route need not answer Range requests). Once pressed, the listening
// search's numbers are asked for and said (ListeningResult).
import { useEffect, useRef, useState } from 'react';

import { explanationWavUrl } from '@/lib/api-base';
import { formatSpan } from '@/lib/format';

import { useTimeView, useViewer } from '../viewer/ViewerContext';
import ListeningResult from './ListeningResult';

const button = 'rounded-md border border-slate-500 px-3 py-1 text-sm hover:bg-slate-700 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-sky-300';

export default function ListenButtons() {
  const v = useViewer();
  const { caps, shown, analysis, method, contrast, durationS } = v;
  const { view, selection } = useTimeView();
  const audio = useRef<HTMLAudioElement>(null);
  const stopAt = useRef<number | null>(null);
  const objectUrl = useRef<{ key: string; url: string } | null>(null);
  const [playing, setPlaying] = useState<'kept' | 'removed' | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [asked, setAsked] = useState(false);
  useEffect(() => () => {
    if (objectUrl.current) URL.revokeObjectURL(objectUrl.current.url);
  }, []);
  if (caps.loaded && !caps.listen) {
    return <p className="text-sm text-slate-400" data-testid="listen-unavailable">Listening to the explanation is not available on this server.</p>;
  }
  if (!analysis.audio_stored) {
    return <p className="text-sm text-slate-400" data-testid="listen-unavailable">Listening needs the recording, which this server does not keep.</p>;
  }
  const index = shown?.index ?? null;
  const searchQuery = index === null ? null : { classIndex: index, method, contrast, listen: true };
  const searchEntry = asked && searchQuery ? v.store.get(searchQuery) : undefined;
  const searched = shown?.listen ?? (searchEntry?.status === 'ready' ? searchEntry.data.listen : null);
  const zoomed = view.end - view.start < durationS * 0.999;
  const span = selection ?? (zoomed ? view : { start: 0, end: durationS });

  const play = async (part: 'kept' | 'removed') => {
    const element = audio.current;
    if (!element || index === null) return;
    v.audioRef.current?.pause();
    setProblem(null);
    const url = explanationWavUrl(analysis.id, index, method, part, contrast);
    try {
      if (objectUrl.current?.key !== url) {
        setLoading(true);
        const response = await fetch(url, { credentials: 'include' });
        if (!response.ok) throw new Error(`the server answered ${response.status}`);
        const blob = await response.blob();
        if (objectUrl.current) URL.revokeObjectURL(objectUrl.current.url);
        objectUrl.current = { key: url, url: URL.createObjectURL(blob) };
        element.src = objectUrl.current.url;
        await new Promise<void>((ok, fail) => {
          element.addEventListener('loadedmetadata', () => ok(), { once: true });
          element.addEventListener('error', () => fail(new Error('the audio could not be decoded')), { once: true });
        });
      }
      element.currentTime = span.start;
      stopAt.current = span.end;
      setPlaying(part);
      await element.play();
      // The search ran for this audio; its numbers come from the JSON route (after the audio, not competing with it).
      if (caps.listenSearch && searchQuery && !shown?.listen) {
        setAsked(true);
        v.store.ensure(searchQuery);
      }
    } catch (error) {
      setPlaying(null);
      setProblem(`The explanation audio could not be played: ${error instanceof Error ? error.message : String(error)}.`);
    } finally {
      setLoading(false);
    }
  };
  const spanText = formatSpan(span.start, span.end);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-slate-200" data-testid="listen" data-span-start={span.start.toFixed(3)} data-span-end={span.end.toFixed(3)}>
      <span>Listen to {selection ? 'the selection' : zoomed ? 'the span in view' : 'the recording'} ({spanText}):</span>
      <button type="button" className={button} disabled={index === null || !caps.listen || loading} onClick={() => void play('kept')} aria-pressed={playing === 'kept'} data-testid="listen-kept">
        ▶ What the model used
      </button>
      <button type="button" className={button} disabled={index === null || !caps.listen || loading} onClick={() => void play('removed')} aria-pressed={playing === 'removed'} data-testid="listen-removed">
        ▶ What it ignored
      </button>
      {loading && <span role="status" className="text-xs text-slate-400">Preparing the audio…</span>}
      {playing && <button type="button" className={button} onClick={() => { audio.current?.pause(); setPlaying(null); }}>Stop</button>}
      {shown && (searched || asked) && (
        <div className="basis-full">
          <ListeningResult result={searched} entry={searchEntry} label={shown.label} />
        </div>
      )}
      {problem && <span className="text-amber-200" role="alert">{problem}</span>}
      <audio
        ref={audio}
        onEnded={() => setPlaying(null)}
        onPause={() => setPlaying(null)}
        onTimeUpdate={(event) => {
          if (stopAt.current !== null && event.currentTarget.currentTime >= stopAt.current) {
            stopAt.current = null;
            event.currentTarget.pause();
          }
        }}
        data-testid="listen-audio"
        className="hidden"
      />
    </div>
  );
}
