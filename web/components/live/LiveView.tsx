'use client';
// The live page: start a session on the microphone, watch the spectrogram and
// what the model hears as it hears it, pin classes, stop to store it.
import Link from 'next/link';
import { useEffect, useState } from 'react';

import Section from '@/components/common/Section';
import { loadClasses } from '@/lib/class-search';
import { useLiveSession } from '@/hooks/useLiveSession';

import LiveSpectrogram from './LiveSpectrogram';
import { CountTable, EventList, NowList, PinnedList } from './LivePanels';

export default function LiveView() {
  const { view, start, stop, watch, analyser, streamTime } = useLiveSession();
  const [pinned, setPinned] = useState<string[]>([]);
  const [names, setNames] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    void loadClasses().then((all) => setNames(all.map((c) => c.name)));
  }, []);
  const running = view.status === 'live' || view.status === 'starting' || view.status === 'stopping';
  const pin = (label: string) => {
    if (!pinned.includes(label) && view.status === 'live') void watch(label);  // watched from now on
    setPinned((p) => (p.includes(label) ? p : [...p, label]));
  };
  const addTyped = () => {
    const name = names.find((n) => n.toLowerCase() === typed.trim().toLowerCase());
    if (!name) return;
    pin(name);
    setTyped('');
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold text-white">Live</h1>
        {!running ? (
          <button type="button" onClick={() => void start(pinned)} className="rounded-lg bg-rose-500 px-4 py-2 font-semibold text-white hover:bg-rose-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-200" data-testid="live-start">
            Start listening
          </button>
        ) : (
          <button type="button" disabled={view.status !== 'live'} onClick={() => void stop()} className="rounded-lg bg-slate-200 px-4 py-2 font-semibold text-slate-950 hover:bg-white disabled:opacity-60" data-testid="live-stop">
            {view.status === 'stopping' ? 'Storing…' : 'Stop and store'}
          </button>
        )}
        <p className="text-sm text-slate-300" role="status" data-testid="live-status">
          {view.status === 'idle' && 'Listens to the microphone; the audio goes to the service in half-second chunks.'}
          {view.status === 'starting' && 'Opening the microphone…'}
          {view.status === 'live' && `Listening: ${view.heardS.toFixed(1)} s analysed${view.session ? ` by ${view.session.model}, a ${view.session.window_s} s window every ${view.session.hop_s} s` : ''}${view.dropped ? `; ${view.dropped} windows dropped (behind real time)` : ''}`}
          {view.status === 'stopping' &&
            (view.job
              ? `Storing: the recording is analysed as a job (${view.job.stage || 'queued'}, ${Math.round(view.job.progress * 100)} %)…`
              : 'Ending the session…')}
          {view.status === 'stored' && `Stored: ${view.heardS.toFixed(1)} s${view.job ? ', analysed by its job after the stop' : ''}.`}
        </p>
        {view.status === 'stored' && view.analysisId && (
          <Link href={`/?id=${encodeURIComponent(view.analysisId)}`} className="rounded-lg bg-sky-500 px-3 py-1.5 text-sm font-semibold text-slate-950 hover:bg-sky-400" data-testid="live-stored-link">
            Open the stored analysis
          </Link>
        )}
      </div>
      {view.status === 'stopping' && view.job && (
        <progress className="h-2 w-full max-w-md accent-sky-500" max={1} value={view.job.progress} aria-label="Storing the session" data-testid="live-store-progress" />
      )}
      {view.error && (
        <p role="alert" className="rounded-md bg-rose-950 px-3 py-2 text-sm text-rose-100" data-testid="live-error">
          {view.error}
        </p>
      )}
      {view.warnings[0] && <p className="rounded-md bg-amber-950 px-3 py-2 text-sm text-amber-100">{view.warnings[0]}</p>}
      <Section title="Spectrogram" subtitle="The microphone as the model hears it (mel scale), the last 12 s; the session’s events over it.">
        <LiveSpectrogram analyser={analyser} streamTime={streamTime} events={view.events} open={view.open} top={view.top} pinned={pinned} />
      </Section>
      <div className="grid gap-4 lg:grid-cols-3">
        <Section title="Now" subtitle="The current window’s top classes">
          <NowList top={view.top} pinned={pinned} onPin={pin} />
        </Section>
        <Section title="Pinned" subtitle={running ? 'Reported in every window from when they are pinned, and counted' : 'Pinned classes are reported in every window and counted'}>
          <div className="flex gap-2">
            <input
              list="live-class-names"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && addTyped()}
              placeholder="Cough, Baby cry…"
              aria-label="Class to pin"
              className="min-w-0 flex-1 rounded-md border border-slate-700 bg-slate-950 px-2 py-1 text-sm text-white"
            />
            <button type="button" onClick={addTyped} className="rounded-md border border-slate-600 px-3 py-1 text-sm text-slate-200 hover:bg-slate-800">
              Pin
            </button>
            <datalist id="live-class-names">
              {names.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </div>
          <PinnedList pinned={pinned} watched={view.watched} top={view.top} counts={view.counts} onUnpin={(l) => setPinned((p) => p.filter((x) => x !== l))} />
        </Section>
        <Section title="Events" subtitle="As they end, newest first; counts per class">
          <EventList events={view.events} open={view.open} />
          <CountTable counts={view.counts} heardS={view.heardS} />
        </Section>
      </div>
    </div>
  );
}
