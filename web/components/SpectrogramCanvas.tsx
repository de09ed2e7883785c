'use client';
// The canvas with the spectrogram and the Grad-CAM overlay. Redraws the CAM
// layer only when the class or the size changes; opacity only recomposes.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import type { Explanation, Spectrogram } from '@/lib/api-types';
import { camLayer, compose, spectrogramLayer } from '@/lib/draw-layers';
import { spanFraction } from '@/lib/extent';

interface Props {
  spectrogram: Spectrogram | null;
  explanation: Explanation | null;
  durationS: number;
  opacity: number;
  label: string;
  /** Called after each complete draw, with what was on it. */
  onDrawn?: (what: { spectrogram: boolean; cam: boolean }) => void;
}

function useCanvasSize(ref: React.RefObject<HTMLDivElement | null>) {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const box = element.getBoundingClientRect();
      setSize({ width: Math.round(box.width), height: Math.round(box.height) });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

export default function SpectrogramCanvas({ spectrogram, explanation, durationS, opacity, label, onDrawn }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const size = useCanvasSize(boxRef);
  const ratio = typeof window === 'undefined' ? 1 : Math.min(2, window.devicePixelRatio || 1);
  const width = Math.round(size.width * ratio);
  const height = Math.round(size.height * ratio);

  const specSpan = spectrogram ? spanFraction(spectrogram.cols, spectrogram.seconds_per_column, durationS) : 1;
  const camSpan = explanation ? spanFraction(explanation.cols, explanation.seconds_per_column, durationS) : 1;

  // Layers are pure functions of their inputs: built during render, only on the client.
  const specLayer = useMemo(
    () => (spectrogram && typeof document !== 'undefined' ? spectrogramLayer(spectrogram) : null),
    [spectrogram],
  );
  const cam = useMemo(() => {
    if (!explanation || width < 1 || height < 1 || typeof document === 'undefined') return null;
    return camLayer(explanation, Math.max(1, Math.round(width * Math.min(camSpan, 2))), height);
  }, [explanation, width, height, camSpan]);

  const onDrawnRef = useRef(onDrawn);
  useEffect(() => {
    onDrawnRef.current = onDrawn;
  }, [onDrawn]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width < 1 || height < 1) return;
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return;
    compose(context, { width, height, spectrogram: specLayer, spectrogramSpan: specSpan, cam, camSpan, opacity });
    canvas.dataset.drawn = `${specLayer ? 'spectrogram' : ''}${cam ? '+cam' : ''}`;
    onDrawnRef.current?.({ spectrogram: specLayer !== null, cam: cam !== null });
  }, [width, height, specLayer, specSpan, cam, camSpan, opacity]);

  return (
    <div ref={boxRef} className="absolute inset-0">
      <canvas
        ref={canvasRef}
        data-testid="heatmap-canvas"
        data-class-index={explanation?.index ?? ''}
        role="img"
        aria-label={label}
        className="block h-full w-full"
      />
    </div>
  );
}
