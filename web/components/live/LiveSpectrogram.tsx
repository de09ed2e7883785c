'use client';
// The microphone's spectrogram scrolling right to left (the last 12 s), mel
// spaced up to 16 kHz as the model hears it, with what the session says over
// it: each event as a box over its time and the band of its evidence (open
// ones growing to now), and the current window's top class.
import { useEffect, useRef } from 'react';

import { spectrogramTable, tableIndex } from '@/lib/colormap';
import type { LiveEvent, LivePrediction } from '@/lib/live-session';
import { useWidth } from '@/hooks/useWidth';

const SECONDS = 12;
const HEIGHT = 180;
const MAX_HZ = 16000;
const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hzOfMel = (m: number) => 700 * (10 ** (m / 2595) - 1);
/** Fraction of the height (0 = bottom) of a frequency on the mel axis. */
const yOf = (hz: number) => mel(Math.min(MAX_HZ, Math.max(0, hz))) / mel(MAX_HZ);

interface Props {
  analyser: () => AnalyserNode | null;
  streamTime: () => number | null;
  events: LiveEvent[];
  open: LiveEvent[];
  top: LivePrediction[];
  pinned: string[];
}

export default function LiveSpectrogram({ analyser, streamTime, events, open, top, pinned }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const picture = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  // The drawing loop reads the latest marks without restarting (and clearing the picture) at every line.
  const marks = useRef({ events, open, top, pinned });
  useEffect(() => {
    marks.current = { events, open, top, pinned };
  }, [events, open, top, pinned]);

  useEffect(() => {
    const canvas = picture.current;
    const over = overlay.current;
    if (!canvas || !over || width <= 0) return;
    const g = canvas.getContext('2d');
    const o = over.getContext('2d');
    if (!g || !o) return;
    const table = spectrogramTable('magma');
    const pxPerS = width / SECONDS;
    let last: number | null = null;
    let carry = 0;
    let frame = 0;
    let bins: Uint8Array<ArrayBuffer> | null = null;
    // For each row of the picture, the analyser bin it shows (mel spaced).
    let rowBin: Int32Array | null = null;
    const draw = () => {
      frame = requestAnimationFrame(draw);
      const a = analyser();
      const now = streamTime();
      if (!a || now === null) return;
      if (!bins || bins.length !== a.frequencyBinCount) {
        bins = new Uint8Array(a.frequencyBinCount);
        rowBin = new Int32Array(HEIGHT);
        const nyquist = a.context.sampleRate / 2;
        for (let y = 0; y < HEIGHT; y++) {
          const hz = hzOfMel(((HEIGHT - 1 - y + 0.5) / HEIGHT) * mel(MAX_HZ));
          rowBin[y] = hz > nyquist ? -1 : Math.min(a.frequencyBinCount - 1, Math.round((hz / nyquist) * a.frequencyBinCount));
        }
      }
      carry += last === null ? 0 : (now - last) * pxPerS;
      last = now;
      const dx = Math.floor(carry);
      if (dx > 0) {
        carry -= dx;
        a.getByteFrequencyData(bins);
        g.drawImage(canvas, -dx, 0);
        const column = g.createImageData(dx, HEIGHT);
        for (let y = 0; y < HEIGHT; y++) {
          const bin = rowBin![y]!;
          const k = bin < 0 ? 0 : tableIndex(bins[bin]! / 255) * 3;
          for (let x = 0; x < dx; x++) {
            const p = (y * dx + x) * 4;
            column.data[p] = table[k]!;
            column.data[p + 1] = table[k + 1]!;
            column.data[p + 2] = table[k + 2]!;
            column.data[p + 3] = 255;
          }
        }
        g.putImageData(column, width - dx, 0);
      }
      // What the session says, over it.
      o.clearRect(0, 0, width, HEIGHT);
      const xOf = (t: number) => width - (now - t) * pxPerS;
      const { events: done, open: growing, top: current, pinned: pins } = marks.current;
      let drawn = 0;
      const box = (e: LiveEvent, end: number, live: boolean) => {
        const x0 = xOf(e.onset_s);
        const x1 = xOf(end);
        if (x1 < 0) return;
        const y0 = HEIGHT * (1 - yOf(e.high_hz ?? MAX_HZ));
        const y1 = HEIGHT * (1 - yOf(e.low_hz ?? 0));
        const watched = pins.includes(e.label);
        o.strokeStyle = live ? '#fbbf24' : watched ? '#38bdf8' : '#e2e8f0';
        o.lineWidth = live || watched ? 2 : 1;
        o.setLineDash(live ? [5, 3] : []);
        o.strokeRect(x0, y0, Math.max(2, x1 - x0), Math.max(2, y1 - y0));
        o.fillStyle = o.strokeStyle;
        o.font = '12px system-ui, sans-serif';
        // Labels on three rows inside the box's top, so that neighbours do not print over each other.
        o.fillText(e.label, Math.max(2, x0 + 3), y0 + 14 + (drawn++ % 3) * 14);
      };
      for (const e of done) if (now - e.offset_s < SECONDS) box(e, e.offset_s, false);
      for (const e of growing) box(e, now, true);
      if (current[0]) {
        const text = `now: ${current[0].label} ${(current[0].probability * 100).toFixed(0)} %`;
        o.font = 'bold 13px system-ui, sans-serif';
        const w = o.measureText(text).width;
        o.fillStyle = 'rgba(2, 6, 23, 0.75)';
        o.fillRect(width - w - 14, 4, w + 10, 20);
        o.fillStyle = '#f8fafc';
        o.fillText(text, width - w - 9, 19);
      }
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [analyser, streamTime, width]);

  return (
    <figure className="flex flex-col gap-1">
      <div ref={box} className="relative w-full overflow-hidden rounded-md bg-black" style={{ height: HEIGHT }}>
        <canvas ref={picture} width={Math.max(1, width)} height={HEIGHT} className="absolute inset-0" data-testid="live-spectrogram" />
        <canvas ref={overlay} width={Math.max(1, width)} height={HEIGHT} className="absolute inset-0" aria-hidden="true" />
        <span className="absolute left-1 top-1 text-[11px] text-slate-300">16 kHz</span>
        <span className="absolute bottom-1 left-1 text-[11px] text-slate-300">0 Hz · mel scale</span>
      </div>
      <div className="flex justify-between text-xs text-slate-400" aria-hidden="true">
        <span>−{SECONDS} s</span>
        <span>now</span>
      </div>
      <figcaption className="text-xs text-slate-400">
        Boxes: events over their time and the band of their evidence (dashed: still going; blue: pinned).
      </figcaption>
    </figure>
  );
}
