// The listening search's result in plain words: the smallest top part of the
// map (cells from the most relevant down) whose audio alone keeps the class at
// a set share of its probability (80 %), how much of the spectrogram that is,
// and what the model gives the kept and the removed audio. When no part under
// half the spectrogram keeps the class, that is said as a finding about the
// map, not a failure of the tool (docs/explanations.md, "Listening").
import type { Explanation } from './api-types';

export type ListenResult = NonNullable<Explanation['listen']>;

export type ListenVerdict = 'kept' | 'not-under-half' | 'absent';

export interface ListenWords {
  verdict: ListenVerdict;
  /** The finding, one sentence. */
  headline: string;
  /** The numbers behind it, one sentence. */
  detail: string;
}

/** A share as the page writes it: 14 %. */
export const percent = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(x * 100)} %`);
/** A probability as the page writes a clip's: 73 %, 4.5 % below 10 %. */
export const probability = (x: number | undefined) => {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const p = x * 100;
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)} %`;
};

/** What was listened to: the recording, or (an event's check) the event's window. */
export interface ListenPlace {
  /** "this recording" */
  here: string;
  /** "the whole recording" */
  whole: string;
}

export const RECORDING: ListenPlace = { here: 'this recording', whole: 'the whole recording' };

export function describeListening(r: ListenResult, label: string, place: ListenPlace = RECORDING): ListenWords {
  const whole = probability(r.probability);
  const kept = probability(r.kept_probability);
  const removed = probability(r.removed_probability);
  const share = percent(r.kept_fraction);
  const asked = percent(r.keep_fraction ?? 0.8);
  if (r.absent_class) {
    return {
      verdict: 'absent',
      headline: `${label} is absent from ${place.here} (${whole}), so there is nothing for the map to keep: what you hear is its top half, with no verdict.`,
      detail: `On that half the model gives ${label} ${kept}; on the rest, ${removed}.`,
    };
  }
  const numbers = `On it alone the model gives ${label} ${kept} (${place.whole} ${whole}); on everything else, ${removed}.`;
  if (r.under_half) {
    return {
      verdict: 'kept',
      headline: `What the model used: the map's top ${share} of the spectrogram keeps ${label} (at least ${asked} of its probability).`,
      detail: numbers,
    };
  }
  return {
    verdict: 'not-under-half',
    headline: `No part of the map under half of the spectrogram keeps ${label} at ${asked} of its probability: the map does not single out what the model used. This is a finding about the map, not a failure of the tool; another method's map may do better.`,
    detail: r.keeps_class
      ? `It takes the map's top ${share} to keep it. ${numbers}`
      : `The map's top ${share} still does not keep it. ${numbers}`,
  };
}
