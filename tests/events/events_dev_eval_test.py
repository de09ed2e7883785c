#!/usr/bin/env python3
"""The events-dev scorer (bench/events/events_dev_eval.py) on hand-made cases
whose scores are worked out by hand: tolerance edges, one-to-one matching,
classes outside the truth ignored, count error and median onset error."""
import importlib.util
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "events_dev_eval", os.path.join(HERE, "..", "..", "bench", "events", "events_dev_eval.py"))
ev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ev)


def event(index, onset, offset, label="x"):
    return {"index": index, "label": label, "onset_s": onset, "offset_s": offset}


class ScorerTest(unittest.TestCase):
    def test_tolerance_is_half_a_second_each_side(self):
        truth = [event(47, 10.0, 11.0)]
        self.assertEqual(len(ev.match(truth, [event(47, 11.4, 12.0)], 0.5)), 1)
        self.assertEqual(len(ev.match(truth, [event(47, 11.6, 12.0)], 0.5)), 0)
        self.assertEqual(len(ev.match(truth, [event(47, 8.0, 9.6)], 0.5)), 1)
        self.assertEqual(len(ev.match(truth, [event(47, 8.0, 9.4)], 0.5)), 0)

    def test_one_detection_counts_once(self):
        truth = [event(47, 10.0, 10.5), event(47, 11.0, 11.5)]
        pairs = ev.match(truth, [event(47, 10.0, 11.5)], 0.5)
        self.assertEqual(len(pairs), 1)
        self.assertEqual(pairs[0][0]["onset_s"], 10.0)  # the nearer onset wins

    def test_scores(self):
        truth = {"a.flac": [event(47, 1, 2, "cough"), event(47, 5, 6, "cough"), event(16, 9, 10, "laughter")],
                 "b.flac": [event(47, 3, 4, "cough")]}
        detected = {"a.flac": [event(47, 1.2, 2, "Cough"), event(47, 20, 21, "Cough"), event(111, 9, 10, "Bird")],
                    "b.flac": [event(47, 3.1, 4, "Cough"), event(0, 3, 4, "Speech")]}
        r = ev.score(truth, detected, 0.5)
        cough = next(c for c in r["classes"] if c["index"] == 47)
        self.assertEqual((cough["true"], cough["detected"], cough["hits"]), (3, 3, 2))
        self.assertAlmostEqual(cough["precision"], 2 / 3)
        self.assertAlmostEqual(cough["recall"], 2 / 3)
        self.assertAlmostEqual(cough["count_error"], 0.0)
        laughter = next(c for c in r["classes"] if c["index"] == 16)
        self.assertEqual((laughter["hits"], laughter["recall"], laughter["count_error"]), (0, 0.0, -1.0))
        # Bird and Speech are not in the truth's classes: neither hits nor false alarms.
        self.assertEqual(r["micro"]["detected"], 3)
        self.assertAlmostEqual(r["micro"]["precision"], 2 / 3)
        self.assertAlmostEqual(r["micro"]["recall"], 2 / 4)
        self.assertAlmostEqual(r["micro"]["f1"], 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
        self.assertAlmostEqual(r["median_onset_error_s"], 0.15)


if __name__ == "__main__":
    unittest.main()
