#!/usr/bin/env python3
"""Throughput of two `serve --workers 0` + two `worker` processes on one
PostgreSQL database against one `serve` (SQLite) with the same cores.

Each round uploads N copies of a 10 s clip with async=1 (spread over the
servers from 4 client threads) and times until every job is done; prints
uploads/s per round and the median. Authentication off (loopback).
Needs SOUNDLENS_TEST_POSTGRES (run it under scripts/with-test-postgres.sh):
    scripts/with-test-postgres.sh bench/cluster/cluster_bench.py build/src/soundlens CLIP.wav
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time, uuid
import http.client

def multipart(data, name="clip.wav"):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"async\"\r\n\r\n1\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: audio/wav\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"

def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    out = r.status, r.read()
    c.close()
    return out

def start(cmd, wait_for):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    if wait_for not in line:
        p.kill()
        raise SystemExit(f"{cmd[1]} did not start: {line!r}")
    return p, line

def serve(binary, args):
    p, line = start([binary, "serve", "--port", "0", "--auth", "off", "--log-format", "off"] + args, "serving")
    port = int(re.search(r"http://[^:]+:(\d+)", line).group(1))
    for _ in range(600):  # the model loads after the banner
        try:
            if request(port, "GET", "/health")[0] == 200:
                return p, port
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("serve never became healthy")

def round_trip(ports, clip, n):
    body, ctype = multipart(clip)
    jobs, lock, nxt = [], threading.Lock(), iter(range(n))
    def client():
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                return
            status, out = request(ports[i % len(ports)], "POST", "/api/v1/analyses", body, {"Content-Type": ctype})
            assert status == 202, (status, out[:200])
            with lock:
                jobs.append((ports[i % len(ports)], json.loads(out)["job"]["id"]))
    t0 = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    for port, job in jobs:
        while True:
            state = json.loads(request(port, "GET", f"/api/v1/jobs/{job}")[1])["job"]["state"]
            if state in ("done", "failed", "cancelled"):
                assert state == "done", state
                break
            time.sleep(0.05)
    return n / (time.monotonic() - t0)

def main():
    binary, clip_path = sys.argv[1], sys.argv[2]
    n, rounds = int(os.environ.get("UPLOADS", "40")), int(os.environ.get("ROUNDS", "3"))
    clip = open(clip_path, "rb").read()
    server = os.environ["SOUNDLENS_TEST_POSTGRES"]
    tmp = tempfile.mkdtemp(prefix="soundlens-cluster-bench-")
    cores = os.cpu_count()
    results = {}
    try:
        # One serve, SQLite, every core for its analyses.
        procs = []
        try:
            p, port = serve(binary, ["--data-dir", f"{tmp}/single", "--max-concurrent", str(cores)])
            procs.append(p)
            round_trip([port], clip, 4)  # warm-up
            results["one serve"] = [round_trip([port], clip, n) for _ in range(rounds)]
        finally:
            [p.kill() for p in procs]
        # Two servers without workers + two workers with half the cores each, on one database.
        db = f"soundlens_bench_{os.getpid()}"
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {db}"], check=True)
        url = re.sub(r"(://[^/?]*)/[^?]*", rf"\1/{db}", server)
        procs = []
        try:
            ports = []
            for i in range(2):
                p, port = serve(binary, ["--database", url, "--workers", "0", "--data-dir", f"{tmp}/serve{i}"])
                procs.append(p); ports.append(port)
            for i in range(2):
                p, _ = start([binary, "worker", "--database", url, "--jobs", str(max(1, cores // 2)),
                              "--data-dir", f"{tmp}/worker{i}"], "worker running")
                procs.append(p)
            round_trip(ports, clip, 4)
            results["2 serve + 2 worker"] = [round_trip(ports, clip, n) for _ in range(rounds)]
        finally:
            [p.kill() for p in procs]
            subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{n} uploads of {len(clip)} bytes per round, {rounds} rounds, {cores} cores, load {os.getloadavg()}")
    for name, values in results.items():
        print(f"{name:20s} median {statistics.median(values):.2f} uploads/s  ({', '.join(f'{v:.2f}' for v in values)})")

if __name__ == "__main__":
    main()
