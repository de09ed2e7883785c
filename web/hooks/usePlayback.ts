'use client';
// The audio element's position, updated every frame while playing so the
// playhead moves smoothly, and a seek that works before playback starts.
import { useCallback, useEffect, useRef, useState } from 'react';

export function usePlayback() {
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const [currentTime, setCurrentTime] = useState(0);

  // Bound once: the audio element lives as long as the component using this hook.
  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    let frame = 0;
    const tick = () => {
      setCurrentTime(audio.currentTime);
      frame = !audio.paused && !audio.ended ? requestAnimationFrame(tick) : 0;
    };
    const start = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const stop = () => {
      cancelAnimationFrame(frame);
      frame = 0;
      setCurrentTime(audio.currentTime);
    };
    const sync = () => {
      // While the loop runs it already follows the audio every frame.
      if (frame === 0) setCurrentTime(audio.currentTime);
    };
    audio.addEventListener('play', start);
    audio.addEventListener('pause', stop);
    audio.addEventListener('ended', stop);
    audio.addEventListener('seeked', sync);
    audio.addEventListener('timeupdate', sync);
    if (!audio.paused && !audio.ended) start();
    return () => {
      cancelAnimationFrame(frame);
      audio.removeEventListener('play', start);
      audio.removeEventListener('pause', stop);
      audio.removeEventListener('ended', stop);
      audio.removeEventListener('seeked', sync);
      audio.removeEventListener('timeupdate', sync);
    };
  }, []);

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
