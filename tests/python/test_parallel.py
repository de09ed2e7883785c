"""Calls release the GIL while the engine works: Python keeps running beside an
analysis, and two threads may analyse at once with one model, each getting its
own right answer. (How much faster two threads are depends on what else the
machine runs: that is a benchmark's question, not a test's.)"""
import os
import threading
import time

import pytest

import soundlens

SHARED = os.environ["SOUNDLENS_SHARED_DIR"]
MODELS = os.path.join(SHARED, "models")
MIXTURE = os.path.join(SHARED, "audio", "events-dev", "dev_0.flac")  # 120 s of real coughs, cries, knocks


@pytest.fixture(scope="module")
def model():
    return soundlens.Model("mn04_as", model_dir=MODELS)


def analyse(model):
    start = time.monotonic()
    top = model.analyze(MIXTURE, threads=1).predictions[0].index
    return top, time.monotonic() - start


def test_python_runs_beside_an_analysis(model):
    # With the GIL held for the whole call, this loop would stall for all of it.
    done = threading.Event()
    # Several analyses in a row: one 120 s mixture takes about half a second now.
    worker = threading.Thread(target=lambda: ([analyse(model) for _ in range(6)], done.set()))
    start = last = time.monotonic()
    longest_stall = 0.0
    worker.start()
    while not done.is_set():
        now = time.monotonic()
        longest_stall = max(longest_stall, now - last)
        last = now
    worker.join()
    took = time.monotonic() - start
    assert took > 1.0, "the analyses are long enough to tell"
    assert longest_stall < took / 4, f"Python stalled {longest_stall:.2f} s of a {took:.2f} s analysis"


def test_two_threads_analyse_with_one_model(model):
    one_top, _ = analyse(model)
    results = []
    threads = [threading.Thread(target=lambda: results.append(analyse(model))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [top for top, _ in results] == [one_top, one_top]
