'use client';
// A live session in the page: the microphone through an AudioWorklet into
// chunks (lib/live-session.ts), the session's lines from its event stream
// folded into what the page shows (the current window, events, counts), and
// the stop that stores it. The AnalyserNode is handed out for the scrolling
// spectrogram.
import { useCallback, useEffect, useRef, useState } from 'react';

import { EMPTY, foldLine, type LiveLine, type LiveView } from '@/lib/live-lines';
import { ChunkSender, createLiveSession, liveEventsUrl, LiveRequestError, stopLiveSession, watchLiveClass, type LiveSessionInfo } from '@/lib/live-session';

export type { LiveStatus, LiveView } from '@/lib/live-lines';

interface Graph {
  context: AudioContext;
  stream: MediaStream;
  node: AudioWorkletNode;
  analyser: AnalyserNode;
  startedAt: number; // context time of the session's first sample
}

export function useLiveSession() {
  const [view, setView] = useState<LiveView>(EMPTY);
  const graph = useRef<Graph | null>(null);
  const sender = useRef<ChunkSender | null>(null);
  const source = useRef<EventSource | null>(null);
  const lastLine = useRef(0);
  const ended = useRef(false);

  const release = useCallback(() => {
    const g = graph.current;
    graph.current = null;
    if (!g) return;
    g.node.port.onmessage = null;
    g.stream.getTracks().forEach((t) => t.stop());
    void g.context.close();
  }, []);

  const fail = useCallback(
    (message: string) => {
      release();
      sender.current?.close();
      source.current?.close();
      setView((v) => ({ ...v, status: 'error', error: message }));
    },
    [release],
  );

  const follow = useCallback((id: string) => {
    const open = (): void => {
      const es = new EventSource(`${liveEventsUrl(id)}?after=${lastLine.current}`);
      source.current = es;
      es.onmessage = (event: MessageEvent<string>) => {
        lastLine.current = Number(event.lastEventId) || lastLine.current;
        const line = JSON.parse(event.data) as LiveLine;
        if (line.type === 'stored' || line.type === 'error') {
          ended.current = true;
          es.close();
        }
        setView((v) => foldLine(v, line));
      };
      es.onerror = () => {
        es.close();
        // The stream resumes after the last line seen (the browser's own retry would start it over).
        if (!ended.current) window.setTimeout(() => !ended.current && open(), 1000);
      };
    };
    open();
  }, []);

  const start = useCallback(
    async (classes: string[]) => {
      if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
        setView({ ...EMPTY, status: 'error', error: 'This browser cannot capture audio for a live session.' });
        return;
      }
      setView({ ...EMPTY, status: 'starting' });
      ended.current = false;
      lastLine.current = 0;
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 } });
      } catch (error) {
        const denied = error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
        setView({ ...EMPTY, status: 'error', error: denied ? 'Microphone access was refused. Allow it in the browser’s site settings.' : 'No microphone could be opened.' });
        return;
      }
      const context = new AudioContext();
      let session: LiveSessionInfo;
      try {
        await context.audioWorklet.addModule('/live-worklet.js');
        session = await createLiveSession(context.sampleRate, classes);
      } catch (error) {
        stream.getTracks().forEach((t) => t.stop());
        void context.close();
        setView({ ...EMPTY, status: 'error', error: error instanceof Error ? error.message : String(error) });
        return;
      }
      const input = context.createMediaStreamSource(stream);
      const analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      analyser.smoothingTimeConstant = 0;
      // Chunks of half a second at the context's rate (the service resamples to 32 kHz).
      const node = new AudioWorkletNode(context, 'live-capture', { processorOptions: { chunkSamples: Math.round(context.sampleRate / 2) } });
      const mute = context.createGain();
      mute.gain.value = 0;
      input.connect(analyser);
      input.connect(node).connect(mute).connect(context.destination);
      const send = new ChunkSender(
        session.id,
        (answer) => {
          // The server's longest recording: the session ended there and is being stored (its job's lines follow).
          if (answer.analysis_id) {
            release();
            setView((v) => ({ ...v, status: 'stored', analysisId: answer.analysis_id }));
          } else if (answer.job_id) {
            release();
            const job = answer.job_id;
            setView((v) => ({ ...v, status: 'stopping', job: v.job ?? { id: job, stage: 'queued', progress: 0 } }));
          }
        },
        (error: LiveRequestError) => fail(`The session stopped taking audio: ${error.message}`),
      );
      sender.current = send;
      node.port.onmessage = (event: MessageEvent<ArrayBuffer>) => send.push(new Int16Array(event.data));
      graph.current = { context, stream, node, analyser, startedAt: context.currentTime };
      follow(session.id);
      setView((v) => ({ ...v, status: 'live', session }));
    },
    [fail, follow, release],
  );

  const stop = useCallback(async () => {
    const g = graph.current;
    const id = view.session?.id;
    if (!id) return;
    setView((v) => ({ ...v, status: 'stopping' }));
    if (g) {
      g.node.port.postMessage('flush');
      await new Promise((r) => setTimeout(r, 100)); // the worklet's last partial chunk
      g.stream.getTracks().forEach((t) => t.stop());
    }
    await sender.current?.drained();
    sender.current?.close();
    release();
    try {
      // Returns at once: the analysis is a job, whose progress and end (`stored`) come on the event stream.
      const stopped = await stopLiveSession(id);
      const job = stopped.job_id;
      if (stopped.analysis_id) setView((v) => ({ ...v, status: 'stored', analysisId: stopped.analysis_id }));
      else if (job) setView((v) => (v.status === 'stored' ? v : { ...v, job: v.job ?? { id: job, stage: 'queued', progress: 0 } }));
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }, [fail, release, view.session?.id]);

  /** Watches a class from now on (a session running); refused pins are said, the session goes on. */
  const watch = useCallback(
    async (label: string) => {
      const id = view.session?.id;
      if (!id || view.status !== 'live') return;
      try {
        await watchLiveClass(id, label);
      } catch (error) {
        setView((v) => ({ ...v, warnings: [`${label} could not be pinned: ${error instanceof Error ? error.message : String(error)}`, ...v.warnings].slice(0, 5) }));
      }
    },
    [view.session?.id, view.status],
  );

  useEffect(
    () => () => {
      ended.current = true;
      source.current?.close();
      sender.current?.close();
      release();
    },
    [release],
  );

  const analyser = useCallback(() => graph.current?.analyser ?? null, []);
  const streamTime = useCallback(() => {
    const g = graph.current;
    return g ? g.context.currentTime - g.startedAt : null;
  }, []);

  return { view, start, stop, watch, analyser, streamTime };
}
