#!/usr/bin/python3
"""Builds calibration mixtures from ../shared/audio/events-dev/clips, the way
events-dev was built (its make_events_dev.py: the same cut of each clip, the
same levels, gaps and backgrounds), but with the event clips split into
folds: every mixture of fold k holds only clips of fold k, so thresholds
fitted on the other folds are reported on clips they never saw.

    tools/events/make_mixtures.py --out /work/cache-events/mixtures [--folds 3] [--per-fold 4]

Writes <out>/fold<k>_<n>.flac (120 s, 32 kHz mono), <out>/truth.csv
(filename,event_class,audioset_index,onset_s,offset_s,fold,clip) and
<out>/folds.csv (clip,class,fold). Deterministic (fixed seed). The six
events-dev mixtures are never used for fitting: they are the held-out
report set.
"""
import argparse
import csv
import importlib.util
import os
import sys

import numpy as np
import soundfile as sf

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEV = os.path.normpath(os.path.join(ROOT, "..", "shared", "audio", "events-dev"))
SEED = 20261206


def dev_module():
    """events-dev's own builder: its clip cut, levels and background joining are reused as they are."""
    spec = importlib.util.spec_from_file_location("make_events_dev", os.path.join(DEV, "make_events_dev.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def assign_folds(rows, folds, rng):
    """Per class, clips shuffled and dealt round robin: each fold gets about 1/folds of every class."""
    by_class = {}
    for r in rows:
        by_class.setdefault(r["class"], []).append(r)
    fold_of = {}
    for c in sorted(by_class):
        clips = sorted(by_class[c], key=lambda r: r["file"])
        for i, k in enumerate(rng.permutation(len(clips))):
            fold_of[clips[k]["file"]] = i % folds
    return fold_of


def background_plan(m, pieces, rng):
    """Random runs of background pieces (the same stems as events-dev) until 120 s are covered."""
    stems = sorted({s for s, _ in pieces})
    plan, total = [], 0.0
    while total < m.DUR_S + 20:
        stem = stems[int(rng.integers(len(stems)))]
        count = sum(1 for s, _ in pieces if s == stem)
        first = int(rng.integers(count))
        n = int(rng.integers(1, count - first + 1))
        plan.append((stem, first, n))
        total += 9.0 * n
    return plan


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--per-fold", type=int, default=4)
    args = ap.parse_args()
    m = dev_module()
    rng = np.random.default_rng(SEED)
    rows = list(csv.DictReader(open(os.path.join(m.CLIPS, "clips.csv"))))
    pieces, events = {}, []
    for r in rows:
        if r["class"].startswith("background_"):
            stem, j = os.path.splitext(os.path.basename(r["file"]))[0].rsplit("_", 1)
            pieces[(stem, int(j))] = r["file"]
        else:
            events.append(r)
    fold_of = assign_folds(events, args.folds, rng)
    os.makedirs(args.out, exist_ok=True)
    truth = []
    for k in range(args.folds):
        pools = {"T": [r for r in events if fold_of[r["file"]] == k and r["class"] in m.TARGET],
                 "D": [r for r in events if fold_of[r["file"]] == k and r["class"] in m.DISTRACTOR]}
        for key in pools:
            pools[key].sort(key=lambda r: r["file"])
        cursor = {"T": 0, "D": 0}
        for n in range(args.per_fold):
            name = f"fold{k}_{n}.flac"
            bg, _ = m.build_background(background_plan(m, pieces, rng), pieces)
            mix = bg.copy()
            t = float(rng.uniform(*m.FIRST_S))
            block = ["T"] * 3 + ["D"] * 2
            slots = [block[i] for _ in range(40) for i in rng.permutation(len(block))]
            for kind in slots:
                pool = pools[kind]
                if cursor[kind] % len(pool) == 0:  # each pass over the pool in a new order
                    order = rng.permutation(len(pool))
                    pools[kind] = pool = [pool[i] for i in order]
                r = pool[cursor[kind] % len(pool)]
                x = m.load(r["file"])
                s, e = m.cut_event(x)
                seg = m.fade(x[s:e])
                on = int(round(t * m.SR))
                if (on + len(seg)) / m.SR > m.LAST_END_S:
                    break
                cursor[kind] += 1
                crest = m.db(np.max(np.abs(seg))) - m.db(m.rms(seg))
                hi = min(m.EV_RMS_DB[1], m.PEAK_CEIL_DB - crest)
                want = hi if hi < m.EV_RMS_DB[0] else float(rng.uniform(m.EV_RMS_DB[0], hi))
                seg = seg * 10 ** ((want - m.db(m.rms(seg))) / 20.0)
                mix[on:on + len(seg)] += seg
                truth.append({"filename": name, "event_class": r["class"], "audioset_index": r["audioset_index"],
                              "onset_s": f"{on / m.SR:.3f}", "offset_s": f"{(on + len(seg)) / m.SR:.3f}",
                              "fold": k, "clip": r["file"]})
                t = (on + len(seg)) / m.SR + float(rng.uniform(*m.GAP_S))
            peak = float(np.max(np.abs(mix)))
            if peak >= 1.0:
                mix = mix * (0.99 / peak)
            sf.write(os.path.join(args.out, name), np.round(mix * 32767.0).astype(np.int16), m.SR,
                     subtype="PCM_16", format="FLAC")
            print(f"{name}: {sum(1 for x in truth if x['filename'] == name)} events", file=sys.stderr)
    with open(os.path.join(args.out, "truth.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(truth[0].keys()))
        w.writeheader()
        w.writerows(truth)
    with open(os.path.join(args.out, "folds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["clip", "class", "fold"])
        for r in sorted(events, key=lambda r: r["file"]):
            w.writerow([r["file"], r["class"], fold_of[r["file"]]])


if __name__ == "__main__":
    main()
