// Faithfulness in plain words: each deletion check as a sentence with its
// margin, and a verdict that needs a margin over the random map, not only a
// sign (0.01 against 0.00 is noise, not "better than chance").
import type { Faithfulness } from './api-types';

/**
 * The margin over a random map of the same cells that the score must clear to
 * count as better (or worse) than chance. The score is on a 0-to-about-1
 * scale (below); random maps of real clips land within about ±0.05 of 0, so
 * 0.1 is twice that spread.
 */
export const FAITHFULNESS_MARGIN = 0.1;

export type Verdict = 'better' | 'unclear' | 'worse' | 'absent';

export interface FaithfulnessWords {
  verdict: Verdict;
  /** score - random score (random taken as 0 when the server sent none). */
  margin: number;
  /** The verdict as one sentence. */
  verdictText: string;
  /** The checks, each a sentence with its margin. */
  checks: string[];
  /** What the score's scale means. */
  scale: string;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;
const times = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, ''));
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

export function faithfulnessVerdict(score: number | null, randomScore: number | null): { verdict: Verdict; margin: number } {
  if (score === null) return { verdict: 'unclear', margin: NaN };
  const margin = score - (randomScore !== null && Number.isFinite(randomScore) ? randomScore : 0);
  if (!Number.isFinite(margin)) return { verdict: 'unclear', margin: NaN };
  return { verdict: margin >= FAITHFULNESS_MARGIN ? 'better' : margin <= -FAITHFULNESS_MARGIN ? 'worse' : 'unclear', margin };
}

/** `here`: what was checked, "this recording" or (an event's check) "this event's window". */
export function describeFaithfulness(f: Faithfulness, label: string, here = 'this recording'): FaithfulnessWords {
  if (f.absent_class || f.score === null) {
    // The class is (nearly) absent from the clip: deleting cells cannot lower it, so there is nothing to judge.
    return {
      verdict: 'absent',
      margin: NaN,
      verdictText: `No verdict: ${label} is absent from ${here}, so removing parts of it cannot show what the model uses for it.`,
      checks: f.message ? [f.message.charAt(0).toUpperCase() + f.message.slice(1) + '.'] : [],
      scale: '',
    };
  }
  const { verdict, margin } = faithfulnessVerdict(f.score, f.random_score);
  const random = f.random_score;
  const checks: string[] = [];
  if (f.morf_auc !== null && f.lerf_auc !== null) {
    // The areas are the probability kept on average while 0 to 100 % of the cells go, as a share of the original.
    const dropTop = 1 - f.morf_auc;
    const dropBottom = 1 - f.lerf_auc;
    let pace: string;
    if (dropTop <= 0.01) pace = `Removing the map's top cells first does not lower ${label}.`;
    else if (dropBottom <= 0.01) pace = `Removing the map's top cells first lowers ${label} (to ${percent(f.morf_auc)} of its probability on average), while removing its bottom cells first does not lower it at all.`;
    else {
      const ratio = dropTop / dropBottom;
      pace = ratio >= 1.05
        ? `Removing the map's top cells first lowers ${label} ${times(ratio)}× faster than removing its bottom cells first (it keeps ${percent(f.morf_auc)} against ${percent(f.lerf_auc)} of its probability on average).`
        : ratio > 1 / 1.05
          ? `Removing the map's top cells first lowers ${label} about as fast as removing its bottom cells first (it keeps ${percent(f.morf_auc)} against ${percent(f.lerf_auc)} on average): the map does not tell them apart.`
          : `Removing the map's top cells first lowers ${label} ${times(1 / ratio)}× slower than removing its bottom cells first (it keeps ${percent(f.morf_auc)} against ${percent(f.lerf_auc)} on average): the map has it backwards.`;
    }
    checks.push(pace);
  }
  checks.push(random === null
    ? `This map separates what ${label} depends on from the rest by ${f.score.toFixed(2)}; the server sent no random map to compare with.`
    : `This map separates what ${label} depends on from the rest by ${f.score.toFixed(2)}, a random map of the same cells by ${random.toFixed(2)}: a margin of ${signed(margin)} (at least ${FAITHFULNESS_MARGIN.toFixed(2)} is needed to count).`);
  const verdictText = verdict === 'better'
    ? `The map points at what the model uses: clearly better than a random map (margin ${signed(margin)}).`
    : verdict === 'worse'
      ? `The map points away from what the model uses: worse than a random map (margin ${signed(margin)}). Do not rely on it.`
      : `The map is not clearly better than a random one (margin ${Number.isFinite(margin) ? signed(margin) : '—'}, less than ${FAITHFULNESS_MARGIN.toFixed(2)}): do not rely on it.`;
  const scale = `The score is how much more of ${label} survives removing the map's least important cells than its most important ones, averaged while 0 to 100 % of the cells are removed, as a share of the original probability: 0 means no difference (what a random map scores), 1 means the top cells carry all of it; it can pass 1 when removing unimportant cells raises the probability.`;
  return { verdict, margin, verdictText, checks, scale };
}

/** The sanity check's numbers in words: how alike the randomised model's map ranks the cells. */
export function describeSanityStep(randomised: string, spearman: number | null | undefined): string {
  if (spearman == null) return `With ${randomised} randomised, the map is flat: its order cannot be compared with the original's.`;
  const alike = Math.abs(spearman) >= 0.7 ? 'still much the same order' : Math.abs(spearman) >= 0.3 ? 'a partly similar order' : 'an unrelated order';
  return `With ${randomised} randomised, the map ranks the cells in ${alike} as before (${spearman.toFixed(2)}; 1 = the same order, 0 = unrelated).`;
}
