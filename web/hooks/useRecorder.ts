'use client';
// Microphone recording with MediaRecorder (WebM/Opus where the browser has
// it), a live level from an AnalyserNode, and the elapsed time.
import { useCallback, useEffect, useRef, useState } from 'react';

export type RecorderState = 'idle' | 'starting' | 'recording';

const PREFERRED_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
const MAX_SECONDS = 600;

function pickMimeType(): string | undefined {
  if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported) return undefined;
  return PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
}

function extensionFor(type: string): string {
  if (type.includes('ogg')) return 'ogg';
  if (type.includes('mp4')) return 'm4a';
  return 'webm';
}

interface Session {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  frame: number;
  timer: number;
}

export function useRecorder(onDone: (file: File) => void, onError: (message: string) => void) {
  const [state, setState] = useState<RecorderState>('idle');
  const [level, setLevel] = useState(0);
  const [elapsed, setElapsed] = useState(0);
  const session = useRef<Session | null>(null);
  const callbacks = useRef({ onDone, onError });
  useEffect(() => {
    callbacks.current = { onDone, onError };
  }, [onDone, onError]);

  const release = useCallback(() => {
    const s = session.current;
    if (!s) return;
    cancelAnimationFrame(s.frame);
    clearInterval(s.timer);
    s.stream.getTracks().forEach((track) => track.stop());
    void s.context.close().catch(() => undefined);
    session.current = null;
    setLevel(0);
  }, []);

  // Leaving the page discards a recording in progress: stopping its tracks makes
  // MediaRecorder fire stop, which must not upload it from another page.
  useEffect(() => () => {
    const recorder = session.current?.recorder;
    if (recorder) {
      recorder.onstop = null;
      recorder.ondataavailable = null;
    }
    release();
  }, [release]);

  const stop = useCallback(() => {
    const recorder = session.current?.recorder;
    if (recorder && recorder.state !== 'inactive') recorder.stop();
  }, []);

  const start = useCallback(async () => {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      callbacks.current.onError('This browser cannot record audio. Upload a file instead.');
      return;
    }
    setState('starting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (error) {
      setState('idle');
      const denied = error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'SecurityError');
      callbacks.current.onError(denied
        ? 'Microphone access was refused. Allow it in the browser’s site settings, or upload a file instead.'
        : 'No microphone could be opened. Check that one is connected, or upload a file instead.');
      return;
    }
    const mimeType = pickMimeType();
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => event.data.size > 0 && chunks.push(event.data);
    recorder.onstop = () => {
      const type = recorder.mimeType || mimeType || 'audio/webm';
      release();
      setState('idle');
      const blob = new Blob(chunks, { type });
      if (blob.size === 0) {
        callbacks.current.onError('The recording is empty. Try again and speak or play a sound near the microphone.');
        return;
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
      callbacks.current.onDone(new File([blob], `recording-${stamp}.${extensionFor(type)}`, { type }));
    };

    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const began = performance.now();
    const s: Session = { stream, recorder, context, frame: 0, timer: 0 };
    const meter = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      const rms = Math.sqrt(sum / samples.length);
      // dBFS from -60 to 0 mapped onto 0..1.
      setLevel(Math.max(0, Math.min(1, (20 * Math.log10(rms + 1e-9) + 60) / 60)));
      s.frame = requestAnimationFrame(meter);
    };
    s.timer = window.setInterval(() => {
      const seconds = (performance.now() - began) / 1000;
      setElapsed(seconds);
      if (seconds >= MAX_SECONDS) stop();
    }, 100);
    session.current = s;
    setElapsed(0);
    recorder.start(250);
    setState('recording');
    meter();
  }, [release, stop]);

  return { state, level, elapsed, start, stop };
}
