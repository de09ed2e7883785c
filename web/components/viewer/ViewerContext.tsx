'use client';
// The shared state of one analysis on screen: the visible time span (zoom and
// pan), a selection, the playhead, the classes shown (pinned classes persist
// in the URL as ?pin=47,49), the explained class, method, contrast, cells
// mode and the picture's look. The playhead lives in its own context because
// it changes every frame while playing.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';

import { DEFAULT_METHOD, type Analysis, type Explanation } from '@/lib/api-types';
import { useCapabilities, type Capabilities } from '@/lib/capabilities';
import { DEFAULT_LOOK, LONG_LOOK, type SpectrogramLook } from '@/lib/draw-layers';
import { clampView, panView, zoomView, type TimeView } from '@/lib/time-view';
import { usePlayback } from '@/hooks/usePlayback';
import { useExplanationStore, type Entry, type ExplanationStore } from '@/hooks/useExplanationStore';

export interface Viewer {
  analysis: Analysis;
  durationS: number;
  caps: Capabilities;
  setView: (start: number, end: number) => void;
  zoomBy: (factor: number, anchorS?: number) => void;
  panBy: (deltaS: number) => void;
  setSelection: (selection: TimeView | null) => void;
  /** The class whose map is shown. */
  selectedClass: number | null;
  selectClass: (index: number, label?: string) => void;
  pinned: number[];
  togglePin: (index: number) => void;
  method: string;
  setMethod: (method: string) => void;
  contrast: number | null;
  setContrast: (index: number | null) => void;
  cells: boolean;
  setCells: (cells: boolean) => void;
  look: SpectrogramLook;
  setLook: (look: SpectrogramLook) => void;
  opacity: number;
  setOpacity: (opacity: number) => void;
  store: ExplanationStore;
  /** The entry for the selected class, method and contrast. */
  current: Entry | undefined;
  /** The last explanation that was ready (shown while another loads). */
  shown: Explanation | null;
  audioRef: RefObject<HTMLAudioElement | null>;
  seek: (timeS: number) => void;
  /** Plays [start, end] and stops at its end. */
  playRange: (startS: number, endS: number) => void;
  /** Scrolls the spectrogram into view unless all of it is on screen already. */
  revealPicture: () => void;
  /** Labels of classes the page knows (predictions, timeline, events, search). */
  labelOf: (index: number) => string;
  /** The classes whose map was on screen, each with the method it was shown with, in the order seen (the report's view). */
  viewed: { index: number; method: string }[];
  /** The first map is on screen: the parts below it may mount now (they would delay it otherwise). */
  settled: boolean;
  settle: () => void;
}

const ViewerCtx = createContext<Viewer | null>(null);
const PlayheadCtx = createContext(0);
// The visible span and the selection change on every zoom step: only the parts drawn on the time axis read them.
const TimeViewCtx = createContext<{ view: TimeView; selection: TimeView | null }>({ view: { start: 0, end: 1 }, selection: null });

export function useTimeView(): { view: TimeView; selection: TimeView | null } {
  return useContext(TimeViewCtx);
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerCtx);
  if (!viewer) throw new Error('useViewer outside ViewerProvider');
  return viewer;
}

export function usePlayhead(): number {
  return useContext(PlayheadCtx);
}

export function pinsFromUrl(): number[] {
  if (typeof window === 'undefined') return [];
  const raw = new URLSearchParams(window.location.search).get('pin') ?? '';
  return raw.split(',').filter((s) => s.trim() !== '').map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n < 527);
}

function writePinsToUrl(pins: number[]): void {
  const params = new URLSearchParams(window.location.search);
  if (pins.length) params.set('pin', pins.join(','));
  else params.delete('pin');
  const query = params.toString().replace(/%2C/g, ',');
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

export function ViewerProvider({ analysis, children }: { analysis: Analysis; children: ReactNode }) {
  const caps = useCapabilities();
  const durationS = Math.max(analysis.duration_s, 1e-3);
  // ?t=SECONDS (a row of a batch's event table) opens the result zoomed around that moment.
  const [view, setViewState] = useState<TimeView>(() => {
    const t = typeof window === 'undefined' ? NaN : Number(new URLSearchParams(window.location.search).get('t'));
    return Number.isFinite(t) && t > 0 ? clampView(t - 2, t + 3, durationS) : { start: 0, end: durationS };
  });
  const [selection, setSelection] = useState<TimeView | null>(null);
  const firstClass = analysis.explanations[0]?.index ?? analysis.predictions[0]?.index ?? null;
  const [pinned, setPinned] = useState<number[]>(() => [...new Set([...pinsFromUrl(), ...analysis.classes])]);
  const [selectedClass, setSelectedClass] = useState<number | null>(() => pinsFromUrl()[0] ?? firstClass);
  const [method, setMethod] = useState<string>(DEFAULT_METHOD);
  const [contrast, setContrast] = useState<number | null>(null);
  const [cellsChoice, setCells] = useState(false);
  const [look, setLook] = useState<SpectrogramLook>(analysis.timeline.length > 1 ? LONG_LOOK : DEFAULT_LOOK);
  const [opacity, setOpacity] = useState(0.65);
  const [settled, setSettled] = useState(false);
  const settle = useCallback(() => setSettled(true), []);
  useEffect(() => {
    // Without a map or a spectrogram to draw, the rest still comes.
    const timer = window.setTimeout(settle, 1500);
    return () => window.clearTimeout(timer);
  }, [settle]);
  const store = useExplanationStore(analysis.id, analysis.explanations);
  const { audioRef, currentTime, seek } = usePlayback();

  const setView = useCallback((start: number, end: number) => setViewState(clampView(start, end, durationS)), [durationS]);
  const zoomBy = useCallback((factor: number, anchorS?: number) => setViewState((v) => zoomView(v, factor, anchorS ?? (v.start + v.end) / 2, durationS)), [durationS]);
  const panBy = useCallback((deltaS: number) => setViewState((v) => panView(v, deltaS, durationS)), [durationS]);

  const togglePin = useCallback((index: number) => {
    setPinned((before) => {
      const next = before.includes(index) ? before.filter((i) => i !== index) : [...before, index];
      writePinsToUrl(next);
      return next;
    });
  }, []);
  useEffect(() => {
    if (pinned.length) writePinsToUrl(pinned);
    // Only once: later changes are written by togglePin.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const query = useMemo(
    () => (selectedClass === null ? null : { classIndex: selectedClass, method, contrast }),
    [selectedClass, method, contrast],
  );
  const { ensure, get } = store;
  useEffect(() => {
    if (query) ensure(query);
  }, [query, ensure]);
  const current = query ? get(query) : undefined;
  const [lastShown, setLastShown] = useState<Explanation | null>(analysis.explanations[0] ?? null);
  if (current?.status === 'ready' && current.data !== lastShown) setLastShown(current.data);
  const shown = current?.status === 'ready' ? current.data : lastShown;
  const [viewed, setViewed] = useState<{ index: number; method: string }[]>([]);
  // Noted while rendering, as lastShown is. A contrast map explains a difference of two classes, not the class: the report draws the class's own.
  if (current?.status === 'ready' && selectedClass !== null && contrast === null && !viewed.some((v) => v.index === selectedClass && v.method === method)) {
    setViewed([...viewed, { index: selectedClass, method }]);
  }
  const cells = cellsChoice || (shown !== null && shown.cols < 2);

  // Playing a range stops at its end.
  const stopAt = useRef<number | null>(null);
  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    const check = () => {
      if (stopAt.current !== null && audio.currentTime >= stopAt.current) {
        audio.pause();
        stopAt.current = null;
      }
    };
    audio.addEventListener('timeupdate', check);
    return () => audio.removeEventListener('timeupdate', check);
  }, [audioRef]);
  const playRange = useCallback((startS: number, endS: number) => {
    seek(startS);
    stopAt.current = endS;
    void audioRef.current?.play().catch(() => undefined);
  }, [audioRef, seek]);

  const revealPicture = useCallback(() => {
    const picture = document.getElementById('viewer-picture');
    if (!picture) return;
    const box = picture.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    picture.scrollIntoView({ block: box.height < window.innerHeight * 0.8 ? 'center' : 'start', behavior: still ? 'auto' : 'smooth' });
  }, []);

  const labels = useMemo(() => {
    const map = new Map<number, string>();
    const add = (index: number | null, label: string) => index !== null && !map.has(index) && map.set(index, label);
    analysis.predictions.forEach((p) => add(p.index, p.label));
    analysis.explanations.forEach((e) => add(e.index, e.label));
    analysis.timeline.forEach((w) => [...w.classes, ...w.predictions].forEach((p) => add(p.index, p.label)));
    analysis.events?.forEach((e) => add(e.index, e.label));
    return map;
  }, [analysis]);
  const [searched, setSearched] = useState<Map<number, string>>(new Map());
  const labelOf = useCallback((index: number) => labels.get(index) ?? searched.get(index) ?? `class ${index}`, [labels, searched]);
  const selectClass = useCallback((index: number, label?: string) => {
    if (label) setSearched((m) => (m.has(index) ? m : new Map(m).set(index, label)));
    setSelectedClass(index);
  }, []);

  const viewer = useMemo<Viewer>(() => ({
    analysis, durationS, caps, setView, zoomBy, panBy, setSelection,
    selectedClass, selectClass, pinned, togglePin, method, setMethod, contrast, setContrast,
    cells, setCells, look, setLook, opacity, setOpacity, store, current, shown, audioRef, seek, playRange, revealPicture, labelOf, viewed, settled, settle,
  }), [analysis, durationS, caps, setView, zoomBy, panBy, selectedClass, selectClass, pinned, togglePin,
    method, contrast, cells, look, opacity, store, current, shown, audioRef, seek, playRange, revealPicture, labelOf, viewed, settled, settle]);

  const timeView = useMemo(() => ({ view, selection }), [view, selection]);
  return (
    <ViewerCtx.Provider value={viewer}>
      <TimeViewCtx.Provider value={timeView}>
        <PlayheadCtx.Provider value={currentTime}>{children}</PlayheadCtx.Provider>
      </TimeViewCtx.Provider>
    </ViewerCtx.Provider>
  );
}
