#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan) in a build
# directory of their own and runs each for a while, without network access
# (`unshare -n`, where the kernel and our rights allow it).
#
#   scripts/fuzz.sh [--build-dir DIR] [--seconds N | --default-seconds N] [--no-build] [TARGET...]
#   scripts/fuzz.sh --build-only [--build-dir DIR]
#
# TARGET: decode pcm_stream live_chunk unpickle checkpoint_zip stored_id request_params web_path tflite session_cookie head_lines review_body (default: all).
# Seconds per target: --seconds, else $SOUNDLENS_FUZZ_SECONDS, else --default-seconds
# (ctest passes 30), else 600.
# Inputs found to add coverage go to DIR/corpus/TARGET (the committed seeds in
# fuzz/corpus/TARGET and those the build writes to DIR/seeds/TARGET are only read); a crash leaves DIR/artifacts/TARGET-crash-*
# and makes the script fail. Logs: DIR/logs/TARGET.log.
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="$source_dir/build/fuzz"
seconds=""
default_seconds=600
build=1
run=1
targets=()
all_targets=(decode pcm_stream live_chunk unpickle checkpoint_zip stored_id request_params web_path tflite session_cookie head_lines review_body)

while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --default-seconds) default_seconds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --build-only) run=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")
[[ -z "$seconds" ]] && seconds="${SOUNDLENS_FUZZ_SECONDS:-$default_seconds}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "fuzz.sh: seconds must be a positive integer" >&2; exit 2; }

if [[ $build -eq 1 ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$source_dir/fuzz" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" >/dev/null
  cmake --build "$build_dir" -j"${SOUNDLENS_FUZZ_JOBS:-2}" --target "${targets[@]/%/_fuzzer}"
  # Seeds made by scripts, never tracked: the decoder's formats (ffmpeg), torch.save-shaped checkpoints
  # and tiny hand-written TFLite models (flatc).
  rm -rf "$build_dir/seeds"
  "$source_dir/fuzz/make_decode_seeds.sh" "$build_dir/seeds/decode"
  python3 "$source_dir/fuzz/make_tflite_seeds.py" "$build_dir/seeds/tflite"
  python3 "$source_dir/fuzz/make_checkpoint_seeds.py" "$build_dir/seeds/checkpoint_zip" "$build_dir/seeds/unpickle"
fi
[[ $run -eq 1 ]] || exit 0

# No network for the fuzzed code: a decoder that tried to open a URL or bind a
# port would fail here rather than reach anything.
isolate=()
if unshare -n true 2>/dev/null; then isolate=(unshare -n)
elif unshare -rn true 2>/dev/null; then isolate=(unshare -rn)
else echo "fuzz.sh: unshare -n is not available; running with the network" >&2
fi

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$source_dir/fuzz/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
mkdir -p "$build_dir/logs" "$build_dir/artifacts"
status=0
for target in "${targets[@]}"; do
  binary="$build_dir/${target}_fuzzer"
  [[ -x "$binary" ]] || { echo "fuzz.sh: $binary not built" >&2; exit 2; }
  work="$build_dir/corpus/$target"
  mkdir -p "$work"
  options=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=2560 -max_len=65536 -print_final_stats=1
           -artifact_prefix="$build_dir/artifacts/$target-")
  [[ -f "$source_dir/fuzz/dict/$target.dict" ]] && options+=(-dict="$source_dir/fuzz/dict/$target.dict")
  # LibTorch's zip reader allocates whatever size a record's directory entry
  # declares (up to 4 GB for a 1 KB file) and fails when the bytes are not
  # there; the allocation is virtual and freed. Not ours to fix: allow the
  # single allocation, while -rss_limit_mb still catches memory really used.
  [[ "$target" == checkpoint_zip ]] && options+=(-malloc_limit_mb=65536)
  echo "fuzz.sh: $target for ${seconds} s (log: $build_dir/logs/$target.log)"
  start=$(date +%s)
  seeds=()
  for dir in "$source_dir/fuzz/corpus/$target" "$build_dir/seeds/$target"; do
    if [[ -d "$dir" ]]; then seeds+=("$dir"); fi
  done
  if "${isolate[@]}" "$binary" "${options[@]}" "$work" "${seeds[@]}" \
       >"$build_dir/logs/$target.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build_dir/logs/$target.log" | grep -o '[0-9]*$' || true)
    echo "fuzz.sh: $target clean after $(( $(date +%s) - start )) s, ${runs:-?} inputs"
  else
    status=1
    echo "fuzz.sh: $target FAILED after $(( $(date +%s) - start )) s; the end of its log:" >&2
    tail -n 40 "$build_dir/logs/$target.log" >&2
  fi
done
exit $status
