#!/usr/bin/env python3
"""Live sessions of `soundlens serve` under load, on the real mixtures of ../shared/audio/events-dev.

    bench/live/live_sessions_load.py [--sessions 8] [--seconds 60] [--files dev_1,dev_2] [--fast] [--bin PATH]

Starts the built program as `soundlens serve` on a free port (temporary data
directory), opens N live sessions at once and feeds each a different mixture
(dev_0 ... dev_5, or --files, then again) as 0.5 s chunks of 32 kHz s16le, one request at
a time per session, paced by the wall clock (real time), while a reader per
session follows its event stream. Measured:
  - behind: for each hop line while the audio arrives, its arrival minus the
    moment its window's last sample was due (session start + time_s): how far
    the analysis runs behind real time (median, p95, p99, max), and the windows
    dropped. A window is analysed as soon as its last sample has arrived, so
    with 0.5 s chunks on the hop grid this is the request's round trip when
    nothing falls behind (before 2026-12-07 a window waited for a sample past
    its end: one chunk more);
  - event latency: for each true event (truth.csv) that an event line of its
    class overlaps (the true interval widened by 0.5 s, as the scorer does),
    the arrival of that `event` line (and of the first `event_start`) minus
    the moment the true event's last sample was due: end of sound to its
    line over HTTP (median, p95), as bench/live/live_latency.py measures it
    for the command;
  - the chunk requests' round trip (median, p95);
  - the server's CPU (user + system over the wall time, % of one core) and
    resident memory (VmRSS: at the start, after feeding, its peak, and every 10 s);
  - the stop of each session: the stop's answer (with jobs: at once), and the
    `stored` line on its event stream after it (the analysis and storing, a job).
--fast sends the chunks back to back instead (no pacing): memory over a long
stream in little time (--seconds of audio per session); --no-stop leaves the
sessions open at the end (no analysis of the recordings).
Prints one JSON object. Python runs the tool only; the program never runs Python.
"""
import argparse
import csv
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
DEV = os.path.join(SHARED, "audio", "events-dev")
RATE = 32000
CHUNK = RATE // 2  # samples


def pcm_of(path, seconds):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-stream_loop", "-1", "-i", path, "-t", str(seconds),
                          "-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"],
                         check=True, capture_output=True).stdout
    return raw


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body=b"", content_type="application/octet-stream"):
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())


def proc_stats(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    return cpu, rss


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--fast", action="store_true")
    ap.add_argument("--no-stop", action="store_true", help="leave the sessions open (memory runs: no analysis at the end)")
    ap.add_argument("--files", default="", help="the mixtures fed (dev_1,dev_2,...; default all six)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "src", "soundlens"))
    a = ap.parse_args()

    data = tempfile.mkdtemp(prefix="soundlens-live-load-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([a.bin, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data,
                               "--log-format", "off", "--max-live-sessions", str(a.sessions),
                               "--max-duration-s", str(max(3600, a.seconds + 60)), "--max-upload-mb", "4096",
                               "--live-idle-timeout-s", "120"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/health", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        files = ([f + ".flac" for f in a.files.split(",")] if a.files else
                 sorted(f for f in os.listdir(DEV) if f.endswith(".flac")))
        with open(os.path.join(DEV, "truth.csv")) as f:
            truth = list(csv.DictReader(f))
        arrivals = [[] for _ in range(a.sessions)]  # (arrival, line) of event and event_start lines
        stored_at = [None] * a.sessions
        audio = [pcm_of(os.path.join(DEV, files[i % len(files)]), a.seconds) for i in range(a.sessions)]
        cpu0, rss0 = proc_stats(server.pid)
        t0 = time.time()
        ids = [post(url + "/api/v1/live")["id"] for _ in range(a.sessions)]
        behind, rtts, dropped, events, peak = [], [], [0] * a.sessions, [0] * a.sessions, [rss0]
        lock = threading.Lock()
        starts = [None] * a.sessions
        sent_all = [False] * a.sessions  # the last chunk answered: later hops come from the stop

        def reader(k):
            with urllib.request.urlopen(f"{url}/api/v1/live/{ids[k]}/events", timeout=600) as r:
                for raw in r:
                    line = raw.decode().strip()
                    if not line.startswith("data: "):
                        continue
                    j = json.loads(line[6:])
                    now = time.time()
                    with lock:
                        if j["type"] == "hop" and starts[k] is not None and not a.fast and not sent_all[k]:
                            behind.append(now - (starts[k] + j["time_s"]))
                        if j["type"] == "hop":
                            dropped[k] = j["dropped_windows"]
                        if j["type"] == "event":
                            events[k] += 1
                        if j["type"] in ("event", "event_start"):
                            arrivals[k].append((now, j))
                    if j["type"] in ("stored", "error"):
                        stored_at[k] = now
                        return

        def sender(k):
            pcm = audio[k]
            starts[k] = time.time()
            for seq, at in enumerate(range(0, len(pcm), CHUNK * 2)):
                due = starts[k] + (at // 2 + CHUNK) / RATE  # the chunk's last sample, at real time
                if not a.fast:
                    time.sleep(max(0.0, due - time.time()))
                s = time.time()
                post(f"{url}/api/v1/live/{ids[k]}/audio?seq={seq}", pcm[at:at + CHUNK * 2])
                with lock:
                    rtts.append(time.time() - s)
            time.sleep(0.5)  # the last window's hop line (one chunk later: see docs/live.md)
            sent_all[k] = True

        trace = []  # (seconds since the start, RSS MB) every 10 s

        def sampler():
            while any(t.is_alive() for t in senders):
                rss = proc_stats(server.pid)[1]
                peak.append(rss)
                if not trace or time.time() - t0 - trace[-1][0] >= 10:
                    trace.append((round(time.time() - t0, 1), round(rss, 1)))
                time.sleep(1)

        readers = [threading.Thread(target=reader, args=(k,)) for k in range(a.sessions)]
        senders = [threading.Thread(target=sender, args=(k,)) for k in range(a.sessions)]
        for t in readers + senders:
            t.start()
        watch = threading.Thread(target=sampler)
        watch.start()
        for t in senders:
            t.join()
        watch.join()
        wall = time.time() - t0
        cpu1, rss1 = proc_stats(server.pid)
        stops, stopped_at = [], [None] * a.sessions
        for k in range(0 if a.no_stop else a.sessions):
            s = time.time()
            post(f"{url}/api/v1/live/{ids[k]}/stop", b"")
            stops.append(time.time() - s)
            stopped_at[k] = s
        for t in readers:
            t.join(timeout=1 if a.no_stop else 3600)
        stored = [stored_at[k] - stopped_at[k] for k in range(a.sessions) if stored_at[k] and stopped_at[k]]
        end_latency, start_latency = [], []
        for k in range(0 if a.fast else a.sessions):
            stem = files[k % len(files)]
            for t in truth:
                if t["filename"] != stem or float(t["offset_s"]) > a.seconds:
                    continue
                due = starts[k] + float(t["offset_s"])
                index = int(t["audioset_index"])
                near = lambda e: e["onset_s"] < float(t["offset_s"]) + 0.5 and e["offset_s"] > float(t["onset_s"]) - 0.5
                ends = [w for w, e in arrivals[k] if e["type"] == "event" and e["index"] == index and near(e)]
                begins = [w for w, e in arrivals[k] if e["type"] == "event_start" and e["index"] == index and near(e)]
                if ends:
                    end_latency.append(ends[0] - due)
                if begins:
                    start_latency.append(begins[0] - due)
        print(json.dumps({
            "sessions": a.sessions, "audio_s_each": a.seconds, "paced": not a.fast, "cores": os.cpu_count(),
            "loadavg_after": os.getloadavg(),
            "behind_s": {"median": pct(behind, 0.5), "p95": pct(behind, 0.95), "p99": pct(behind, 0.99),
                         "max": max(behind) if behind else None},
            "dropped_windows": sum(dropped), "events": sum(events),
            "chunk_rtt_s": {"median": pct(rtts, 0.5), "p95": pct(rtts, 0.95)},
            "server_cpu_pct_of_one_core": 100 * (cpu1 - cpu0) / wall,
            "rss_mb": {"before": round(rss0, 1), "after_feeding": round(rss1, 1), "peak": round(max(peak), 1),
                       "trace": trace},
            "event_line_after_end_of_sound_s": {"n": len(end_latency), "median": pct(end_latency, 0.5),
                                                "p95": pct(end_latency, 0.95)},
            "event_start_line_after_end_of_sound_s": {"n": len(start_latency), "median": pct(start_latency, 0.5),
                                                      "p95": pct(start_latency, 0.95)},
            "stop_s": {"median": pct(stops, 0.5), "max": max(stops) if stops else None},
            "stored_after_stop_s": {"median": pct(stored, 0.5), "max": max(stored) if stored else None},
        }, indent=1))
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    main()
