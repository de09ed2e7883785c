#!/usr/bin/python3
"""Writes data/events/related.csv: the pairs of AudioSet classes that name one
sound, so that overlapping events of the two resolve to one event.

    tools/events/related_classes.py [--models-dir ../shared/models] > data/events/related.csv

Two sources, both stated in the `why` column:
  * the AudioSet ontology (labels/ontology.json): every class and each of its
    ancestors that is also one of the 527 classes (Cough over Throat clearing,
    Breathing over Snoring, Laughter over Giggle, ...);
  * near neighbours: classes under one parent that the models confuse on the
    same sound (NEAR below; each one was seen on events-dev clips: Speech
    events on laughter, throat clearing and cries).
Deterministic: sorted by the pair's indices.
"""
import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

# (class, class, why): the neighbours the ontology does not relate as ancestor and descendant.
NEAR = [
    ("Speech", "Laughter", "both human voice; Speech heard on laughter"),
    ("Speech", "Baby cry, infant cry", "Speech heard on cries"),
    ("Speech", "Crying, sobbing", "Speech heard on cries"),
    ("Speech", "Throat clearing", "Speech heard on throat clearing"),
    ("Speech", "Cough", "Speech heard on voiced coughs"),
    # Not Cough and Sneeze: a clinician tells them apart, and with no labelled sneezes here Sneeze has no
    # calibrated threshold, so "furthest over its own threshold" against Cough's calibrated 0.02 would
    # always turn a sneeze into a cough's alternative (the 90 s awkward file's two sneezes).
    ("Laughter", "Baby laughter", "ontology child"),
    ("Baby cry, infant cry", "Crying, sobbing", "ontology child"),
    ("Baby cry, infant cry", "Whimper", "a cry's quiet part"),
    ("Breathing", "Gasp", "ontology child"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models-dir", default=os.path.normpath(os.path.join(ROOT, "..", "shared", "models")))
    args = ap.parse_args()
    labels = list(csv.DictReader(open(os.path.join(args.models_dir, "labels", "class_labels_indices.csv"))))
    index_of_mid = {r["mid"]: int(r["index"]) for r in labels}
    index_of_name = {r["display_name"]: int(r["index"]) for r in labels}
    name_of = {int(r["index"]): r["display_name"] for r in labels}
    ontology = json.load(open(os.path.join(args.models_dir, "labels", "ontology.json")))
    parents = {}
    for node in ontology:
        for child in node["child_ids"]:
            parents.setdefault(child, []).append(node["id"])

    def ancestors(mid, seen=None):
        seen = set() if seen is None else seen
        for p in parents.get(mid, []):
            if p not in seen:
                seen.add(p)
                ancestors(p, seen)
        return seen

    pairs = {}
    for mid, c in index_of_mid.items():
        for a in ancestors(mid):
            if a in index_of_mid and index_of_mid[a] != c:
                key = tuple(sorted((c, index_of_mid[a])))
                pairs.setdefault(key, f"ontology: {name_of[index_of_mid[a]]} is an ancestor of {name_of[c]}")
    for a, b, why in NEAR:
        if a not in index_of_name or b not in index_of_name:
            sys.exit(f"related_classes: {a!r} or {b!r} is not an AudioSet class")
        pairs.setdefault(tuple(sorted((index_of_name[a], index_of_name[b]))), f"near neighbours: {why}")
    out = csv.writer(sys.stdout, lineterminator="\n")
    print("# Classes that name one sound: made by tools/events/related_classes.py (do not edit by hand).")
    out.writerow(["index_a", "label_a", "index_b", "label_b", "why"])
    for (a, b), why in sorted(pairs.items()):
        out.writerow([a, name_of[a].replace(",", ";"), b, name_of[b].replace(",", ";"), why.replace(",", ";")])


if __name__ == "__main__":
    main()
