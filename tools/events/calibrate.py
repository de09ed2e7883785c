#!/usr/bin/python3
"""Fits the per-class event thresholds (data/thresholds/<model>.csv) from
labelled mixtures and reports them on mixtures they were not fitted on.

    tools/events/make_mixtures.py --out /work/cache-events/mixtures      # once
    build/bench/events/events_evidence --model mn04_as --out /work/cache-events \\
        /work/cache-events/mixtures/*.flac ../shared/audio/events-dev/dev_*.flac   # once per model (also yamnet)
    tools/events/calibrate.py --cache /work/cache-events [--write]

The procedure (repeatable: no randomness, no file-by-file tuning):
  1. Evidence: the program's own frame probabilities of every mixture
     (events_evidence: the analysis pass, 10 s windows, 5 s hop; pooled columns and
     each column's own, <stem>.f32 and <stem>.columns.f32), read from the cache.
  2. Per class of the truth, the threshold (a frame at or above it starts an
     event) is the one of THRESHOLDS (from the model's floor in FLOORS, chosen
     by the cross-validated micro F1, step 3) with the best F1 of that class on the
     training mixtures (ties: the higher threshold); the low threshold is
     LOW_RATIO of it; min duration and gap bridging are shared by all classes
     and chosen by the training micro F1.
  3. Cross-validation by clip: the mixtures of fold k hold only clips of fold
     k (make_mixtures.py); fold k is scored with thresholds fitted on the
     other folds. The shipped table is fitted on all folds.
  4. Held-out report: the six events-dev mixtures (never fitted on), with the
     shipped table. Their clips are the clips of the folds, their mixing
     (backgrounds, levels, times) is not: a clip-level hold-out is step 3.
  5. Fusion of mn04_as and yamnet per class and frame: per class the rule
     (first = mn04_as, second = yamnet, mean, max) whose evidence gives the
     class's best training F1, then its thresholds as in 2 (fused.csv has a
     `rule` column); chosen on the training folds only when cross-validating.
  6. The narrowing fraction of pooled evidence (ModelInfo::event_onset_fraction):
     reported for ONSET_FRACTIONS; the one with the best training micro F1,
     ties broken by the training onset error, is set in the model's info.
Detection here mirrors src/events/frame_events.cpp (hysteresis, gaps, minimum
duration, related classes resolved by probability over threshold); the
program's own events of the held-out set are scored by bench/events/events_dev_eval.py.
"""
import argparse
import csv
import json
import os
import statistics
import sys
from collections import defaultdict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
sys.path.insert(0, os.path.join(ROOT, "bench", "events"))
from events_dev_eval import read_truth, score  # noqa: E402  (one scorer for both)

ALL_THRESHOLDS = [0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.35, 0.4,
                  0.5, 0.6, 0.7, 0.8]
# The lowest threshold tried, per model: the one with the best cross-validated micro F1 (ties, within
# FLOOR_TIE: the higher). Pooled evidence of a short sound in 10 s windows is faint (several classes'
# best training F1 sat at 0.02, the old grid's floor); a lower floor helps one model and overfits another.
FLOORS = [0.02, 0.005]
FLOOR_TIE = 0.005  # a gain under about one event in the ~200 true ones of the folds is a tie
THRESHOLDS = ALL_THRESHOLDS  # the model's, set by use_floor()
LOW_RATIOS = [0.5]
MIN_DURATIONS = [0.3]
GAPS = [0.0, 0.6]
SWEEP_GAPS = [0.0, 0.3, 0.6, 1.0, 1.5]
OTHER = (0.5, 0.35, 10)  # classes without a rule: threshold, low, how many (set as the program's defaults: --event-min-duration-s, --event-merge-gap-s)
TOLERANCE_S = 0.5


class Evidence(tuple):
    """(probabilities frames x classes, seconds per frame, duration) plus .columns: each column's own
    evidence where the probabilities pool columns (ModelInfo::event_pool_columns), else None."""
    columns = None


def evidence(p, spf, duration, columns=None):
    e = Evidence((p, spf, duration))
    e.columns = columns
    return e


def load_evidence(cache, model, stem):
    base = os.path.join(cache, model, stem)
    meta = json.load(open(base + ".json"))
    shape = (meta["frames"], meta["classes"])
    p = np.fromfile(base + ".f32", dtype="<f4").reshape(shape)
    columns = np.fromfile(base + ".columns.f32", dtype="<f4").reshape(shape) if os.path.exists(base + ".columns.f32") else None
    return evidence(p, meta["seconds_per_frame"], meta["duration_s"], columns)


def runs(p, high, low, gap_frames):
    """Hysteresis runs (first, last) of one class's frames, runs at most gap_frames apart joined."""
    p = np.nan_to_num(p, nan=0.0)
    above = p >= low
    out = []
    t, n = 0, len(p)
    while t < n:
        if not above[t]:
            t += 1
            continue
        e = t
        while e + 1 < n and above[e + 1]:
            e += 1
        if (p[t:e + 1] >= high).any():
            if out and t - out[-1][1] - 1 <= gap_frames:
                out[-1][1] = e
            else:
                out.append([t, e])
        t = e + 1
    return out


def use_floor(floor):
    global THRESHOLDS
    THRESHOLDS = [t for t in ALL_THRESHOLDS if t >= floor - 1e-12]


_CLASS_EVENTS, _PEAKS = {}, {}
# Memos and COLUMNS are keyed by id(P): every P they have seen is kept alive here, so that no later
# array (a fold's fused evidence, made and dropped) can take a dropped one's id and its memoised events.
_SEEN = {}
ONSET_FRACTION = {"mn04_as": 0.35}  # ModelInfo::event_onset_fraction (chosen by onset_fraction_sweep below)
ONSET_FRACTIONS = [0.2, 0.35, 0.5, 0.7]
FUSED_FRACTION = 0.35  # fused_events: the larger of the two models' fractions
COLUMNS = {}  # id(P) -> (column evidence, fraction): set by detect() for evidence that pools columns


def narrow(columns, c, a, b, fraction):
    """Mirror of narrow_to_columns (src/events/frame_events.cpp)."""
    if columns is None or not fraction > 0:
        return a, b
    col = np.nan_to_num(columns[a:b + 1, c], nan=0.0)
    top = col.max()
    if not top > 0:
        return a, b
    idx = np.nonzero(col >= np.float32(fraction) * top)[0]
    return a + int(idx[0]), a + int(idx[-1])


def class_events(P, spf, c, high, low, min_duration_s, gap_s):
    """One class's events (memoised: the fits ask for the same ones many times)."""
    columns, fraction = COLUMNS.get(id(P), (None, 0))
    _SEEN[id(P)] = P
    key = (id(P), c, high, low, min_duration_s, gap_s, fraction)
    if key not in _CLASS_EVENTS:
        gap = int(np.floor(gap_s / spf + 1e-9))
        duration = P.shape[0] * spf
        out = []
        for a0, b0 in runs(P[:, c], high, low, gap):
            if min(duration, (b0 + 1) * spf) - a0 * spf < min_duration_s - 1e-9:
                continue
            a, b = narrow(columns, c, a0, b0, fraction)
            on, off = a * spf, min(duration, (b + 1) * spf)
            peak = float(np.nan_to_num(P[a0:b0 + 1, c], nan=0.0).max())
            out.append({"index": c, "onset_s": on, "offset_s": off, "probability": peak,
                        "margin": peak / max(high, 1e-9)})
        _CLASS_EVENTS[key] = out
    return _CLASS_EVENTS[key]


def detect(P, spf, rules, min_duration_s, gap_s, related, only=None):
    """Events of one recording: rules {class: (high, low)}; other classes as OTHER; then related resolved."""
    classes = dict(rules)
    if only is None:
        if id(P) not in _PEAKS:
            _SEEN[id(P)] = P
            _PEAKS[id(P)] = np.nan_to_num(P, nan=0.0).max(axis=0)
        peaks = _PEAKS[id(P)]
        others = [c for c in np.argsort(-peaks, kind="stable") if c not in classes and peaks[c] >= OTHER[0]]
        for c in others[:OTHER[2]]:
            classes[int(c)] = OTHER[:2]
    else:
        classes = {c: classes[c] for c in only}
    events = []
    for c, (high, low) in sorted(classes.items()):
        events += class_events(P, spf, c, high, low, min_duration_s, gap_s)
    if only is not None:
        return events
    kept = []
    for e in sorted(events, key=lambda e: -e["margin"]):
        if not any(k["index"] != e["index"] and (min(k["index"], e["index"]), max(k["index"], e["index"])) in related
                   and e["onset_s"] < k["offset_s"] and e["offset_s"] > k["onset_s"] for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: (e["onset_s"], e["index"]))


def read_related(path):
    pairs = set()
    for line in open(path):
        if line.startswith("#") or line.startswith("index_a"):
            continue
        f = line.split(",")
        pairs.add((min(int(f[0]), int(f[2])), max(int(f[0]), int(f[2]))))
    return pairs


def class_f1(truth, events_by_file, c):
    t = {f: [e for e in ts if e["index"] == c] for f, ts in truth.items()}
    d = {f: [e for e in es if e["index"] == c] for f, es in events_by_file.items()}
    r = score(t, d, TOLERANCE_S)
    row = [x for x in r["classes"] if x["index"] == c]
    return row[0]["f1"] if row else 0.0


def joint(evidence, truth, rules, ratio, min_d, gap, related):
    """One pass over the classes: each threshold re-chosen by the training micro F1 of the whole detection
    (related classes resolved), the others fixed: a class's threshold also decides which related class wins."""
    def micro(rs):
        plain = {c: r[:2] for c, r in rs.items()}
        ev = {f: detect(evidence[f][0], evidence[f][1], plain, min_d, gap, related) for f in truth}
        return score(truth, ev, TOLERANCE_S)["micro"]["f1"]
    best = micro(rules)
    for c in sorted(rules):
        for h in THRESHOLDS:
            trial = dict(rules)
            trial[c] = (h, round(h * ratio, 4), rules[c][2])
            m = micro(trial)
            if m > best + 1e-9:
                best, rules = m, trial
    return rules, best


def fit(evidence, truth, related):
    """Thresholds {class: (high, low)} and (min_duration, gap) from the files of `truth`."""
    classes = sorted({e["index"] for ts in truth.values() for e in ts})
    best = None
    for ratio in LOW_RATIOS:
        for min_d in MIN_DURATIONS:
            for gap in GAPS:
                rules = {}
                for c in classes:
                    scores = []
                    for h in THRESHOLDS:
                        ev = {f: detect(evidence[f][0], evidence[f][1], {c: (h, h * ratio)}, min_d, gap, related,
                                        only=[c]) for f in truth}
                        scores.append((class_f1(truth, ev, c), h))
                    f1, h = max(scores)
                    rules[c] = (h, round(h * ratio, 4), f1)
                rules, micro = joint(evidence, truth, rules, ratio, min_d, gap, related)
                if best is None or micro > best[0]:
                    best = (micro, rules, min_d, gap, ratio)
    return best


FUSION_RULES = ["first", "second", "mean", "max"]  # as FusionRule (src/analysis_events/fusion.h)


def fuse_values(a, b, rule):
    """One rule over two arrays on one grid; a NaN (no output) takes the other's (mirror of fuse_one)."""
    if rule == "first":
        out = a.copy()
    elif rule == "second":
        out = b.copy()
    elif rule == "max":
        out = np.fmax(a, b)
    else:
        out = (a + b) / 2
    out = np.where(np.isnan(a), b, out)
    return np.where(np.isnan(b), a, out).astype(np.float32)


def nearest_rows(a_frames, spf_a, b_frames, spf_b):
    """b's frame nearest in time to each of a's (mirror of fusion.cpp's nearest_frame)."""
    t = (np.arange(a_frames) + 0.5) * spf_a
    return np.clip(np.floor(t / spf_b).astype(int), 0, b_frames - 1)


def fuse(ea, eb, rules_of):
    """Per class (rules_of: class -> rule, others "mean"): the fused probabilities and columns on a's grid."""
    rows = nearest_rows(ea[0].shape[0], ea[1], eb[0].shape[0], eb[1])
    def grid(va, vb):
        vb = vb[rows]
        out = fuse_values(va, vb, "mean")
        for c, r in rules_of.items():
            out[:, c] = fuse_values(va[:, c], vb[:, c], r)
        return out
    ca = ea.columns if ea.columns is not None else ea[0]
    cb = eb.columns if eb.columns is not None else eb[0]
    columns = grid(ca, cb) if (ea.columns is not None or eb.columns is not None) else None
    return evidence(grid(ea[0], eb[0]), ea[1], ea[2], columns)


def register(ev, fraction):
    """Lets detect() narrow this evidence's events to its columns (mirror of frame_event_options)."""
    for e in ev.values():
        if e.columns is not None:
            COLUMNS[id(e[0])] = (e.columns, fraction)
            _SEEN[id(e[0])] = e[0]


def choose_rules(ea_of, eb_of, truth, related):
    """Per class of the truth, the rule whose evidence gives the best training F1 of that class alone."""
    classes = sorted({e["index"] for ts in truth.values() for e in ts})
    per_rule = {}
    for r in FUSION_RULES:
        per_rule[r] = {f: fuse(ea_of[f], eb_of[f], {c: r for c in classes}) for f in truth}
        register(per_rule[r], FUSED_FRACTION)
    choice = {}
    for c in classes:
        best = None
        for r in FUSION_RULES:
            for h in THRESHOLDS:
                ev = {f: detect(per_rule[r][f][0], per_rule[r][f][1], {c: (h, h * LOW_RATIOS[0])}, MIN_DURATIONS[0],
                                GAPS[-1], related, only=[c]) for f in truth}
                s = (class_f1(truth, ev, c), h, r)
                if best is None or s[:2] > best[:2]:
                    best = s
        choice[c] = best[2]
    return choice


def evaluate(evidence, truth, fitted, related):
    _, rules, min_d, gap, _ = fitted
    plain = {c: r[:2] for c, r in rules.items()}
    ev = {f: detect(evidence[f][0], evidence[f][1], plain, min_d, gap, related) for f in truth}
    return score(truth, ev, TOLERANCE_S), ev


def merge_scores(parts):
    """Per-class and micro figures summed over folds (each fold scored with its own thresholds)."""
    per, onsets = defaultdict(lambda: {"true": 0, "detected": 0, "hits": 0}), []
    names = {}
    for r, onset_errors in parts:
        for row in r["classes"]:
            for k in ("true", "detected", "hits"):
                per[row["index"]][k] += row[k]
            names[row["index"]] = row["class"]
        onsets += onset_errors
    rows = []
    for c, s in sorted(per.items()):
        p = s["hits"] / s["detected"] if s["detected"] else 0.0
        rc = s["hits"] / s["true"] if s["true"] else 0.0
        rows.append({"index": c, "class": names[c], **s, "precision": p, "recall": rc,
                     "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
                     "count_error": (s["detected"] - s["true"]) / s["true"] if s["true"] else None})
    h = sum(s["hits"] for s in per.values())
    d = sum(s["detected"] for s in per.values())
    t = sum(s["true"] for s in per.values())
    p, rc = (h / d if d else 0.0), (h / t if t else 0.0)
    return {"classes": rows, "micro": {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc) if p + rc else 0.0,
                                       "true": t, "detected": d, "hits": h},
            "median_onset_error_s": statistics.median(onsets) if onsets else None}


def onset_errors(truth, events):
    from events_dev_eval import match
    out = []
    for f, ts in truth.items():
        for c in {e["index"] for e in ts}:
            pairs = match([e for e in ts if e["index"] == c], [e for e in events[f] if e["index"] == c], TOLERANCE_S)
            out += [abs(d["onset_s"] - t["onset_s"]) for t, d in pairs]
    return out


def table(name, r):
    lines = [f"\n{name}: micro F1 {r['micro']['f1']:.2f} (precision {r['micro']['precision']:.2f}, recall "
             f"{r['micro']['recall']:.2f}; {r['micro']['hits']} hits, {r['micro']['detected']} found, "
             f"{r['micro']['true']} true); median onset error "
             + ("n/a" if r["median_onset_error_s"] is None else f"{r['median_onset_error_s']:.2f} s"),
             "| class | true | found | hits | precision | recall | F1 | count error |", "|---|---|---|---|---|---|---|---|"]
    for row in r["classes"]:
        ce = "" if row["count_error"] is None else f"{row['count_error']:+.0%}"
        lines.append(f"| {row['class']} | {row['true']} | {row['detected']} | {row['hits']} | {row['precision']:.2f} | "
                     f"{row['recall']:.2f} | {row['f1']:.2f} | {ce} |")
    return "\n".join(lines)


def gap_sweep(model, evidence, mix_truth, dev_truth, fitted, related):
    """Is a cough heard as bursts one cough? The cough count and F1 for each gap bridged, thresholds fixed."""
    micro, rules, min_d, gap, ratio = fitted
    lines = [f"\n{model}: bursts of one class bridged across gaps (shipped thresholds; all mixtures / events-dev)",
             "| gap bridged | cough count error (mixtures) | micro F1 (mixtures) | cough count error (events-dev) | "
             "micro F1 (events-dev) |", "|---|---|---|---|---|"]
    for g in SWEEP_GAPS:
        cells = []
        for truth in (mix_truth, dev_truth):
            r, _ = evaluate(evidence, truth, (micro, rules, min_d, g, ratio), related)
            cough = [row for row in r["classes"] if row["index"] == 47][0]
            cells += [f"{cough['count_error']:+.0%}", f"{r['micro']['f1']:.2f}"]
        lines.append(f"| {g} s{' (chosen)' if g == gap else ''} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
    return "\n".join(lines)


def write_table(path, model, fitted, labels, note, rules=None):
    choice = rules
    micro, rules, min_d, gap, ratio = fitted
    with open(path, "w") as f:
        f.write(f"# Event thresholds of {model}: made by tools/events/calibrate.py --write (do not edit by hand).\n")
        f.write(f"# {note}\n")
        f.write(f"# Shared by all classes: low = {ratio} x threshold; chosen min duration {min_d} s and gap {gap} s "
                f"(set as the program's defaults: --event-min-duration-s, --event-merge-gap-s). Training micro F1 {micro:.3f}; train_f1 is the class's own.\n")
        f.write("index,label,threshold,low,train_f1" + (",rule" if choice else "") + "\n")
        for c, (h, lo, f1) in sorted(rules.items()):
            f.write(f"{c},{labels[c].replace(',', ';')},{h},{lo},{f1:.3f}" + (f",{choice.get(c, 'mean')}" if choice else "") + "\n")


def onset_fraction_sweep(model, ev_of, truth, fitted, related):
    """The median onset error on the training mixtures for each narrowing fraction (thresholds fixed)."""
    lines = [f"\n{model}: events narrowed to their columns (ModelInfo::event_onset_fraction; all mixtures)",
             "| fraction | micro F1 | median onset error |", "|---|---|---|"]
    for fraction in ONSET_FRACTIONS:
        register(ev_of, fraction)
        r, ev = evaluate(ev_of, truth, fitted, related)
        errors = onset_errors(truth, ev)
        lines.append(f"| {fraction} | {r['micro']['f1']:.2f} | {statistics.median(errors):.2f} s |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default="/work/cache-events")
    ap.add_argument("--write", action="store_true", help="write data/thresholds/<model>.csv and fused.csv")
    ap.add_argument("--report", help="write the tables (markdown) here")
    args = ap.parse_args()
    labels = {int(r["index"]): r["display_name"]
              for r in csv.DictReader(open(os.path.join(SHARED, "models", "labels", "class_labels_indices.csv")))}
    related = read_related(os.path.join(ROOT, "data", "events", "related.csv"))
    mix_truth = read_truth(os.path.join(args.cache, "mixtures", "truth.csv"))
    fold_of = {row["filename"]: int(row["fold"]) for row in csv.DictReader(open(os.path.join(args.cache, "mixtures", "truth.csv")))}
    dev_truth = read_truth(os.path.join(SHARED, "audio", "events-dev", "truth.csv"))
    folds = sorted(set(fold_of.values()))
    stem = lambda f: os.path.splitext(f)[0]
    evidence = {}
    for model in ("mn04_as", "yamnet"):
        evidence[model] = {f: load_evidence(args.cache, model, stem(f)) for f in list(mix_truth) + list(dev_truth)}
        register(evidence[model], ONSET_FRACTION.get(model, 0))
    out = []
    fitted_all = {}
    floors = {}  # per model, the lowest threshold tried (FLOORS)

    def report(name, cv, dev):
        out.append(table(f"{name}, cross-validated by clip ({len(folds)} folds of own mixtures)", cv))
        out.append(table(f"{name}, events-dev (6 held-out mixtures; thresholds fitted on all folds)", dev))
        print(out[-2], out[-1], sep="\n", flush=True)

    def by_floor(name, cross_validate):
        """The floor whose cross-validation (cross_validate() -> merged scores) has the best micro F1."""
        best = None
        for floor in FLOORS:
            use_floor(floor)
            cv = cross_validate()
            out.append(f"{name}: thresholds from {floor}: cross-validated micro F1 {cv['micro']['f1']:.3f}")
            print(out[-1], flush=True)
            if best is None or cv["micro"]["f1"] > best[1]["micro"]["f1"] + FLOOR_TIE:
                best = (floor, cv)
        use_floor(best[0])
        floors[name] = best[0]
        return best[1]

    def run(name, ev_of):
        def cross_validate():
            parts = []
            for k in folds:
                train = {f: t for f, t in mix_truth.items() if fold_of[f] != k}
                test = {f: t for f, t in mix_truth.items() if fold_of[f] == k}
                r, ev = evaluate(ev_of, test, fit(ev_of, train, related), related)
                parts.append((r, onset_errors(test, ev)))
            return merge_scores(parts)
        cv = by_floor(name, cross_validate)
        full = fit(ev_of, mix_truth, related)
        dev, ev = evaluate(ev_of, dev_truth, full, related)
        report(name, cv, merge_scores([(dev, onset_errors(dev_truth, ev))]))
        return full

    for model in ("mn04_as", "yamnet"):
        fitted_all[model] = run(model, evidence[model])
        out.append(gap_sweep(model, evidence[model], mix_truth, dev_truth, fitted_all[model], related))
        if model in ONSET_FRACTION:
            out.append(onset_fraction_sweep(model, evidence[model], mix_truth, fitted_all[model], related))
            register(evidence[model], ONSET_FRACTION[model])
        print(out[-1], flush=True)

    # Fused: per class the rule (first = mn04_as, second = yamnet, mean, max) with the best training F1,
    # chosen on the training folds only, then its thresholds fitted the same way.
    a, b = evidence["mn04_as"], evidence["yamnet"]
    def fused_of(choice, files):
        ev = {f: fuse(a[f], b[f], choice) for f in files}
        register(ev, FUSED_FRACTION)
        return ev
    def cross_validate_fused():
        parts = []
        for k in folds:
            train = {f: t for f, t in mix_truth.items() if fold_of[f] != k}
            test = {f: t for f, t in mix_truth.items() if fold_of[f] == k}
            choice = choose_rules(a, b, train, related)
            ev = fused_of(choice, list(mix_truth))
            r, e = evaluate(ev, test, fit(ev, train, related), related)
            parts.append((r, onset_errors(test, e)))
        return merge_scores(parts)
    cv = by_floor("fused", cross_validate_fused)
    choice = choose_rules(a, b, mix_truth, related)
    ev = fused_of(choice, list(mix_truth) + list(dev_truth))
    full = fit(ev, mix_truth, related)
    dev, e = evaluate(ev, dev_truth, full, related)
    report("fused (per class the rule with the best training F1)", cv, merge_scores([(dev, onset_errors(dev_truth, e))]))
    out.append("rules: " + ", ".join(f"{labels[c]} {r}" for c, r in sorted(choice.items())))
    print(out[-1], flush=True)
    if args.report:
        with open(args.report, "w") as f:
            f.write("\n".join(out) + "\n")
    if args.write:
        note = ("Fitted on all folds of tools/events/make_mixtures.py (clips of ../shared/audio/events-dev/clips); "
                "never on the events-dev mixtures. Thresholds tried from {} (the floor with the best "
                "cross-validated micro F1).")
        for model in ("mn04_as", "yamnet"):
            write_table(os.path.join(ROOT, "data", "thresholds", f"{model}.csv"), model, fitted_all[model], labels,
                        note.format(floors[model]))
        write_table(os.path.join(ROOT, "data", "thresholds", "fused.csv"),
                    "fused (mn04_as first, yamnet second; rule: how the class's two probabilities combine)",
                    full, labels, note.format(floors["fused"]), rules=choice)


if __name__ == "__main__":
    main()
