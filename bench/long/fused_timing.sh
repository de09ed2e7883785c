#!/usr/bin/env bash
# The fused model (mn04_as and yamnet) through `soundlens analyze --json`, as
# issue 19 asks it measured: the 10 s metro clip and an hour made of the six
# events-dev mixtures (120 s each) repeated five times, with `--threads 2`;
# wall time and peak RSS (/usr/bin/time), each RUNS times, with the load
# before each run. The hour is made here and deleted afterwards.
# usage: bench/long/fused_timing.sh [BINARY] [RUNS] [MODEL]   (default: build/src/soundlens, 1 run, fused)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary="${1:-$root/build/src/soundlens}"
runs="${2:-1}"
model="${3:-fused}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
shared="$root/../shared"
for round in 1 2 3 4 5; do
  for i in 0 1 2 3 4 5; do echo "file '$shared/audio/events-dev/dev_$i.flac'"; done
done > "$work/list.txt"
ffmpeg -loglevel error -f concat -safe 0 -i "$work/list.txt" -c:a flac "$work/hour.flac"
for file in "$shared/audio/example/metro_station-paris.wav" "$work/hour.flac"; do
  for i in $(seq "$runs"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    # An hour of fused is 720 mn04_as windows + 7,500 yamnet patches: over the default --max-windows 8000.
    /usr/bin/time -f "%e %M" "$binary" analyze "$file" --model "$model" --model-dir "$shared/models" --threads 2 --json \
      --max-windows 9000 --analysis-timeout-s 7200 > "$work/out.json" 2> "$work/time.txt" || true
    read -r wall rss_kb < <(tail -1 "$work/time.txt")
    summary=$(python3 -c "
import json,sys
a=json.load(open(sys.argv[1]))
if 'error' in a: print('ERROR', a['error']); sys.exit()  # the run's own error, printed by analyze --json
t=a['timings_ms']
print('%.0f s; events %d, explained %d; decode %.0f ms, features %.0f, inference %.0f, explain %.0f, events %.0f, total %.0f' % (
  a['duration_s'], len(a['events']), len(a['explanations']), t.get('decode',0), t['features'], t['inference'],
  t['explain'], t['events'], t['total']))" "$work/out.json")
    echo "$(basename "$file") ($model): ${wall} s wall, $(( rss_kb / 1024 )) MB peak RSS (load before: ${load}); ${summary}"
  done
done
