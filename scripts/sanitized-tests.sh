#!/usr/bin/env bash
# Builds the stages that parse untrusted input (audio decoding, features,
# figures, parameters) with AddressSanitizer + UndefinedBehaviorSanitizer
# (LeakSanitizer included) in BUILD_DIR, and runs their unit tests there.
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
build_dir="${1:?usage: sanitized-tests.sh BUILD_DIR}"
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOUNDLENS_SANITIZE=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target audio_tests features_tests render_tests core_tests yamnet_reader_tests \
  events_tests report_tests exports_tests
cd "$build_dir"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$source_dir/tests/sanitizer/lsan.supp:print_suppressions=0"
# Only the executables built above run; the others appear as *_NOT_BUILT.
ctest --output-on-failure -j2 -L unit -E NOT_BUILT
