// The stored upload, played back by the browser.
import type { RefObject } from 'react';

export default function AudioPlayer({ src, audioRef, filename }: { src: string; audioRef: RefObject<HTMLAudioElement | null>; filename?: string }) {
  return (
    <audio
      ref={audioRef}
      controls
      preload="metadata"
      src={src}
      className="w-full"
      aria-label={`Play ${filename ?? 'the recording'}`}
      data-testid="audio-player"
    >
      Your browser cannot play this audio. <a href={src}>Download it</a>.
    </audio>
  );
}
