#!/usr/bin/env python3
"""Latency and CPU of `soundlens live`, on the real mixtures of ../shared/audio/events-dev.

    bench/live/live_latency.py [--files dev_1] [--bin PATH] [--window-s W] [--hop-s H] [--settle-s S]

For each file: the mixture is decoded to 32 kHz mono s16le with ffmpeg and
written to `soundlens live - --json --threads 1` at real time (20 ms
chunks, by the wall clock). Each line's arrival time is noted. An event line
of class C that overlaps a true event of C (truth.csv, the true interval widened
by 0.5 s as the events scorer does) gives
  - end latency:   its arrival - the moment the true event's last sample was written
  - start latency: the arrival of the first event_start line of C overlapping it - the same moment
CPU: the child's user + system time over the audio's duration (% of one core
while listening at real time), and the same for `--pace 0` of the file (CPU
seconds per second of audio, no waiting). Prints one JSON object.
Python runs the tool only; the program never runs Python.
"""
import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
DEV = os.path.join(SHARED, "audio", "events-dev")


def truth_of(stem):
    with open(os.path.join(DEV, "truth.csv")) as f:
        return [r for r in csv.DictReader(f) if os.path.splitext(r["filename"])[0] == stem]


def pcm_of(path):
    return subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", "32000", "-"],
                          check=True, capture_output=True).stdout


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def real_time_run(binary, pcm, options):
    cpu0 = child_cpu()
    p = subprocess.Popen([binary, "live", "-", "--json", "--threads", "1"] + options, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, cwd=ROOT)
    lines = []

    def read():
        for line in p.stdout:
            lines.append((time.monotonic(), json.loads(line)))

    reader = threading.Thread(target=read)
    reader.start()
    chunk = 640 * 2  # 20 ms
    t0 = time.monotonic()
    for at in range(0, len(pcm), chunk):
        due = t0 + at / 2 / 32000
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        p.stdin.write(pcm[at:at + chunk])
        p.stdin.flush()
    p.stdin.close()
    p.wait()
    reader.join()
    return t0, lines, child_cpu() - cpu0


def overlaps(e, t, tol=0.5):
    return e["onset_s"] < float(t["offset_s"]) + tol and e["offset_s"] > float(t["onset_s"]) - tol


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", default="dev_1")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "src", "soundlens"))
    ap.add_argument("--window-s", default=None)
    ap.add_argument("--hop-s", default=None)
    ap.add_argument("--settle-s", default=None)
    args = ap.parse_args()
    options = []
    if args.window_s:
        options += ["--window-s", args.window_s]
    if args.hop_s:
        options += ["--hop-s", args.hop_s]
    if args.settle_s:
        options += ["--settle-s", args.settle_s]
    end_latency, start_latency, cpu_share, cpu_fast, summary = [], [], [], [], {}
    for stem in args.files.split(","):
        path = os.path.join(DEV, stem + ".flac")
        pcm = pcm_of(path)
        duration = len(pcm) / 2 / 32000
        cpu0 = child_cpu()
        subprocess.run([args.bin, "live", "--input", path, "--pace", "0", "--json", "--threads", "1"] + options,
                       check=True, capture_output=True, cwd=ROOT)
        cpu_fast.append((child_cpu() - cpu0) / duration)
        t0, lines, cpu = real_time_run(args.bin, pcm, options)
        cpu_share.append(cpu / duration)
        truth = truth_of(stem)
        for t in truth:
            end_at = t0 + float(t["offset_s"])
            ends = [w for w, e in lines if e["type"] == "event" and e["index"] == int(t["audioset_index"]) and overlaps(e, t)]
            starts = [w for w, e in lines if e["type"] == "event_start" and e["index"] == int(t["audioset_index"]) and overlaps(e, t)]
            if ends:
                end_latency.append(ends[0] - end_at)
            if starts:
                start_latency.append(starts[0] - end_at)
        summary[stem] = [e for _, e in lines if e["type"] == "summary"][-1]["dropped_windows"]

    def stats(xs):
        if not xs:
            return None
        xs = sorted(xs)
        return {"n": len(xs), "median_s": round(statistics.median(xs), 3),
                "p95_s": round(xs[min(len(xs) - 1, int(0.95 * len(xs)))], 3)}

    print(json.dumps({"options": options, "files": args.files, "end_latency": stats(end_latency),
                      "start_latency": stats(start_latency),
                      "cpu_share_real_time": round(statistics.median(cpu_share), 4),
                      "cpu_s_per_audio_s_pace0": round(statistics.median(cpu_fast), 4),
                      "dropped_windows": summary}))


if __name__ == "__main__":
    main()
