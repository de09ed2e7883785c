#!/usr/bin/env bash
# Long recordings through `soundlens analyze` (mn04_as, JSON, figure, events for
# the top classes and the pinned Cough and Sneeze, with their explanations):
# wall time and peak RSS for each length, RUNS times, with the machine's load.
# The recordings are made here by repeating the shared 90 s real recording
# (44.1 kHz WAV) and deleted afterwards; nothing is committed.
# usage: bench/long/long_recordings.sh [BINARY] [RUNS] [HOURS...]   (default: 3 runs of 1, 2 and 8 hours)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary="${1:-$root/build/src/soundlens}"
runs="${2:-3}"
# One inference thread: on a machine shared with other work, OpenMP threads that spin waiting for
# each other made a 5-minute recording take 164 s instead of 13 s (SOUNDLENS_BENCH_THREADS to change).
threads="${SOUNDLENS_BENCH_THREADS:-1}"
shift $(( $# > 2 ? 2 : $# ))
hours=("$@")
[ ${#hours[@]} -gt 0 ] || hours=(1 2 8)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source_wav="$root/../shared/audio/awkward/04_long_90s_concat.wav"
for h in "${hours[@]}"; do
  seconds=$(python3 -c "print(int(float('$h') * 3600))")
  loops=$(( seconds / 90 + 1 ))
  ffmpeg -loglevel error -stream_loop "$loops" -i "$source_wav" -t "$seconds" "$work/long.wav"
  for i in $(seq "$runs"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %M" "$binary" analyze "$work/long.wav" --model-dir "$root/../shared/models" --threads "$threads" \
      --json --figure "$work/long.png" --class Cough --class Sneeze \
      --max-duration-s 86400 --max-windows 100000 --analysis-timeout-s 3600 \
      > "$work/out.json" 2> "$work/time.txt"
    read -r wall rss_kb < <(tail -1 "$work/time.txt")
    summary=$(python3 -c "
import json,sys
a=json.load(open(sys.argv[1]))
if 'error' in a: print('ERROR', a['error']); sys.exit()
t=a['timings_ms']
print('windows %d, events %d, explained %d, decode %.0f ms, features %.0f, inference %.0f, explain %.0f, events %.0f' % (
  len(a['timeline']), len(a['events']), len(a['explanations']), t.get('decode',0), t['features'], t['inference'],
  t['explain'], t['events']))" "$work/out.json")
    echo "${h} h: ${wall} s wall, $(( rss_kb / 1024 )) MB peak RSS (load before: ${load}); ${summary}"
  done
  rm -f "$work/long.wav"
done
