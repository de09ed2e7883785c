#!/usr/bin/env python3
"""Event detection scored on real mixtures with a truth table (../shared/audio/events-dev).

Runs `soundlens analyze --json` on every mixture named in TRUTH (or reads the
JSON it printed before, with --cached DIR), then prints, per model: per-class
precision, recall and F1, the micro F1, the count error per class and the
median onset error.

    bench/events/events_dev_eval.py [--models mn04_as,yamnet] [--truth CSV] [--bin PATH]
                                    [--cached DIR] [--json] [-- extra analyze options]
    bench/events/events_dev_eval.py --events-dir /work/cache-events --models mn04_as,yamnet,fused_table

--events-dir reads the events the program wrote with events_evidence
(DIR/<model>/<stem>.events.json; fused_<rule> from its --fuse), so that the
fused model is scored before it is selectable in the CLI.

How an event is scored (the rule the issue states): a detected event of class C
matches a true event of class C when the two intervals overlap once the true
one is widened by --tolerance-s (0.5 s) on both sides; each true event matches
at most one detection and each detection at most one true event (greedy by
onset distance). Only the classes present in the truth table are scored: a
"Bird" event over a forest background is neither a hit nor a false alarm here.
A class's count error is (detected - true) / true over all files.
Python runs the tool only; the program never runs Python.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


def read_truth(path):
    by_file = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            by_file[row["filename"]].append(
                {"index": int(row["audioset_index"]), "label": row["event_class"],
                 "onset_s": float(row["onset_s"]), "offset_s": float(row["offset_s"])})
    return by_file


def analyse(binary, model, audio, extra):
    cmd = [binary, "analyze", audio, "--json", "--model", model, "--model-dir",
           os.path.join(SHARED, "models")] + extra
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"events_dev_eval: {' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def match(truth, detected, tolerance_s):
    """Pairs (true, detected) of one class in one file; greedy by onset distance."""
    candidates = []
    for i, t in enumerate(truth):
        for j, d in enumerate(detected):
            if d["onset_s"] < t["offset_s"] + tolerance_s and d["offset_s"] > t["onset_s"] - tolerance_s:
                candidates.append((abs(d["onset_s"] - t["onset_s"]), i, j))
    used_t, used_d, pairs = set(), set(), []
    for _, i, j in sorted(candidates):
        if i not in used_t and j not in used_d:
            used_t.add(i), used_d.add(j)
            pairs.append((truth[i], detected[j]))
    return pairs


def score(truth_by_file, events_by_file, tolerance_s):
    classes = sorted({t["index"] for ts in truth_by_file.values() for t in ts})
    names = {t["index"]: t["label"] for ts in truth_by_file.values() for t in ts}
    per_class = {c: {"true": 0, "detected": 0, "hits": 0, "onset_errors": []} for c in classes}
    for name, truth in truth_by_file.items():
        events = events_by_file[name]
        for c in classes:
            t = [e for e in truth if e["index"] == c]
            d = [e for e in events if e["index"] == c]
            pairs = match(t, d, tolerance_s)
            s = per_class[c]
            s["true"] += len(t)
            s["detected"] += len(d)
            s["hits"] += len(pairs)
            s["onset_errors"] += [abs(dd["onset_s"] - tt["onset_s"]) for tt, dd in pairs]
    rows = []
    for c in classes:
        s = per_class[c]
        p = s["hits"] / s["detected"] if s["detected"] else 0.0
        r = s["hits"] / s["true"] if s["true"] else 0.0
        rows.append({"index": c, "class": names[c], "true": s["true"], "detected": s["detected"],
                     "hits": s["hits"], "precision": p, "recall": r,
                     "f1": 2 * p * r / (p + r) if p + r else 0.0,
                     "count_error": (s["detected"] - s["true"]) / s["true"] if s["true"] else None})
    hits = sum(s["hits"] for s in per_class.values())
    detected = sum(s["detected"] for s in per_class.values())
    true = sum(s["true"] for s in per_class.values())
    p = hits / detected if detected else 0.0
    r = hits / true if true else 0.0
    onsets = [e for s in per_class.values() for e in s["onset_errors"]]
    return {"classes": rows, "micro": {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                                       "true": true, "detected": detected, "hits": hits},
            "median_onset_error_s": statistics.median(onsets) if onsets else None}


def print_table(model, result):
    print(f"\n{model}")
    print(f"  {'class':<18} {'true':>5} {'found':>6} {'hits':>5} {'prec':>6} {'recall':>7} {'F1':>6} {'count err':>10}")
    for row in result["classes"]:
        ce = "" if row["count_error"] is None else f"{row['count_error']:+.0%}"
        print(f"  {row['class']:<18} {row['true']:>5} {row['detected']:>6} {row['hits']:>5} "
              f"{row['precision']:>6.2f} {row['recall']:>7.2f} {row['f1']:>6.2f} {ce:>10}")
    m = result["micro"]
    onset = result["median_onset_error_s"]
    print(f"  micro: precision {m['precision']:.2f}, recall {m['recall']:.2f}, F1 {m['f1']:.2f}; "
          f"median onset error {'n/a' if onset is None else f'{onset:.2f} s'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="mn04_as,yamnet")
    parser.add_argument("--truth", default=os.path.join(SHARED, "audio", "events-dev", "truth.csv"))
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "src", "soundlens"))
    parser.add_argument("--cached", help="keep each analysis's JSON here and reuse it when present")
    parser.add_argument("--events-dir", help="read DIR/<model>/<stem>.events.json (bench/events/events_evidence)")
    parser.add_argument("--tolerance-s", type=float, default=0.5)
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("extra", nargs="*", help="more `soundlens analyze` options, after --")
    args = parser.parse_args()
    truth = read_truth(args.truth)
    audio_dir = os.path.dirname(os.path.abspath(args.truth))
    results = {}
    for model in args.models.split(","):
        events = {}
        for name in sorted(truth):
            cache = os.path.join(args.cached, f"{model}_{name}.json") if args.cached else None
            if args.events_dir:
                with open(os.path.join(args.events_dir, model, os.path.splitext(name)[0] + ".events.json")) as f:
                    analysis = json.load(f)
            elif cache and os.path.exists(cache):
                with open(cache) as f:
                    analysis = json.load(f)
            else:
                analysis = analyse(args.bin, model, os.path.join(audio_dir, name), args.extra)
                if cache:
                    os.makedirs(args.cached, exist_ok=True)
                    with open(cache, "w") as f:
                        json.dump(analysis, f)
            events[name] = analysis.get("events", [])
        results[model] = score(truth, events, args.tolerance_s)
        if not args.json:
            print_table(model, results[model])
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
