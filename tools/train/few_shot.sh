#!/usr/bin/env bash
# The few-shot measurement of docs/training.md: ten classes of everyday sounds
# from ../shared/audio/events-dev/clips, the first N clips of each (by name) to
# train on, every other clip of those classes held out for `evaluate`.
#   tools/train/few_shot.sh [--per-class N] [--base MODEL] [--work DIR] [--bin PATH]
set -euo pipefail
cd "$(dirname "$0")/../.."
per_class=5 base=mn04_as work=${TMPDIR:-/tmp}/soundlens-few-shot bin=build/src/soundlens
while (($#)); do
  case $1 in
    --per-class) per_class=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "few_shot.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
clips=$(cd ../shared/audio/events-dev/clips && pwd)
rm -rf "$work/train" "$work/test" "$work/model"
for class in baby_cry cough knock laughter music speech throat_clearing background_forest background_waves background_wind; do
  mkdir -p "$work/train/$class" "$work/test/$class"
  i=0
  for f in $(ls "$clips/$class" | sort); do
    if ((i < per_class)); then ln -s "$clips/$class/$f" "$work/train/$class/$f"; else ln -s "$clips/$class/$f" "$work/test/$class/$f"; fi
    i=$((i + 1))
  done
done
"$bin" train "$work/train" --out "$work/model" --base "$base" --model-dir ../shared/models --cache-dir "$work/cache" --threads 2
"$bin" evaluate "$work/test" --model "$work/model" --model-dir ../shared/models --threads 2 \
  --csv "$work/test-scores.csv" --reliability "$work/reliability.png"
