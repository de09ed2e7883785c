#!/bin/sh
# The API's compare against the two analyses it replaces, on a 10 s clip:
# POST /api/v1/analyses with models=mn04_as,yamnet against model=mn04_as plus
# model=yamnet, each timed with curl (wall, one client), after a warm-up that
# loads YAMNet. Prints each run and the medians.
# usage: bench/compare/http_compare.sh [BUILD_DIR] [RUNS] [FILE]
set -eu
build=${1:-build}
runs=${2:-7}
file=${3:-../shared/audio/example/metro_station-paris.wav}
data=$(mktemp -d)
log=$data/serve.log
"$build/src/soundlens" serve --port 0 --data-dir "$data/d" --log-format off --max-concurrent 1 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*serving http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$log")
  [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done
url="http://127.0.0.1:$port/api/v1/analyses"
post() { curl -s -o /dev/null -w '%{time_total}' -F "file=@$file" -F "$1" "$url"; }
post model=yamnet >/dev/null; post model=mn04_as >/dev/null; post models=mn04_as,yamnet >/dev/null  # warm-up
sums=""; compares=""
for i in $(seq 1 "$runs"); do
  a=$(post model=mn04_as); b=$(post model=yamnet); c=$(post models=mn04_as,yamnet)
  s=$(echo "$a + $b" | bc -l)
  echo "run $i: mn04_as $a s + yamnet $b s = $s s; compare $c s"
  sums="$sums $s"; compares="$compares $c"
done
median() { echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
ms=$(median $sums); mc=$(median $compares)
echo "median: two analyses $ms s, compare $mc s, ratio $(echo "$mc / $ms" | bc -l | cut -c1-5) (target <= 1.10)"
