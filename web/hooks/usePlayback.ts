'use client';
// The audio element's position, updated every frame while playing so the
// playhead moves smoothly, and a seek that works before playback starts.
import { useCallback, useEffect, useRef, useState } from 'react';

export function usePlayback() {
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const [currentTime, setCurrentTime] = useState(0);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    let frame = 0;
    const tick = () => {
      setCurrentTime(audio.currentTime);
      if (!audio.paused && !audio.ended) frame = requestAnimationFrame(tick);
    };
    const start = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const sync = () => setCurrentTime(audio.currentTime);
    audio.addEventListener('play', start);
    audio.addEventListener('seeked', sync);
    audio.addEventListener('timeupdate', sync);
    audio.addEventListener('pause', sync);
    return () => {
      cancelAnimationFrame(frame);
      audio.removeEventListener('play', start);
      audio.removeEventListener('seeked', sync);
      audio.removeEventListener('timeupdate', sync);
      audio.removeEventListener('pause', sync);
    };
  });

  const seek = useCallback((timeS: number) => {
    const audio = audioRef.current;
    setCurrentTime(timeS);
    if (audio) {
      try {
        audio.currentTime = timeS;
      } catch {
        // The media is not loaded yet; the playhead still moves.
      }
    }
  }, []);

  return { audioRef, currentTime, seek };
}
