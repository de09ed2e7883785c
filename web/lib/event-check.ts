// An event's checks in a few words, for its row in the events table: the
// faithfulness verdict and the listening search of the map computed on the
// event's own window (explanation?event=N&listen=1), said with the same logic
// and words as the whole recording's checks (lib/trust.ts, lib/listening.ts):
// "Faithful · kept 81 % vs removed 12 % (14 % of the spectrogram)", "Not
// faithful", "Class absent: no verdict", and, when no part under half the
// spectrogram keeps the class, that finding about the map.
import type { AudioEvent, EventExplanation } from './api-types';
import { formatSpan } from './format';
import { describeListening, percent, probability, type ListenPlace } from './listening';
import { shownEvent } from './review';
import { describeFaithfulness } from './trust';

export type EventCheckVerdict = 'faithful' | 'not-faithful' | 'worse' | 'absent' | 'unmeasured';

export interface EventCheckWords {
  verdict: EventCheckVerdict;
  /** The listening search's verdict (lib/listening.ts), null when it was not sent. */
  listening: 'kept' | 'not-under-half' | 'absent' | null;
  /** The verdict in a word or three: "Faithful", "Not faithful", "Class absent: no verdict". */
  headline: string;
  /** The listening search's numbers, compact; null when absent or not sent. */
  numbers: string | null;
  /** headline and numbers as one line for the row. */
  line: string;
  /** The full sentences behind it (the whole recording's wording), for "why". */
  sentences: string[];
}

/**
 * The key a check is kept under: the analysis, the event's place, the method,
 * and the event as reviewed (class and times), since the server explains the
 * reviewed class on the reviewed window: a relabelled event is checked anew.
 */
export function eventCheckKey(analysisId: string, event: AudioEvent, method: string): string {
  const e = shownEvent(event);
  return [analysisId, event.position, method, e.index, e.onset_s, e.offset_s].join('|');
}

const WINDOW: ListenPlace = { here: "this event's window", whole: "the event's window" };

export function describeEventCheck(x: EventExplanation): EventCheckWords {
  const label = x.event.label || x.label;
  const f = x.faithfulness;
  const l = x.listen;
  const faith = f ? describeFaithfulness(f, label, WINDOW.here) : null;
  const heard = l ? describeListening(l, label, WINDOW) : null;
  const where = `Checked on ${formatSpan(x.window.start_s, x.window.end_s)}, the event's own window.`;
  const sentences = [faith?.verdictText, ...(faith?.checks ?? []), heard?.headline, heard?.detail, where].filter((s): s is string => !!s);
  const listening = heard?.verdict ?? null;
  if (faith?.verdict === 'absent' || listening === 'absent') {
    const headline = 'Class absent: no verdict';
    return { verdict: 'absent', listening, headline, numbers: null, line: headline, sentences };
  }
  const verdict: EventCheckVerdict = faith === null ? 'unmeasured' : faith.verdict === 'better' ? 'faithful' : faith.verdict === 'worse' ? 'worse' : 'not-faithful';
  const headline = {
    faithful: 'Faithful',
    'not-faithful': 'Not faithful',
    worse: 'Not faithful: worse than a random map',
    unmeasured: 'Faithfulness not measured',
    absent: '',
  }[verdict];
  let numbers: string | null = null;
  if (l && listening === 'kept') numbers = `kept ${probability(l.kept_probability)} vs removed ${probability(l.removed_probability)} (${percent(l.kept_fraction)} of the spectrogram)`;
  else if (l && listening === 'not-under-half') numbers = `no part under half the spectrogram keeps ${label}`;
  return { verdict, listening, headline, numbers, line: numbers ? `${headline} · ${numbers}` : headline, sentences };
}
