#!/usr/bin/env bash
# One hour of real audio (the shared 90 s recording looped, 44.1 kHz WAV)
# through `soundlens analyze` with mn04_as: wall time and peak memory, RUNS times.
# usage: bench/long/one_hour.sh [BINARY] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary="${1:-$root/build/src/soundlens}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ffmpeg -loglevel error -stream_loop 40 -i "$root/../shared/audio/awkward/04_long_90s_concat.wav" -t 3600 "$work/hour.wav"
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e s wall, %M KB peak RSS" "$binary" analyze "$work/hour.wav" --model-dir "$root/../shared/models" \
    --json --figure "$work/hour.png" > "$work/out.json" 2> "$work/time.txt"
  tail -1 "$work/time.txt"
done
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); print('windows', len(a['timeline']), 'timings_ms', a['timings_ms'])" "$work/out.json"
